"""Adaptive coalescing (feedback.live.coalescer): a lone event goes out at once, events arriving
during a flush ride in the next one, started the moment the running one ends."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from feedback import events
from feedback.live.coalescer import Coalescer

pytestmark = pytest.mark.asyncio


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def gated() -> tuple[list[set[Any]], asyncio.Event, Any]:
    """A flush recording its items that holds until `gate` is set (a flush in flight)."""
    calls: list[set[Any]] = []
    gate = asyncio.Event()

    async def flush(items: set[Any]) -> None:
        calls.append(set(items))
        await gate.wait()

    return calls, gate, flush


async def turns(n: int = 5) -> None:
    for _ in range(n):
        await asyncio.sleep(0)


async def test_a_lone_event_is_flushed_on_the_next_loop_turn() -> None:
    coalescer = Coalescer()
    coalescer.attach(asyncio.get_running_loop())
    calls, gate, flush = gated()
    gate.set()
    coalescer.add("lone", 1, flush)
    await turns()
    assert calls == [{1}]


async def test_events_during_a_flush_go_in_the_next_one_at_once() -> None:
    coalescer = Coalescer()
    coalescer.attach(asyncio.get_running_loop())
    calls, gate, flush = gated()
    coalescer.add("burst", 1, flush)
    await turns()
    for item in (2, 3, 4):
        coalescer.add("burst", item, flush)
    await turns()
    assert calls == [{1}]  # at most one flush in flight
    gate.set()
    await turns()
    assert calls == [{1}, {2, 3, 4}]
    assert "burst" not in coalescer.running and not coalescer.pending


async def test_keys_flush_independently() -> None:
    coalescer = Coalescer()
    coalescer.attach(asyncio.get_running_loop())
    calls, gate, flush = gated()
    coalescer.add("a", "a1", flush)
    coalescer.add("b", "b1", flush)
    await turns()
    assert sorted(next(iter(c)) for c in calls) == ["a1", "b1"]
    gate.set()


async def test_a_failing_flush_does_not_stop_the_next() -> None:
    coalescer = Coalescer()
    coalescer.attach(asyncio.get_running_loop())
    seen: list[set[Any]] = []

    async def flush(items: set[Any]) -> None:
        seen.append(items)
        if 1 in items:
            raise RuntimeError("database went away")

    coalescer.add("k", 1, flush)
    await turns()
    coalescer.add("k", 2, flush)
    await turns()
    assert seen == [{1}, {2}]


async def test_min_interval_waits_by_the_injected_clock() -> None:
    clock = FakeClock()
    coalescer = Coalescer(clock=clock, min_interval=0.1)
    assert coalescer.delay("k") == 0.0  # never flushed: no wait
    coalescer.last_start["k"] = clock.now
    clock.now += 0.04
    assert coalescer.delay("k") == pytest.approx(0.06)
    clock.now += 0.5
    assert coalescer.delay("k") == 0.0
    assert Coalescer(clock=clock).delay("k") == 0.0  # default: no floor between flushes


async def test_idle_keys_are_forgotten_by_the_injected_clock() -> None:
    clock = FakeClock()
    coalescer = Coalescer(clock=clock)
    for n in range(300):
        coalescer.last_start[f"s{n}"] = clock.now
    coalescer.last_start["recent"] = clock.now + 100
    clock.now += 90
    coalescer.forget_idle()
    assert list(coalescer.last_start) == ["recent"]


async def test_without_a_serving_loop_coalesce_sends_at_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sent: list[tuple[str, dict[str, Any]]] = []
    monkeypatch.setattr(events, "send_now", lambda group, event: sent.append((group, event)))
    idle = Coalescer()  # no loop attached: a script or a sync test
    events.coalesce("k", 7, lambda items: [("g", {"items": sorted(items)})], coalescer=idle)
    assert sent == [("g", {"items": [7]})]
