"""ws/backlog/: live backlog item changes for product owners and admins."""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from api.wsauth import CLOSE_FORBIDDEN, CLOSE_NOT_AUTHENTICATED
from feedback import events

WATCH_ROLES = ("product_owner", "admin")


@database_sync_to_async
def _may_watch(user: Any) -> bool:
    return bool(user.has_role(*WATCH_ROLES))


class BacklogConsumer(AsyncJsonWebsocketConsumer):
    joined = False

    async def connect(self) -> None:
        user = self.scope.get("user")
        await self.accept()
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_NOT_AUTHENTICATED)
            return
        if not await _may_watch(user):
            await self.close(code=CLOSE_FORBIDDEN)
            return
        await self.channel_layer.group_add(events.BACKLOG_GROUP, self.channel_name)
        self.joined = True
        await self.send_json({"type": "hello", "user": user.pk})

    async def disconnect(self, code: int) -> None:
        if self.joined:
            await self.channel_layer.group_discard(events.BACKLOG_GROUP, self.channel_name)

    async def receive(
        self, text_data: str | None = None, bytes_data: bytes | None = None, **kwargs: Any
    ) -> None:
        try:
            await super().receive(text_data=text_data, bytes_data=bytes_data, **kwargs)
        except (ValueError, RecursionError):  # not JSON, or nested deeper than json can read
            await self.send_json({"type": "error", "code": "bad_json", "detail": "Send JSON."})

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if isinstance(content, dict) and content.get("type") == "ping":
            await self.send_json({"type": "pong"})
            return
        await self.send_json(
            {"type": "error", "code": "unknown_type", "detail": "This socket only sends; try ping."}
        )

    async def backlog_item(self, event: dict[str, Any]) -> None:
        await self.send_json(event["payload"])
