"""Two real Daphne processes sharing Redis: one live session spans both, and every socket sees
the same aggregates and presence."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
import websockets
from rest_framework.authtoken.models import Token

from tests.factories import UserFactory
from tests.factories_sessions import make_session, screen_ids
from tests.live import daphne

pytestmark = [pytest.mark.redis, pytest.mark.slow]


async def _open(base: str, code: str, token: str) -> Any:
    url = base.replace("http", "ws") + f"/ws/sessions/{code}/?token={token}"
    ws = await websockets.connect(url, origin=base)
    state = json.loads(await asyncio.wait_for(ws.recv(), 10))
    assert state["type"] == "state"
    return ws


async def _until(ws: Any, match: Any, timeout: float = 10) -> dict:
    """Frames until one satisfies `match`; returns it."""
    async with asyncio.timeout(timeout):
        while True:
            frame = json.loads(await ws.recv())
            if match(frame):
                return frame


def test_session_spans_two_daphne_processes(redis_required, transactional_db, tmp_path):
    session = make_session(UserFactory(roles=["observer"]))
    screen = screen_ids(session)[0]
    people = [UserFactory(roles=["clinician"]) for _ in range(2)]
    keys = [Token.objects.create(user=u).key for u in (session.facilitator, *people)]
    with daphne(tmp_path, "a") as a, daphne(tmp_path, "b") as b:

        async def scenario() -> None:
            lead = await _open(a, session.code, keys[0])
            near, far = await _open(a, session.code, keys[1]), await _open(b, session.code, keys[2])
            await _until(lead, lambda f: f["type"] == "presence" and f["count"] == 2)
            await lead.send(json.dumps({"type": "reveal_results", "visible": True}))
            for ws in (near, far):
                await _until(ws, lambda f: f["type"] == "results_visible")
            for ws, score in ((near, 4), (far, 2)):
                await ws.send(
                    json.dumps({"type": "rate", "screen": screen, "scores": {"trust": score}})
                )
                await _until(ws, lambda f: f["type"] == "ack")
            final = [
                await _until(ws, lambda f: f["type"] == "aggregate" and f["count"] == 2)
                for ws in (lead, near, far)
            ]
            assert final[0] == final[1] == final[2]
            assert final[0]["means"]["trust"] == 3.0
            assert final[0]["histograms"]["trust"] == [0, 1, 0, 1, 0]
            await far.close()
            await _until(lead, lambda f: f["type"] == "presence" and f["count"] == 1)
            for ws in (lead, near):
                await ws.close()

        asyncio.run(scenario())
