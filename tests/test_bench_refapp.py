"""bench/refapp.py's reference routes (the fan-out bench's floor and textbook broadcast) answer,
store the rating and reach every socket of the room, so the benchmark cannot rot unnoticed."""

from __future__ import annotations

import json

import pytest
from channels.testing import WebsocketCommunicator
from django.db import connection

from bench.refapp import TABLE, application

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


def stored(room: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {TABLE} WHERE room = %s", [room])
        return int(cursor.fetchone()[0])


@pytest.mark.parametrize("kind", ["floor", "textbook"])
async def test_a_rating_is_stored_and_reaches_every_socket_of_the_room(kind: str) -> None:
    from channels.db import database_sync_to_async

    room = f"t-{kind}"
    sockets = [WebsocketCommunicator(application, f"/ws/bench/{kind}/{room}/") for _ in range(3)]
    other = WebsocketCommunicator(application, f"/ws/bench/{kind}/elsewhere/")
    for ws in [*sockets, other]:
        connected, _ = await ws.connect()
        assert connected
    for n in (1, 2):
        await sockets[n % 3].send_to(text_data=json.dumps({"type": "rate", "scores": {"a": n}}))
        for ws in sockets:
            frame = json.loads(await ws.receive_from(timeout=5))
            assert frame == {"type": "aggregate", "room": room, "count": n, "scores": {"a": n}}
    assert await other.receive_nothing(timeout=0.2)  # another room hears nothing
    await sockets[0].send_to(text_data="not json")  # ignored, the socket stays usable
    assert await sockets[0].receive_nothing(timeout=0.2)
    assert await database_sync_to_async(stored)(room) == 2
    for ws in [*sockets, other]:
        await ws.disconnect()


async def test_everything_else_is_rounds() -> None:
    ws = WebsocketCommunicator(
        application, "/ws/nope/", headers=[(b"origin", b"http://127.0.0.1:8000")]
    )
    connected, _ = await ws.connect()
    assert connected
    assert await ws.receive_output(timeout=3) == {"type": "websocket.close", "code": 4404}
