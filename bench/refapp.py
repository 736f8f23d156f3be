"""Benchmarks only (never imported by production code): everything Rounds serves, plus two
reference WebSocket routes on the same Daphne process that bench/bench_fanout.py measures Rounds
against (docs/sessions.md, "Fan-out against the floor").

- ws/bench/floor/<room>/: the least work the job physically needs. On a `rate` message: one
  durable insert (one row into `bench_ref_rating`, committed), then ONE pre-serialized text frame,
  framed once by Autobahn, written straight to every local socket of the room (a module-level set
  of consumers; no channel layer, no per-socket serialization).
  With REDIS_URL (several Daphne processes) the same text also goes, before the local writes, to
  the other processes by ONE Redis PUBLISH; each process's subscriber writes it, framed once, to
  its own sockets of the room.
- ws/bench/textbook/<room>/: the Channels tutorial's broadcast. The same insert, then
  `channel_layer.group_send` on a stock `InMemoryChannelLayer` (with REDIS_URL: channels-redis,
  the layer `REDIS_CHANNEL_LAYER` picks); every consumer serializes and sends the frame in its own
  handler.

Both answer every socket of the room with {"type": "aggregate", "room", "count", "scores"}, where
`count` is the number of ratings the room has stored through the process that received them (the
bench sends every rating of a room to one process). They check no token or
origin: the bench binds Daphne to 127.0.0.1 and nothing else serves this module.

Serve with: python -m backend.server -b 127.0.0.1 -p 8001 bench.refapp:application
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from channels.routing import URLRouter
from django.conf import settings
from django.db import connection, transaction
from django.urls import path

from backend.asgi import application as rounds_application  # sets up Django first

TEXTBOOK_LAYER = "bench-textbook"
# The stock layer, whatever Rounds itself uses: in-process, or channels-redis across processes.
settings.CHANNEL_LAYERS.setdefault(
    TEXTBOOK_LAYER,
    {
        "BACKEND": settings.REDIS_LAYERS[settings.REDIS_CHANNEL_LAYER],
        "CONFIG": {"hosts": [settings.REDIS_URL], "prefix": f"{settings.CHANNEL_PREFIX}-tb"},
    }
    if settings.REDIS_URL
    else {"BACKEND": "channels.layers.InMemoryChannelLayer"},
)
TABLE = "bench_ref_rating"
_table_ready = False


def store(room: str, scores: Any) -> None:
    """The one durable insert a rating needs: a row, committed."""
    global _table_ready
    with connection.cursor() as cursor:
        if not _table_ready:
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {TABLE} (room varchar(64) NOT NULL, "
                "scores text NOT NULL, created double precision NOT NULL)"
            )
            _table_ready = True
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (room, scores, created) VALUES (%s, %s, %s)",
            [room, json.dumps(scores), time.time()],
        )


def _scores(text_data: str | None) -> Any:
    try:
        content = json.loads(text_data or "")
    except ValueError:
        return None
    if not isinstance(content, dict) or content.get("type") != "rate":
        return None
    return content.get("scores") or {}


class _Room:
    """Per-process bookkeeping of one room: its sockets (floor) and its rating count."""

    def __init__(self) -> None:
        self.sockets: set[FloorConsumer] = set()
        self.count = 0


FLOOR_ROOMS: dict[str, _Room] = {}
TEXTBOOK_COUNTS: dict[str, int] = {}


class _FloorLink:
    """With REDIS_URL: one PUBLISH per rating to the other processes, and this process's
    subscriber writing what the others published to its own sockets."""

    def __init__(self) -> None:
        self.origin = uuid.uuid4().hex[:12]
        self.channel = f"{settings.CHANNEL_PREFIX}:bench-floor"
        self.client: Any = None
        self.listening: asyncio.Task[None] | None = None
        self.subscribed = asyncio.Event()

    async def start(self) -> None:
        """Subscribed before the first socket is accepted (again on a new event loop: tests)."""
        loop = asyncio.get_running_loop()
        if self.listening is None or self.listening.done() or self.listening.get_loop() is not loop:
            import redis.asyncio as aioredis

            self.client = aioredis.Redis.from_url(settings.REDIS_URL)
            self.subscribed = asyncio.Event()
            self.listening = loop.create_task(self.listen())
        await self.subscribed.wait()

    async def publish(self, room: str, text: str) -> None:
        await self.client.publish(self.channel, f"{self.origin}|{room}|{text}")

    async def listen(self) -> None:
        pubsub = self.client.pubsub()
        await pubsub.subscribe(self.channel)
        self.subscribed.set()
        async for raw in pubsub.listen():
            if raw.get("type") != "message":
                continue
            origin, room, text = raw["data"].decode().split("|", 2)
            if origin != self.origin and room in FLOOR_ROOMS:
                await write_all(FLOOR_ROOMS[room], text)


FLOOR_LINK = _FloorLink() if settings.REDIS_URL else None


async def write_all(room: _Room, text: str) -> None:
    """ONE frame, framed once per Autobahn factory, written straight to every local socket."""
    prepared: dict[int, Any] = {}
    for consumer in list(room.sockets):
        protocol = consumer.protocol()
        if protocol is None:  # not under Daphne (tests): plain ASGI send
            await consumer.send(text_data=text)
            continue
        if protocol.state != protocol.STATE_OPEN:
            continue
        message = prepared.get(id(protocol.factory))
        if message is None:
            message = protocol.factory.prepareMessage(text.encode(), isBinary=False)
            prepared[id(protocol.factory)] = message
        protocol.sendPreparedMessage(message)


class FloorConsumer(AsyncWebsocketConsumer):
    channel_layer_alias = "bench: the floor uses no channel layer"

    @property
    def room(self) -> str:
        return str(self.scope["url_route"]["kwargs"]["room"])

    async def connect(self) -> None:
        if FLOOR_LINK is not None:
            await FLOOR_LINK.start()
        await self.accept()
        FLOOR_ROOMS.setdefault(self.room, _Room()).sockets.add(self)

    async def disconnect(self, code: int) -> None:
        room = FLOOR_ROOMS.get(self.room)
        if room is not None:
            room.sockets.discard(self)

    def protocol(self) -> Any:
        """The Twisted protocol behind Daphne's `send` (a partial of handle_reply)."""
        args = getattr(self.base_send, "args", ())
        return args[0] if args and hasattr(args[0], "sendPreparedMessage") else None

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        scores = _scores(text_data)
        if scores is None:
            return
        await database_sync_to_async(store)(self.room, scores)
        room = FLOOR_ROOMS[self.room]
        room.count += 1
        text = json.dumps(
            {"type": "aggregate", "room": self.room, "count": room.count, "scores": scores}
        )
        if FLOOR_LINK is not None:  # first, so the other processes write while this one does
            await FLOOR_LINK.publish(self.room, text)
        await write_all(room, text)


