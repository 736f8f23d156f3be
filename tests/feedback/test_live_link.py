"""The Redis lease and presence set between processes, against a real Redis: one flush per
session at a time, and the last rating's aggregate is never swallowed by a lease hand-off."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest
import pytest_asyncio

from feedback.live.link import RedisLink

pytestmark = [pytest.mark.redis, pytest.mark.asyncio]


@pytest_asyncio.fixture
async def link(redis_required: str) -> Any:
    prefix = f"rounds-linktest-{uuid.uuid4().hex[:8]}"
    made = RedisLink(redis_required, prefix, origin="a")
    yield made
    keys = [k async for k in made.client.scan_iter(f"{prefix}:*")]
    if keys:
        await made.client.delete(*keys)
    await made.client.aclose()


async def test_items_arriving_while_another_process_flushes_are_taken_before_release(link):
    assert await link.claim(7, [1], "A") == ["1"]  # A holds the lease
    assert await link.claim(7, [2], "B") is None  # B's rating is left for A
    assert await link.claim(7, [3], "C") is None
    assert sorted(await link.release(7, "A")) == ["2", "3"]  # A keeps the lease, flushes again
    assert await link.release(7, "A") == []  # nothing left: A lets go
    assert await link.claim(7, [4], "B") == ["4"]  # the next rating flushes at once


async def test_a_dead_holders_lease_expires_and_its_leftovers_are_taken(link, monkeypatch):
    monkeypatch.setattr("feedback.live.link.LEASE_MS", 200)
    await link.client.set(link.key("lease", 8), "dead", px=200)
    assert await link.claim(8, [5], "B") is None
    await asyncio.sleep(0.3)
    assert await link.claim(8, [], "B") == ["5"]
    assert await link.release(8, "B") == []


async def test_presence_counts_only_unexpired_connections(link):
    await link.presence_touch({9: ["c1", "c2", "c3"]}, expires=1000.0)
    await link.presence_remove(9, "c2")
    assert await link.presence_count(9, now=999.0) == 2
    assert await link.presence_count(9, now=1001.0) == 0  # a killed process's sockets expire
    await link.presence_touch({9: ["c1"]}, expires=2000.0)  # the heartbeat re-adds after a wipe
    assert await link.presence_count(9, now=1500.0) == 1
