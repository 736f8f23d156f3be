"""ws/notifications/: pushes a user's own notifications to every socket of that user."""

from __future__ import annotations

from typing import Any

from api.consumers.base import WatchConsumer
from feedback import events


class NotificationConsumer(WatchConsumer):
    def group_for(self, user: Any) -> str:
        return events.user_group(user.pk)

    async def notification_message(self, event: dict[str, Any]) -> None:
        await self.send_json(event["payload"])