class TextbookConsumer(AsyncWebsocketConsumer):
    channel_layer_alias = TEXTBOOK_LAYER

    @property
    def room(self) -> str:
        return str(self.scope["url_route"]["kwargs"]["room"])

    @property
    def group(self) -> str:
        return f"bench-textbook-{self.room}"

    async def connect(self) -> None:
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        scores = _scores(text_data)
        if scores is None:
            return
        await database_sync_to_async(store)(self.room, scores)
        count = TEXTBOOK_COUNTS[self.room] = TEXTBOOK_COUNTS.get(self.room, 0) + 1
        await self.channel_layer.group_send(
            self.group, {"type": "rating.stored", "count": count, "scores": scores}
        )

    async def rating_stored(self, event: dict[str, Any]) -> None:
        await self.send(
            text_data=json.dumps(
                {
                    "type": "aggregate",
                    "room": self.room,
                    "count": event["count"],
                    "scores": event["scores"],
                }
            )
        )


_bench_routes = URLRouter(
    [
        path("ws/bench/floor/<str:room>/", FloorConsumer.as_asgi()),
        path("ws/bench/textbook/<str:room>/", TextbookConsumer.as_asgi()),
    ]
)


async def application(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] == "websocket" and scope.get("path", "").startswith("/ws/bench/"):
        await _bench_routes(scope, receive, send)
        return
    await rounds_application(scope, receive, send)
