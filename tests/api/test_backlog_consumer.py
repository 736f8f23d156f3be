"""ws/backlog/: only product owners and admins watch; linking evidence streams the item live."""

from __future__ import annotations

import pytest
import pytest_asyncio
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import connections
from rest_framework.authtoken.models import Token

from backend.asgi import application
from feedback.context import Actor
from feedback.services import backlog as svc
from tests.factories_backlog import BacklogItemFactory, ObservationFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]
ORIGIN = (b"origin", b"http://127.0.0.1:8000")


@pytest_asyncio.fixture(autouse=True)
async def _close_sync_thread_connections():
    """The sync worker thread keeps its own connection; close it so the test DB can be dropped."""
    yield
    await database_sync_to_async(connections.close_all)()


@database_sync_to_async
def token_for(user):
    return Token.objects.get_or_create(user=user)[0].key


async def open_socket(user=None, origin=ORIGIN):
    query = f"?token={await token_for(user)}" if user else ""
    comm = WebsocketCommunicator(application, f"/ws/backlog/{query}", headers=[origin])
    await comm.connect()
    return comm


async def closed_with(comm):
    message = await comm.receive_output(timeout=2)
    if message["type"] == "websocket.accept":
        message = await comm.receive_output(timeout=2)
    return message.get("code")


async def test_anonymous_is_refused_4401():
    assert await closed_with(await open_socket()) == 4401


@pytest.mark.parametrize("persona", ["observer", "clinician", "outsider"])
async def test_other_roles_are_refused_4403(personas, persona):
    assert await closed_with(await open_socket(personas[persona])) == 4403


async def test_foreign_origin_is_refused_4403(product_owner):
    comm = await open_socket(product_owner, origin=(b"origin", b"http://evil.example"))
    assert await closed_with(comm) == 4403


@pytest.mark.parametrize("persona", ["product_owner", "admin"])
async def test_linking_evidence_streams_the_item_to_watchers(personas, persona):
    comm = await open_socket(personas[persona])
    assert (await comm.receive_json_from(timeout=2))["type"] == "hello"
    item = await database_sync_to_async(BacklogItemFactory)()
    obs = await database_sync_to_async(ObservationFactory)(severity=4)
    actor = Actor(user=personas["product_owner"])
    await database_sync_to_async(svc.backlog_link_evidence)(
        actor=actor, item=item, evidence={"observations": [obs.pk]}
    )
    frame = await comm.receive_json_from(timeout=3)
    assert frame["type"] == "item"
    assert frame["item"]["id"] == item.pk
    assert frame["item"]["evidence_counts"]["observations"] == 1
    assert frame["item"]["priority"] == sum(frame["item"]["priority_breakdown"].values()) > 0
    await comm.disconnect()


async def test_bad_frames_get_error_frames(product_owner):
    comm = await open_socket(product_owner)
    await comm.receive_json_from(timeout=2)
    await comm.send_to(text_data="not json")
    assert (await comm.receive_json_from(timeout=2))["code"] == "bad_json"
    await comm.send_json_to({"type": "nope"})
    assert (await comm.receive_json_from(timeout=2))["code"] == "unknown_type"
    await comm.disconnect()
