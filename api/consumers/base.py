"""What the send-only sockets (ws/notifications/, ws/backlog/, ws/output-feedback/) share: they
answer `ping` and turn anything else a client sends into an `error` frame, never an exception."""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from api.wsauth import CLOSE_FORBIDDEN, CLOSE_NOT_AUTHENTICATED
from feedback import roles


class SendOnlyConsumer(AsyncJsonWebsocketConsumer):
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


class WatchConsumer(SendOnlyConsumer):
    """A send-only socket joining one group (ws/backlog/, ws/output-feedback/, ws/notifications/):
    4401 anonymous, 4403 without `permission` (None: any signed-in user), then `hello`."""

    group_name: str = ""
    permission: Any = None  # a feedback.roles.Permission, or None for every signed-in user
    joined = False

    def group_for(self, user: Any) -> str:
        """The group this user's socket joins: one shared group unless a subclass says otherwise."""
        return self.group_name

    async def connect(self) -> None:
        user = self.scope.get("user")
        await self.accept()
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_NOT_AUTHENTICATED)
            return
        if self.permission is not None and not await database_sync_to_async(roles.allows)(
            user, self.permission
        ):
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.group_name = self.group_for(user)
        await self.channel_layer.group_add(self.group_name, self.channel_name)
        self.joined = True
        await self.send_json({"type": "hello", "user": user.pk})

    async def disconnect(self, code: int) -> None:
        if self.joined:
            await self.channel_layer.group_discard(self.group_name, self.channel_name)
