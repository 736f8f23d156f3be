"""ws/backlog/: live backlog item changes for product owners and admins."""

from __future__ import annotations

from typing import Any

from api.consumers.base import WatchConsumer
from feedback import events, roles


class BacklogConsumer(WatchConsumer):
    group_name = events.BACKLOG_GROUP
    permission = roles.TRIAGE

    async def backlog_item(self, event: dict[str, Any]) -> None:
        await self.send_json(event["payload"])
