"""ws/notifications/: pushes a user's own notifications to every socket of that user."""

from __future__ import annotations

from typing import Any

from api.consumers.base import SendOnlyConsumer
from api.wsauth import CLOSE_NOT_AUTHENTICATED
from feedback import events


class NotificationConsumer(SendOnlyConsumer):
    group: str | None = None

    async def connect(self) -> None:
        user = self.scope.get("user")
        await self.accept()
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_NOT_AUTHENTICATED)
            return
        self.group = events.user_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.send_json({"type": "hello", "user": user.pk})

    async def disconnect(self, code: int) -> None:
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def notification_message(self, event: dict[str, Any]) -> None:
        await self.send_json(event["payload"])
