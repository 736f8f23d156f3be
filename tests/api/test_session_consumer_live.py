"""ws/sessions/<code>/ under a real Daphne (backend.server): what the in-process communicator
cannot show, such as which close codes autobahn lets through and what reaches the server log."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
import websockets
from rest_framework.authtoken.models import Token

from tests.factories import UserFactory
from tests.factories_sessions import make_session
from tests.live import daphne

pytestmark = [pytest.mark.slow]


async def _oversized_frame_close_code(base: str, code: str, token: str) -> int | None:
    url = base.replace("http", "ws") + f"/ws/sessions/{code}/?token={token}"
    async with websockets.connect(url, origin=base, max_size=None) as ws:
        assert json.loads(await asyncio.wait_for(ws.recv(), 10))["type"] == "state"
        await ws.send(json.dumps({"type": "comment", "text": "x" * 70_000}))
        try:
            async with asyncio.timeout(10):
                while True:
                    await ws.recv()
        except websockets.ConnectionClosed as closed:
            return closed.rcvd.code if closed.rcvd else None  # None: dropped, no close frame


def _close_code_and_log(tmp_path: Path) -> tuple[int | None, str]:
    session = make_session(UserFactory(roles=["observer"]))
    token = Token.objects.create(user=UserFactory(roles=["clinician"])).key
    with daphne(tmp_path, "sessions") as base:
        code = asyncio.run(_oversized_frame_close_code(base, session.code, token))
    return code, "".join(p.read_text() for p in tmp_path.glob("sessions-*.log"))


@pytest.fixture
def oversized(transactional_db: Any, tmp_path: Path) -> tuple[int | None, str]:
    return _close_code_and_log(tmp_path)


def test_oversized_frame_closes_the_socket_without_a_traceback(oversized):
    code, log = oversized
    assert code is not None, "the connection was dropped without a close frame"
    assert "Traceback" not in log and "Exception inside application" not in log, log[-3000:]


def test_oversized_frame_closes_1009_under_daphne(oversized):
    assert oversized[0] == 1009
