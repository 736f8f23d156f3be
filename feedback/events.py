"""Real-time events: group names, payloads, and sending them only after the transaction commits."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.db import transaction

from feedback.live.coalescer import Coalescer

log = logging.getLogger(__name__)

BACKLOG_GROUP = "backlog"
FLAGS_GROUP = "output_feedback"  # ws/output-feedback/: the dashboard's live flags and bursts


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


# --- Live sessions: frames are serialized once per broadcast and forwarded as-is by consumers.

SESSION_FRAME = "session.frame"
Flush = Callable[[set[Any]], list[tuple[str, dict[str, Any]]]]
# The one coalescer of this process (state with a lifetime is an object: tests make their own).
COALESCER = Coalescer()


def session_send_on_commit(
    session_id: int, frame: dict[str, Any], *, facilitators_only: bool = False
) -> None:
    """After commit, one frame to every socket of a live session (feedback.live.hub), or to
    its facilitators only. `results_visible: false` also drops aggregates still held for
    participants' slow sockets."""
    hides = frame.get("type") == "results_visible" and not frame.get("visible")
    slot = "hide" if hides else None
    transaction.on_commit(
        lambda: live_hub().broadcast_threadsafe(
            session_id, frame, slot=slot, facilitators_only=facilitators_only
        )
    )


def aggregate_on_commit(
    session_id: int, screen_id: int, *, state: dict[str, Any] | None = None, visible: bool = False
) -> None:
    """After commit, the screen's aggregate goes out in the session's next coalesced flush
    (`state`: the one just committed, which the hub may send without reading it back)."""
    transaction.on_commit(
        lambda: live_hub().request_aggregate(session_id, screen_id, state=state, visible=visible)
    )


def live_hub() -> Any:
    from feedback.live.hub import HUB

    return HUB


def session_frame(payload: dict[str, Any]) -> dict[str, Any]:
    """A layer event carrying one pre-serialized JSON frame (serialized here, once)."""
    return {"type": SESSION_FRAME, "text": json.dumps(payload, separators=(",", ":"))}


def remember_loop(loop: asyncio.AbstractEventLoop) -> None:
    """Consumers call this: coalesced broadcasts are scheduled on the loop serving sockets."""
    COALESCER.attach(loop)


def coalesce(key: str, item: Any, flush: Flush, coalescer: Coalescer | None = None) -> None:
    """Ask for `flush(items)` to run with `item`, at most one flush in flight per `key`
    (feedback.live.coalescer). Without a running serving loop in this process (scripts, sync
    tests) it flushes at once."""
    coalescer = coalescer or COALESCER
    if not coalescer.serving():
        _send_all(flush({item}))
        return
    coalescer.add(key, item, _layer_flush(key, flush))


def _send_all(sends: list[tuple[str, dict[str, Any]]]) -> None:
    for group, event in sends:
        send_now(group, event)


def _layer_flush(key: str, flush: Flush) -> Callable[[set[Any]], Awaitable[None]]:
    async def run(items: set[Any]) -> None:
        sends = await database_sync_to_async(flush)(items)
        layer = get_channel_layer()
        for group, event in sends:
            await layer.group_send(group, event)

    return run


def backlog_item_event(item: dict[str, Any]) -> dict[str, Any]:
    """ws/backlog/ frame {"type": "item", "item": {...}} for the backlog group."""
    return {"type": "backlog.item", "payload": {"type": "item", "item": item}}


def flag_event(flag: dict[str, Any]) -> dict[str, Any]:
    """ws/output-feedback/ frame {"type": "flag", "flag": {...}}."""
    return {"type": "flags.message", "payload": {"type": "flag", "flag": flag}}


def flags_event(flags: list[dict[str, Any]]) -> dict[str, Any]:
    """Several new flags in one channel-layer message (a batch stored together); each consumer
    sends them as the same {"type": "flag"} frames, one per flag."""
    return {"type": "flags.batch", "payloads": [{"type": "flag", "flag": f} for f in flags]}


def flag_burst_event(burst: dict[str, Any]) -> dict[str, Any]:
    """ws/output-feedback/ frame {"type": "burst", "burst": {tool, model_version, count, ...}}."""
    return {"type": "flags.message", "payload": {"type": "burst", "burst": burst}}


def send_soon_on_commit(group: str, event: dict[str, Any]) -> None:
    """Like send_on_commit, but the request thread does not wait for the channel layer: on a
    server the send is handed to the serving loop and the thread goes on (a busy ward's flags
    would otherwise queue behind each other's group_send). Elsewhere it sends at once."""
    transaction.on_commit(lambda: _send_soon(group, event))


def _send_soon(group: str, event: dict[str, Any]) -> None:
    from asgiref.sync import SyncToAsync

    loop = getattr(SyncToAsync.threadlocal, "main_event_loop", None)
    layer = get_channel_layer()
    if layer is None or loop is None or loop.is_closed() or not loop.is_running():
        send_now(group, event)
        return
    future = asyncio.run_coroutine_threadsafe(layer.group_send(group, event), loop)
    future.add_done_callback(_log_failure(group))


def _log_failure(group: str) -> Callable[[Any], None]:
    def check(future: Any) -> None:
        if not future.cancelled() and future.exception() is not None:
            log.error("channel layer send to %s failed", group, exc_info=future.exception())

    return check
