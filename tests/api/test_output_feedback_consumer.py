"""ws/output-feedback/: dashboard readers watch flags and bursts arrive live; others are refused."""

from __future__ import annotations

import uuid

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from backend.asgi import application
from feedback.services import output_feedback as svc
from tests.api.test_backlog_consumer import (  # noqa: F401 (an autouse fixture)
    ORIGIN,
    _close_sync_thread_connections,
    closed_with,
    token_for,
)
from tests.factories import ToolFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


async def open_socket(user=None):
    query = f"?token={await token_for(user)}" if user else ""
    comm = WebsocketCommunicator(application, f"/ws/output-feedback/{query}", headers=[ORIGIN])
    await comm.connect()
    return comm


def flag(tool_id, version="4.1"):
    data = svc.FlagInput(
        client_id=uuid.uuid4(),
        output_ref="sepsis-alert/2231",
        model_version=version,
        verdict="not_helpful",
        categories=("alert_fatigue",),
        harm="mild",
    )
    return svc.flag_submit(tool_id=tool_id, data=data)


async def test_anonymous_is_refused_4401():
    assert await closed_with(await open_socket()) == 4401


@pytest.mark.parametrize("persona", ["clinician", "outsider"])
async def test_roles_without_the_dashboard_are_refused_4403(personas, persona):
    assert await closed_with(await open_socket(personas[persona])) == 4403


@pytest.mark.parametrize("persona", ["observer", "product_owner", "admin"])
async def test_flags_and_a_burst_arrive_live(personas, persona, settings):
    settings.ROUNDS_FLAG_BURST = {"count": 2, "minutes": 5}
    comm = await open_socket(personas[persona])
    assert (await comm.receive_json_from(timeout=2))["type"] == "hello"
    tool = await database_sync_to_async(ToolFactory)()
    stored, _ = await database_sync_to_async(flag)(tool.pk)
    frame = await comm.receive_json_from(timeout=3)
    assert frame["type"] == "flag" and frame["flag"]["id"] == stored.pk
    assert frame["flag"]["categories"] == ["alert_fatigue"] and frame["flag"]["tool"] == tool.pk
    await database_sync_to_async(flag)(tool.pk)
    kinds = [(await comm.receive_json_from(timeout=3))["type"] for _ in range(2)]
    assert sorted(kinds) == ["burst", "flag"]
    await comm.disconnect()
