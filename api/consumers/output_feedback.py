"""ws/output-feedback/: flags on AI outputs and burst alerts, live, for the dashboard."""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async

from api.consumers.base import SendOnlyConsumer
from api.wsauth import CLOSE_FORBIDDEN, CLOSE_NOT_AUTHENTICATED
from feedback import events, roles


@database_sync_to_async
def _may_watch(user: Any) -> bool:
    return roles.allows(user, roles.OUTPUT_FEEDBACK_READ)


class OutputFeedbackConsumer(SendOnlyConsumer):
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
        await self.channel_layer.group_add(events.FLAGS_GROUP, self.channel_name)
        self.joined = True
        await self.send_json({"type": "hello", "user": user.pk})

    async def disconnect(self, code: int) -> None:
        if self.joined:
            await self.channel_layer.group_discard(events.FLAGS_GROUP, self.channel_name)

    async def flags_message(self, event: dict[str, Any]) -> None:
        await self.send_json(event["payload"])
