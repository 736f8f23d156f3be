"""Real-time events: group names, payloads, and sending them only after the transaction commits."""

from __future__ import annotations

import logging
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

log = logging.getLogger(__name__)

BACKLOG_GROUP = "backlog"


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


def session_group(session_id: int) -> str:
    return f"session.{session_id}"


def session_facilitator_group(session_id: int) -> str:
    return f"session.{session_id}.facilitator"


def send_now(group: str, event: dict[str, Any]) -> None:
    """Send to a group immediately; a broken layer must not break the write that caused it."""
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(group, event)
    except Exception:  # the write already committed; losing a live push is logged, not raised
        log.exception("channel layer send to %s failed", group)


def send_on_commit(group: str, event: dict[str, Any]) -> None:
    transaction.on_commit(lambda: send_now(group, event))


def notification_event(payload: dict[str, Any]) -> dict[str, Any]:
    return {"type": "notification.message", "payload": payload}
