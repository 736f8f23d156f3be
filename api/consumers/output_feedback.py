"""ws/output-feedback/: flags on AI outputs and burst alerts, live, for the dashboard."""

from __future__ import annotations

from typing import Any

from api.consumers.base import WatchConsumer
from feedback import events, roles


class OutputFeedbackConsumer(WatchConsumer):
    group_name = events.FLAGS_GROUP
    permission = roles.OUTPUT_FEEDBACK_READ

    async def flags_message(self, event: dict[str, Any]) -> None:
        await self.send_json(event["payload"])

    async def flags_batch(self, event: dict[str, Any]) -> None:
        for payload in event["payloads"]:
            await self.send_json(payload)
