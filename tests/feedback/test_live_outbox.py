"""Per-socket fresh delivery: written at once when the socket keeps up; for a slow reader only
what is still true is kept (newest aggregate per screen, control frames first), and a socket
whose backlog passes the bound is closed."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from feedback.live import outbox as ob
from feedback.live.outbox import Frame, Outbox


class FakeTransport:
    def __init__(self) -> None:
        self.dataBuffer = b""
        self.offset = 0
        self._tempDataLen = 0


class FakeProtocol:
    """Stands in for Daphne's Twisted WebSocket protocol: records what was written."""

    STATE_OPEN = 1

    def __init__(self) -> None:
        self.state = self.STATE_OPEN
        self.transport = FakeTransport()
        self.factory = self
        self.written: list[bytes] = []

    def prepareMessage(self, data: bytes, isBinary: bool = False) -> bytes:
        return data

    def sendPreparedMessage(self, prepared: bytes) -> None:
        self.written.append(prepared)

    def texts(self) -> list[str]:
        return [w.decode() for w in self.written]


def socket(facilitator: bool = False) -> tuple[Outbox, FakeProtocol, list[int]]:
    protocol = FakeProtocol()
    closed: list[int] = []

    async def send(message: dict[str, Any]) -> None:  # never used: writes go to the protocol
        raise AssertionError("the ASGI path was used")

    async def close(code: int) -> None:
        closed.append(code)

    def spawn(coro: Any) -> None:
        asyncio.new_event_loop().run_until_complete(coro)

    import functools

    box = Outbox(
        send=functools.partial(lambda protocol, message: None, protocol),
        send_text=lambda text: send({}),
        close=close,
        spawn=spawn,
        is_facilitator=facilitator,
    )
    return box, protocol, closed


def agg(screen: int, count: int) -> Frame:
    return Frame(
        f'{{"type":"aggregate","screen":{screen},"count":{count}}}', slot=f"aggregate:{screen}"
    )


def test_a_socket_that_keeps_up_gets_every_frame_at_once() -> None:
    box, protocol, _ = socket()
    for n in range(3):
        box.push(agg(1, n))
    assert len(protocol.written) == 3 and box.backlog == 0


def test_a_slow_reader_keeps_only_the_newest_aggregate_and_control_frames_first() -> None:
    box, protocol, closed = socket()
    protocol.transport._tempDataLen = ob.SOFT_BYTES + 1  # the peer stopped reading
    for n in range(50):
        box.push(agg(1, n))
    box.push(agg(2, 7))
    box.push(Frame('{"type":"screen","screen":{"id":2}}'))
    assert protocol.written == [] and box.backlog == 3
    protocol.transport._tempDataLen = 0  # it reads again
    box.drain()
    assert protocol.texts() == [
        '{"type":"screen","screen":{"id":2}}',
        '{"type":"aggregate","screen":1,"count":49}',
        '{"type":"aggregate","screen":2,"count":7}',
    ]
    assert closed == []


def test_a_socket_whose_backlog_passes_the_bound_is_closed() -> None:
    box, protocol, closed = socket()
    protocol.transport._tempDataLen = ob.SOFT_BYTES + 1
    for n in range(ob.MAX_HELD + 1):
        box.push(Frame(f'{{"type":"comment","id":{n}}}'))
    assert closed == [ob.CLOSE_TOO_SLOW] and box.closed and box.backlog == 0
    box.push(agg(1, 1))
    assert protocol.written == []  # never written to once closed


def test_hiding_results_drops_aggregates_held_for_participants_only() -> None:
    participant, p_proto, _ = socket()
    lead, l_proto, _ = socket(facilitator=True)
    for box, proto in ((participant, p_proto), (lead, l_proto)):
        proto.transport._tempDataLen = ob.SOFT_BYTES + 1
        box.push(agg(1, 3))
        box.forget_aggregates()
        proto.transport._tempDataLen = 0
        box.drain()
    assert p_proto.written == [] and len(l_proto.written) == 1


def test_facilitator_only_frames_skip_participants_and_closed_sockets_are_not_written() -> None:
    box, protocol, _ = socket()
    box.push(Frame('{"type":"comment"}', facilitators_only=True))
    assert protocol.written == []
    protocol.state = 3  # closing
    box.push(agg(1, 1))
    assert protocol.written == []


@pytest.mark.parametrize("size", [0, 10])
def test_a_frame_is_framed_once_per_factory(size: int) -> None:
    frame = agg(1, size)
    protocol = FakeProtocol()
    first = frame.prepared_for(protocol)
    assert frame.prepared_for(protocol) is first


def test_the_protocol_is_found_behind_the_session_middleware_daphne_serves_consumers_through() -> (
    None
):
    """AuthMiddlewareStack hands consumers channels' session wrapper's `send`, not Daphne's
    partial: frames must still be written as prepared messages, not through the ASGI path."""
    import functools

    from channels.sessions import InstanceSessionWrapper

    protocol = FakeProtocol()
    daphne_send = functools.partial(lambda protocol, message: None, protocol)
    wrapper = InstanceSessionWrapper({"type": "websocket", "cookies": {}}, daphne_send)
    assert ob.daphne_protocol(daphne_send) is protocol
    assert ob.daphne_protocol(wrapper.send) is protocol
    assert ob.daphne_protocol(lambda message: None) is None  # another server: the ASGI path
