"""ws/notifications/: origin and auth checked; a user's notifications reach only that user."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from rest_framework.authtoken.models import Token

from backend.asgi import application
from feedback.services.notifications import notify

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]
ORIGIN = (b"origin", b"http://127.0.0.1:8000")


@database_sync_to_async
def token_for(user):
    return Token.objects.get_or_create(user=user)[0].key


async def connect(path, headers=(ORIGIN,)):
    comm = WebsocketCommunicator(application, path, headers=list(headers))
    connected, code = await comm.connect()
    return comm, connected, code


async def closed_with(comm):
    message = await comm.receive_output(timeout=2)
    if message["type"] == "websocket.accept":
        message = await comm.receive_output(timeout=2)
    return message.get("code")


async def test_anonymous_is_refused_4401():
    comm, connected, _ = await connect("/ws/notifications/")
    assert connected
    assert await closed_with(comm) == 4401


async def test_foreign_origin_is_refused_4403(observer):
    key = await token_for(observer)
    comm = WebsocketCommunicator(
        application,
        f"/ws/notifications/?token={key}",
        headers=[(b"origin", b"http://evil.example")],
    )
    await comm.connect()
    assert await closed_with(comm) == 4403


async def test_missing_origin_is_refused_4403(observer):
    key = await token_for(observer)
    comm = WebsocketCommunicator(application, f"/ws/notifications/?token={key}", headers=[])
    await comm.connect()
    assert await closed_with(comm) == 4403


async def test_bad_token_is_refused_4401():
    comm, _, _ = await connect("/ws/notifications/?token=nope")
    assert await closed_with(comm) == 4401


async def test_notification_reaches_only_its_user(observer, clinician):
    mine, _, _ = await connect(f"/ws/notifications/?token={await token_for(observer)}")
    theirs, _, _ = await connect(f"/ws/notifications/?token={await token_for(clinician)}")
    assert (await mine.receive_json_from())["type"] == "hello"
    assert (await theirs.receive_json_from())["type"] == "hello"
    await database_sync_to_async(notify)(
        users=[observer], kind="status_changed", title="Item 7 moved to planned"
    )
    got = await mine.receive_json_from(timeout=2)
    assert got["type"] == "notification" and got["title"] == "Item 7 moved to planned"
    assert await theirs.receive_nothing(timeout=0.3)
    await mine.disconnect()
    await theirs.disconnect()


async def test_junk_frames_get_error_frames_and_socket_stays_open(observer):
    comm, _, _ = await connect(f"/ws/notifications/?token={await token_for(observer)}")
    await comm.receive_json_from()
    await comm.send_to(text_data="{nope")
    assert (await comm.receive_json_from())["code"] == "bad_json"
    await comm.send_json_to({"type": "ping"})
    assert (await comm.receive_json_from())["type"] == "pong"
    await comm.disconnect()


async def test_deeply_nested_frame_gets_bad_json_and_the_socket_stays(observer):
    key = await token_for(observer)
    comm, connected, _ = await connect(f"/ws/notifications/?token={key}")
    assert connected
    assert (await comm.receive_json_from())["type"] == "hello"
    await comm.send_to(text_data="[" * 30_000 + "]" * 30_000)
    assert (await comm.receive_json_from())["code"] == "bad_json"
    await comm.send_json_to({"type": "ping"})
    assert (await comm.receive_json_from())["type"] == "pong"
    await comm.disconnect()
