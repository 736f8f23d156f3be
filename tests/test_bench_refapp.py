"""bench/refapp.py's reference routes (the fan-out bench's floor and textbook broadcast) answer,
store the rating and reach every socket of the room, so the benchmark cannot rot unnoticed."""

from __future__ import annotations

import json
from typing import Any

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


@pytest.mark.redis
@pytest.mark.slow
async def test_over_redis_a_rating_reaches_the_sockets_of_the_other_process(
    redis_required: str, tmp_path: Any
) -> None:
    """Two real Daphne processes serving bench/refapp.py: the rating goes to one, the sockets on
    the other get the frame through Redis (the floor's one PUBLISH, the textbook's group_send)."""
    import asyncio

    import websockets
    from channels.db import database_sync_to_async

    from tests.live import launch, process_env, stop

    env = process_env()
    procs = [
        launch(env, tmp_path / f"{name}.log", app="bench.refapp:application") for name in ("a", "b")
    ]
    try:
        for kind in ("floor", "textbook"):
            room = f"x-{kind}"
            urls = [f"ws://127.0.0.1:{port}/ws/bench/{kind}/{room}/" for _, port in procs]
            near = [await websockets.connect(urls[0]) for _ in range(2)]
            far = [await websockets.connect(urls[1]) for _ in range(2)]
            await near[0].send(json.dumps({"type": "rate", "scores": {"a": 3}}))
            for ws in [*near, *far]:
                frame = json.loads(await asyncio.wait_for(ws.recv(), 10))
                assert frame == {"type": "aggregate", "room": room, "count": 1, "scores": {"a": 3}}
            for ws in [*near, *far]:
                await ws.close()
            assert await database_sync_to_async(stored)(room) == 1
    finally:
        for proc, _ in procs:
            stop(proc)
