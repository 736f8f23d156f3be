"""Any other WebSocket path: closed with 4404 (channels' URLRouter would raise, a 500 traceback)."""

from __future__ import annotations

from channels.generic.websocket import AsyncWebsocketConsumer


class NoRouteConsumer(AsyncWebsocketConsumer):
    async def connect(self) -> None:
        # Accepted first: a close before the handshake can only say 403, not why.
        await self.accept()
        await self.close(code=4404)
