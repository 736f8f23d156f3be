"""One socket's way out: frames written straight to the socket, and only what is still true kept
for a socket that cannot take more (a slow reader): a newer aggregate replaces an unsent older
one for the same screen, control frames (screen, visibility, ended, comments) keep their order and
go first, and a socket whose backlog passes a bound is closed (it reconnects and gets `state`)."""

from __future__ import annotations

import functools
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from channels.sessions import InstanceSessionWrapper

log = logging.getLogger(__name__)

SOFT_BYTES = 256 * 1024  # unread bytes in the kernel/Twisted buffer before we hold frames back
HARD_BYTES = 4 * 1024 * 1024  # ... before the socket is closed as too slow
MAX_HELD = 200  # control frames held for one socket before it is closed as too slow
CLOSE_TOO_SLOW = 4008  # "policy": the client reconnects and resumes from `state`


@dataclass
class Frame:
    """One pre-serialized frame; `slot` names what a newer frame replaces (aggregate:<screen>)."""

    text: str
    slot: str | None = None
    facilitators_only: bool = False
    data: bytes = b""
    prepared: dict[int, Any] = field(default_factory=dict)  # per WebSocket factory

    def __post_init__(self) -> None:
        self.data = self.data or self.text.encode()

    def prepared_for(self, factory: Any) -> Any:
        """Autobahn frames the payload once per factory; every socket then writes the same bytes."""
        key = id(factory)
        found = self.prepared.get(key)
        if found is None:
            found = factory.prepareMessage(self.data, isBinary=False)
            self.prepared[key] = found
        return found


def daphne_protocol(send: Any) -> Any:
    """The Twisted WebSocket protocol behind an ASGI `send` under Daphne (its send is
    `partial(server.handle_reply, protocol)`), or None elsewhere (tests, other servers).

    A consumer behind `AuthMiddlewareStack` gets channels' session wrapper's `send`, which passes
    WebSocket frames through untouched (it acts on `http.response.start` only): look through it,
    or every frame would take the per-socket ASGI path (a task, a JSON frame and Autobahn framing
    per socket; 18% of a loaded server's time in the fan-out profile)."""
    while isinstance(getattr(send, "__self__", None), InstanceSessionWrapper):
        send = send.__self__.real_send
    if isinstance(send, functools.partial) and send.args:
        protocol = send.args[0]
        if hasattr(protocol, "sendPreparedMessage") and hasattr(protocol, "transport"):
            return protocol
    return None


def unsent_bytes(protocol: Any) -> int:
    """Bytes written to the socket that the peer has not taken yet (Twisted's write buffer)."""
    transport: Any = getattr(protocol, "transport", None)
    try:
        return int(len(transport.dataBuffer) - transport.offset + transport._tempDataLen)
    except Exception:  # another transport: no back-pressure signal, treat as drained
        return 0


class Outbox:
    """Writes for one connection. `send_text` is the ASGI fallback (an awaitable per frame)."""

    def __init__(
        self,
        *,
        send: Any,
        send_text: Callable[[str], Awaitable[None]],
        close: Callable[[int], Awaitable[None]],
        spawn: Callable[[Awaitable[None]], Any],
        is_facilitator: bool = False,
    ) -> None:
        self.protocol = daphne_protocol(send)
        self.send_text, self.close, self.spawn = send_text, close, spawn
        self.is_facilitator = is_facilitator
        self.held: deque[Frame] = deque()
        self.slots: dict[str, Frame] = {}
        self.closed = False
        self.writes = 0

    soft_bytes = SOFT_BYTES  # the hub sets these from settings when it starts
    hard_bytes = HARD_BYTES
    max_held = MAX_HELD

    @property
    def backlog(self) -> int:
        return len(self.held) + len(self.slots)

    def wants(self, frame: Frame) -> bool:
        return not frame.facilitators_only or self.is_facilitator

    def push(self, frame: Frame) -> None:
        """Write now if the socket can take it, else keep what is still true."""
        if self.closed or not self.wants(frame):
            return
        if not self.backlog and not self.slow():
            self.write(frame)
            return
        if frame.slot is None:
            self.held.append(frame)
        else:
            self.slots.pop(frame.slot, None)  # re-inserted last: newest wins, keeps its turn
            self.slots[frame.slot] = frame
        if len(self.held) > self.max_held or unsent_bytes(self.protocol) > self.hard_bytes:
            self.shut()

    def slow(self) -> bool:
        return self.protocol is not None and unsent_bytes(self.protocol) > self.soft_bytes

    def drain(self) -> None:
        """Called by the hub's ticker while frames are held: control frames first, then the
        latest of each slot, as far as the socket takes them."""
        while self.held and not self.slow() and not self.closed:
            self.write(self.held.popleft())
        while self.slots and not self.held and not self.slow() and not self.closed:
            slot = next(iter(self.slots))
            self.write(self.slots.pop(slot))

    def write(self, frame: Frame) -> None:
        self.writes += 1
        protocol = self.protocol
        if protocol is None:
            self.spawn(self._send(frame.text))
            return
        if getattr(protocol, "state", None) != getattr(protocol, "STATE_OPEN", object()):
            return  # closing or closed: never write to it (Daphne would log and drop)
        try:
            protocol.sendPreparedMessage(frame.prepared_for(protocol.factory))
        except Exception:  # a socket torn down under us: its disconnect cleans up
            log.debug("write to a closing socket dropped", exc_info=True)

    async def _send(self, text: str) -> None:
        try:
            await self.send_text(text)
        except Exception:  # closed meanwhile: its disconnect cleans up
            log.debug("send to a closing socket dropped", exc_info=True)

    def shut(self) -> None:
        """Too slow to keep up: close it; it reconnects and resumes from `state`."""
        if self.closed:
            return
        self.closed = True
        log.info("closing a socket that fell %s frames behind", len(self.held))
        self.held.clear()
        self.slots.clear()
        self.spawn(self.close(CLOSE_TOO_SLOW))

    def forget_aggregates(self) -> None:
        """Results were hidden: an aggregate still held for a participant is no longer theirs."""
        if not self.is_facilitator:
            for slot in [s for s in self.slots if s.startswith("aggregate:")]:
                del self.slots[slot]
