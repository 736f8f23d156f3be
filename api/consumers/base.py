"""What the send-only sockets (ws/notifications/, ws/backlog/) share: they answer `ping` and
turn anything else a client sends into an `error` frame, never an exception."""

from __future__ import annotations

from typing import Any

from channels.generic.websocket import AsyncJsonWebsocketConsumer


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
