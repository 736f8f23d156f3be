"""WebSocket paths that match no route are closed with 4404, not a traceback."""

from __future__ import annotations

import pytest
from channels.testing import WebsocketCommunicator

from backend.asgi import application

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]
ORIGIN = (b"origin", b"http://127.0.0.1:8000")


@pytest.mark.parametrize(
    "path", ["/ws/sessions/", "/ws/sessions/ABC/extra/", "/ws/sessions/ACDEFG", "/ws/nope/", "/"]
)
async def test_unknown_socket_paths_close_4404(path: str) -> None:
    comm = WebsocketCommunicator(application, path, headers=[ORIGIN])
    connected, _ = await comm.connect()
    assert connected
    message = await comm.receive_output(timeout=3)
    assert message == {"type": "websocket.close", "code": 4404}


async def test_a_foreign_origin_is_refused_before_routing() -> None:
    comm = WebsocketCommunicator(application, "/ws/nope/", headers=[(b"origin", b"http://x.test")])
    connected, _ = await comm.connect()
    assert connected  # accepted so that the close code can say why
    assert await comm.receive_output(timeout=3) == {"type": "websocket.close", "code": 4403}
