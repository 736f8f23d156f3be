"""Coalesced broadcasts: a lone event goes out at once, a burst rides along in one later flush."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest
import pytest_asyncio

from feedback import events

# The flush runs in database_sync_to_async, which checks the connection first.
pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


@pytest_asyncio.fixture
async def window(monkeypatch: pytest.MonkeyPatch) -> float:
    monkeypatch.setattr(events, "COALESCE_SECONDS", 0.6)
    monkeypatch.setattr(events, "_pending", {})
    monkeypatch.setattr(events, "_last_flush", {})
    monkeypatch.setattr(events, "_flush_locks", {})
    monkeypatch.setattr(events, "_serving_loop", asyncio.get_running_loop())
    return 0.6


def recorder() -> tuple[list[tuple[float, set[Any]]], events.Flush]:
    calls: list[tuple[float, set[Any]]] = []

    def flush(items: set[Any]) -> list[tuple[str, dict[str, Any]]]:
        calls.append((time.monotonic(), set(items)))
        return []

    return calls, flush


async def until(calls: list[Any], n: int, timeout: float = 3.0) -> None:
    deadline = time.monotonic() + timeout
    while len(calls) < n and time.monotonic() < deadline:
        await asyncio.sleep(0.01)


async def test_a_lone_event_is_flushed_without_waiting_for_the_window(window: float) -> None:
    calls, flush = recorder()
    sent = time.monotonic()
    events.coalesce("lone", 1, flush)
    await until(calls, 1)
    assert calls and calls[0][1] == {1}
    assert calls[0][0] - sent < window / 2


async def test_a_burst_within_the_window_rides_along_in_one_flush(window: float) -> None:
    calls, flush = recorder()
    events.coalesce("burst", 1, flush)
    await until(calls, 1)
    for item in (2, 3, 4):
        events.coalesce("burst", item, flush)
    await until(calls, 2)
    await asyncio.sleep(window)  # nothing else may follow
    assert [items for _, items in calls] == [{1}, {2, 3, 4}]
    assert calls[1][0] - calls[0][0] >= window * 0.9  # at most one flush per window


async def test_keys_are_throttled_independently(window: float) -> None:
    calls, flush = recorder()
    events.coalesce("a", "a1", flush)
    events.coalesce("b", "b1", flush)
    await until(calls, 2)
    assert sorted(next(iter(items)) for _, items in calls) == ["a1", "b1"]
    assert calls[1][0] - calls[0][0] < window / 2
