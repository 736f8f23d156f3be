"""Aggregates carried from the rating that committed them (feedback.live.hub.Carried): the flush
sends the newest without reading it back, never an older one after a newer, and reads back what
is true once a control frame (a hide, a screen change) went out."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from asgiref.sync import sync_to_async

from feedback.live import hub as hub_module
from feedback.live.hub import Carried, Conn, Hub, dumps
from feedback.live.outbox import Frame

pytestmark = pytest.mark.asyncio
SESSION, SCREEN = 7, 3


class Recorder:
    """An outbox that keeps what it was given."""

    backlog = 0

    def __init__(self, facilitator: bool = False) -> None:
        self.is_facilitator = facilitator
        self.frames: list[Frame] = []

    def push(self, frame: Frame) -> None:
        if not frame.facilitators_only or self.is_facilitator:
            self.frames.append(frame)

    def forget_aggregates(self) -> None:
        pass

    def counts(self) -> list[int]:
        return [json.loads(f.text)["count"] for f in self.frames if f.slot == f"aggregate:{SCREEN}"]


def carried(count: int, *, visible: bool = True) -> Carried:
    frame = {"type": "aggregate", "screen": SCREEN, "count": count, "means": {}, "histograms": {}}
    return Carried(SCREEN, count, visible, dumps(frame))  # here the version is the count


async def hub_with(*outboxes: Recorder) -> Hub:
    hub = Hub(redis_url="")
    hub.start(asyncio.get_running_loop())

    async def resync() -> None:
        return None

    for n, box in enumerate(outboxes):
        await hub.attach(Conn(f"c{n}", SESSION, box, resync, counted=False))  # type: ignore[arg-type]
    return hub


def no_reads(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    from feedback.selectors import sessions as sel

    calls: list[Any] = []

    def read(session_id: int, screens: Any) -> Any:
        calls.append(set(screens))
        frame = {"type": "aggregate", "screen": SCREEN, "count": 9, "means": {}, "histograms": {}}
        return False, [(9, frame)]

    monkeypatch.setattr(sel, "aggregate_frames", read)
    # No database here: the read runs in a plain worker thread (no connection bookkeeping).
    monkeypatch.setattr(hub_module, "KeptConnectionRead", lambda fn, **_: sync_to_async(fn))
    return calls


async def test_the_newest_carried_state_goes_out_and_an_older_one_never_after_it(monkeypatch):
    reads = no_reads(monkeypatch)
    box = Recorder()
    hub = await hub_with(box)
    await hub.flush_once(SESSION, set(), [carried(3), carried(5), carried(4)])
    await hub.flush_once(SESSION, set(), [carried(4)])  # a commit whose turn came late
    await hub.flush_once(SESSION, set(), [carried(6)])
    assert box.counts() == [5, 6]
    assert reads == []


async def test_hidden_results_carry_to_facilitators_only(monkeypatch):
    no_reads(monkeypatch)
    lead, casey = Recorder(facilitator=True), Recorder()
    hub = await hub_with(lead, casey)
    await hub.flush_once(SESSION, set(), [carried(2, visible=False)])
    assert lead.counts() == [2] and casey.counts() == []


async def test_after_a_control_frame_the_next_flush_reads_back(monkeypatch):
    reads = no_reads(monkeypatch)
    lead, casey = Recorder(facilitator=True), Recorder()
    hub = await hub_with(lead, casey)
    hub.deliver(SESSION, Frame(dumps({"type": "results_visible", "visible": False}), slot="hide"))
    await hub.flush_once(SESSION, set(), [carried(8, visible=True)])  # read before the hide
    assert reads == [{SCREEN}]
    assert lead.counts() == [9] and casey.counts() == []  # what is true now: hidden, count 9
    await hub.flush_once(SESSION, set(), [carried(8, visible=True)])  # older than what was read
    await hub.flush_once(SESSION, set(), [carried(10, visible=False)])
    assert reads == [{SCREEN}] and lead.counts() == [9, 10] and casey.counts() == []


async def test_a_plain_request_for_the_screen_reads_back(monkeypatch):
    reads = no_reads(monkeypatch)
    box = Recorder(facilitator=True)
    hub = await hub_with(box)
    await hub.flush_once(SESSION, {SCREEN}, [carried(4)])
    assert reads == [{SCREEN}] and box.counts() == [9]


async def test_with_redis_configured_nothing_is_carried(settings):
    hub = Hub(redis_url="redis://127.0.0.1:1/0")
    hub.link = object()  # type: ignore[assignment]  # as if the link were up: another process may flush
    assert not hub.carries()


@pytest.mark.django_db(transaction=True)
async def test_a_live_thread_keeps_its_connection_across_checks(monkeypatch):
    """CONN_MAX_AGE is 0 (request threads end with their request); the few live threads keep
    theirs: Django's checks run, its age limit does not reconnect them every second."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    from feedback.live.hub import KeptConnection

    assert connection.settings_dict["CONN_MAX_AGE"] == 0
    monkeypatch.setattr(hub_module, "CHECK_EVERY", 0.0)  # the checks run before every call

    def which() -> object:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return connection.connection  # the object itself: an id could be reused after a close

    pool = ThreadPoolExecutor(1)
    try:
        kept = KeptConnection(which, thread_sensitive=False, executor=pool)
        first = await kept()
        assert await kept() is first and await kept() is first
    finally:
        pool.submit(lambda: connection.close()).result()
        pool.shutdown()
