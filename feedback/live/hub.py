"""The per-process hub of live-session sockets.

Frames are serialized once and written by this process straight to its own sockets (through each
socket's Outbox), and with REDIS_URL carried to the other processes by one PUBLISH. A session's
aggregates are coalesced adaptively (feedback.live.coalescer) and, across processes, flushed by one
process at a time under a Redis lease. Presence is a set of live connections with an expiry the
hub refreshes while they live. Redis going away degrades the live layer (sockets get `error
degraded`, writes are still stored) and its return re-sends `state` to every socket."""

from __future__ import annotations

import asyncio
import contextvars
import json
import logging
import threading
import time
import uuid
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from asgiref.sync import SyncToAsync
from django.conf import settings

from feedback import aggregates
from feedback.live.coalescer import Clock, Coalescer
from feedback.live.link import RedisLink
from feedback.live.outbox import Frame, Outbox

log = logging.getLogger(__name__)

PRESENCE_TTL = 45.0  # seconds a connection counts without a heartbeat (client pings every 15)
REFRESH_EVERY = 15.0
PRESENCE_EVERY = 0.25
TICK = 0.05  # how often held frames of slow sockets are retried
# A flush reads the aggregates in a thread of its own: through the consumers' shared
# thread-sensitive executor it would queue behind every rating transaction of the process waiting
# there, so under load the frame that carries a rating waited for the ratings after it.
FLUSH_READS = ThreadPoolExecutor(1, thread_name_prefix="live-flush")
# On PostgreSQL the sockets' own database work (a rating, a screen change) runs in a small pool
# of its own, not in the one thread-sensitive thread every consumer of the process shares: there a
# facilitator's screen change waited behind every rating queued before it (each several round
# trips, each slowed by the CPU-bound sync batches holding the GIL). A consumer still handles its
# own frames one at a time, in order. SQLite takes one writer at a time and makes the others
# poll with sleeps (its busy timeout): there the one thread stays (bench/bench_fanout.py's
# sustained run fell behind with four).
LIVE_DB = ThreadPoolExecutor(4, thread_name_prefix="live-db")


CHECKED = threading.local()
CHECK_EVERY = 1.0


class KeptConnection(SyncToAsync):  # type: ignore[type-arg]
    """`database_sync_to_async` without its connection churn: channels' version closes the
    thread's connection after every call where CONN_MAX_AGE says so (always, on SQLite), and on
    PostgreSQL its health check costs a `SELECT 1` round trip per call, so each rating and each
    flush paid a connect (and a close before its result came back) on the way to the sockets.
    Here the thread keeps its connection for its life (Django's health checks run at most once a
    second per thread, its age limit not at all: CONN_MAX_AGE is 0 for request threads, which end
    with their request, and would reconnect these few long-lived threads every second); one that
    failed is closed (a rating answered `unavailable` is sent again on a fresh one) and a read
    that failed on it is retried once."""

    def thread_handler(self, loop: Any, *args: Any, **kwargs: Any) -> Any:
        from django.db import InterfaceError, OperationalError, connection, connections

        now = time.monotonic()
        if now - getattr(CHECKED, "at", -CHECK_EVERY) >= CHECK_EVERY:
            CHECKED.at = now  # Django's own checks at most once a second a thread
            for conn in connections.all(initialized_only=True):
                conn.close_at = None  # kept: see above
                conn.close_if_unusable_or_obsolete()
        try:
            return super().thread_handler(loop, *args, **kwargs)  # type: ignore[no-untyped-call]
        except (InterfaceError, OperationalError):
            connection.close()
            if not self.retry or connection.in_atomic_block:
                raise
            return super().thread_handler(loop, *args, **kwargs)  # type: ignore[no-untyped-call]
        finally:
            if connection.errors_occurred and not connection.in_atomic_block:
                connection.close()

    retry = False


class KeptConnectionRead(KeptConnection):
    retry = True  # a read only: safe to run again on a fresh connection


def live_db(fn: Callable[..., Any]) -> Callable[..., Awaitable[Any]]:
    """The live sockets' database work (in LIVE_DB on PostgreSQL), on a kept connection."""
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        return KeptConnection(fn)
    wrapped = KeptConnection(fn, thread_sensitive=False, executor=LIVE_DB)
    return wrapped


def dumps(frame: dict[str, Any]) -> str:
    return json.dumps(frame, separators=(",", ":"), default=str)


@dataclass(frozen=True)
class Carried:
    """A screen's aggregate as the rating that made it committed it, serialized in the rating's
    thread, so the flush sends it without a thread hop and a read back (the floor's one hop:
    bench/bench_fanout.py). Only on SQLite without Redis, the embedded default: there writers
    take the database in turn (IMMEDIATE transactions), so the visibility the rating read was
    still true when it committed, and `version` orders a screen's states; a flush sends one
    only if nothing newer went out before it. Elsewhere, and after a control frame (a hide, a
    screen change) went out, the flush reads what is true."""

    screen: int
    version: int
    visible: bool
    text: str


@dataclass
class Conn:
    id: str
    session_id: int
    outbox: Outbox
    resync: Callable[[], Awaitable[None]]
    counted: bool


class Hub:
    def __init__(self, *, clock: Clock = time.time, redis_url: str | None = None) -> None:
        self.clock = clock
        self.redis_url = redis_url
        self.conns: dict[int, dict[str, Conn]] = {}
        self.coalescer = Coalescer()
        # Presence is not urgent and a class joining at once would cost N frames to N sockets
        # each: at most 4 presence flushes a second per session (the first one at once).
        self.presence_coalescer = Coalescer(clock=time.monotonic, min_interval=PRESENCE_EVERY)
        self.loop: asyncio.AbstractEventLoop | None = None
        self.link: RedisLink | None = None
        self.origin = uuid.uuid4().hex[:12]
        self.tasks: list[asyncio.Task[Any]] = []
        self.presence_ttl, self.refresh_every = PRESENCE_TTL, REFRESH_EVERY
        self.last_presence: dict[int, int] = {}
        self.flushes = 0
        self.sent: dict[int, dict[int, int]] = {}  # session -> screen -> version last sent
        self.reread: set[int] = set()  # sessions whose next flush reads back (see Carried)

    # --- lifecycle -------------------------------------------------------------------------

    def start(self, loop: asyncio.AbstractEventLoop) -> None:
        if self.loop is loop and not loop.is_closed():
            return
        self.loop = loop
        self.presence_ttl = settings.ROUNDS_PRESENCE_TTL
        self.refresh_every = settings.ROUNDS_PRESENCE_REFRESH
        Outbox.soft_bytes = settings.ROUNDS_LIVE_SOFT_BYTES
        Outbox.hard_bytes = settings.ROUNDS_LIVE_HARD_BYTES
        Outbox.max_held = settings.ROUNDS_LIVE_MAX_HELD
        self.coalescer.attach(loop)
        self.presence_coalescer.attach(loop)
        url = self.redis_url if self.redis_url is not None else settings.REDIS_URL
        if url:
            self.link = RedisLink(url, settings.CHANNEL_PREFIX, self.origin)
            self.spawn(self.link.listen(self.on_remote, self.on_health))
        self.spawn(self.ticker())

    def spawn(self, coro: Awaitable[Any]) -> asyncio.Task[Any]:
        assert self.loop is not None
        task: asyncio.Task[Any] = self.loop.create_task(
            coro,  # type: ignore[arg-type]
            context=contextvars.Context(),
        )
        self.tasks.append(task)
        task.add_done_callback(self.tasks.remove)
        return task

    def serving_loop(self) -> asyncio.AbstractEventLoop | None:
        loop = self.loop
        if loop is None or loop.is_closed() or not loop.is_running():
            loop = getattr(SyncToAsync.threadlocal, "main_event_loop", None)
            if loop is None or loop.is_closed() or not loop.is_running():
                return None
            self.start(loop)
        return loop

    # --- sockets ---------------------------------------------------------------------------

    async def attach(self, conn: Conn) -> None:
        self.start(asyncio.get_running_loop())
        self.conns.setdefault(conn.session_id, {})[conn.id] = conn
        if conn.counted:
            await self.presence_changed(conn.session_id, added=conn.id)

    async def detach(self, conn: Conn) -> None:
        room = self.conns.get(conn.session_id, {})
        if room.pop(conn.id, None) is None:
            return
        if not room:
            self.conns.pop(conn.session_id, None)
            self.sent.pop(conn.session_id, None)
            self.reread.discard(conn.session_id)
        if conn.counted:
            await self.presence_changed(conn.session_id, removed=conn.id)

    def deliver(self, session_id: int, frame: Frame) -> None:
        """To this process's sockets of the session, written now where they can take it."""
        if frame.slot is None or frame.slot == "hide":
            self.reread.add(session_id)
        for conn in list(self.conns.get(session_id, {}).values()):
            if frame.slot == "hide":
                conn.outbox.forget_aggregates()
            conn.outbox.push(frame)

    def on_remote(self, message: str) -> None:
        session, flags, slot, text = message.split("|", 3)
        frame = Frame(text, slot=slot or None, facilitators_only="f" in flags)
        self.deliver(int(session), frame)

    async def broadcast(self, session_id: int, frame: Frame) -> None:
        if self.link is None:
            self.deliver(session_id, frame)
            return
        # This process's sockets are written on the loop's next turn, once the PUBLISH is on its
        # way (while its reply is awaited): the other processes write theirs meanwhile, as the
        # floor does, instead of after this one's (bench/bench_fanout.py --redis).
        delivered = False

        def local() -> None:
            nonlocal delivered
            delivered = True
            self.deliver(session_id, frame)

        handle = asyncio.get_running_loop().call_soon(local)
        flags = "f" if frame.facilitators_only else "a"
        try:
            await self.link.publish(f"{session_id}|{flags}|{frame.slot or ''}|{frame.text}")
        except Exception:
            await self.link.failed(self.on_health)
        if not delivered:  # the publish failed without yielding: never leave the sockets out
            handle.cancel()
            local()

    def broadcast_threadsafe(self, session_id: int, frame: dict[str, Any], **kw: Any) -> None:
        """From a service (any thread, after commit): hand the frame to the serving loop."""
        made = Frame(dumps(frame), **kw)
        loop = self.serving_loop()
        if loop is None:
            self.publish_without_loop(session_id, made)
            return
        loop.call_soon_threadsafe(
            self.spawn, self.broadcast(session_id, made), context=contextvars.Context()
        )

    def publish_without_loop(self, session_id: int, frame: Frame) -> None:
        """A script or sync test: no local sockets; with Redis, the processes that serve get it."""
        url = self.redis_url if self.redis_url is not None else settings.REDIS_URL
        if not url:
            return
        import redis

        flags = "f" if frame.facilitators_only else "a"
        message = f"{self.origin}|{session_id}|{flags}|{frame.slot or ''}|{frame.text}"
        try:
            redis.Redis.from_url(url, socket_timeout=2).publish(
                f"{settings.CHANNEL_PREFIX}:live", message
            )
        except Exception:
            log.warning("live frame for session %s not published: Redis unreachable", session_id)

    # --- aggregates ------------------------------------------------------------------------

    def request_aggregate(
        self,
        session_id: int,
        screen_id: int,
        *,
        state: aggregates.State | None = None,
        visible: bool = False,
    ) -> None:
        """After a rating commits: the screen's aggregate goes out in the session's next flush
        (`state`: the one the rating committed, sent as it is where that is safe: Carried)."""
        loop = self.serving_loop()
        if loop is None:
            from feedback.selectors import sessions as sel

            seen, rows = sel.aggregate_frames(session_id, [screen_id])
            for _, frame in rows:
                self.publish_without_loop(session_id, self.aggregate_frame(frame, seen))
            return
        item: int | Carried = screen_id
        if state is not None and self.carries():
            from feedback.selectors.sessions import aggregate_frame

            text = dumps(aggregate_frame(screen_id, state))
            item = Carried(screen_id, aggregates.version(state), visible, text)
        self.coalescer.add(f"agg.{session_id}", item, self.flusher(session_id))

    def carries(self) -> bool:
        return self.link is None and settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")

    def flusher(self, session_id: int) -> Callable[[set[Any]], Awaitable[None]]:
        async def flush(items: set[Any]) -> None:
            await self.flush_aggregates(session_id, items)

        return flush

    async def flush_aggregates(self, session_id: int, items: set[Any]) -> None:
        carried = [i for i in items if isinstance(i, Carried)]
        if self.link is None:
            plain = {int(i) for i in items if not isinstance(i, Carried)}
            await self.flush_once(session_id, plain, carried)
            return
        screens: set[int] = {int(i.screen if isinstance(i, Carried) else i) for i in items}
        token = uuid.uuid4().hex
        if self.link is not None and self.link.healthy:
            try:
                got = await self.link.claim(session_id, screens, token)
            except Exception:
                await self.link.failed(self.on_health)
                got = list(map(str, screens))  # degraded: flush for our own sockets
            else:
                if got is None:  # another process holds the lease and will take these too
                    self.spawn(self.retake_later(session_id))
                    return
            screens = {int(i) for i in got}
        while screens:
            await self.flush_once(session_id, screens)
            screens = set()
            if self.link is not None and self.link.healthy:
                try:
                    screens = {int(i) for i in await self.link.release(session_id, token)}
                except Exception:
                    await self.link.failed(self.on_health)

    async def flush_once(
        self, session_id: int, screens: set[int], carried: list[Carried] | None = None
    ) -> None:
        """Send the screens' aggregates: carried ones as they are, the others read back."""
        from feedback.selectors import sessions as sel

        self.flushes += 1
        sent = self.sent.setdefault(session_id, {})
        newest: dict[int, Carried] = {}
        if session_id in self.reread:  # a control frame went out since: read what is true now
            self.reread.discard(session_id)
            screens = screens | {c.screen for c in carried or []}
        else:
            for c in carried or []:
                best = newest.get(c.screen)
                if c.screen not in screens and (best is None or c.version > best.version):
                    newest[c.screen] = c
        for screen, c in sorted(newest.items()):  # no await before these writes: see Carried
            if c.version > sent.get(screen, -1):
                sent[screen] = c.version
                frame = Frame(c.text, slot=f"aggregate:{screen}", facilitators_only=not c.visible)
                await self.broadcast(session_id, frame)
        if not screens:
            return
        read = KeptConnectionRead(
            sel.aggregate_frames, thread_sensitive=False, executor=FLUSH_READS
        )
        visible, rows = await read(session_id, screens)
        for version, payload in rows:
            sent[payload["screen"]] = max(version, sent.get(payload["screen"], -1))
            await self.broadcast(session_id, self.aggregate_frame(payload, visible))

    @staticmethod
    def aggregate_frame(frame: dict[str, Any], visible: bool) -> Frame:
        return Frame(
            dumps(frame), slot=f"aggregate:{frame['screen']}", facilitators_only=not visible
        )

    async def retake_later(self, session_id: int) -> None:
        """If the lease holder died mid-flush, its lease expires: take over what it left."""
        from feedback.live.link import LEASE_MS

        await asyncio.sleep(LEASE_MS / 1000 + 0.1)
        if self.link is not None and self.link.healthy:
            with_items = await self.link.client.scard(self.link.key("dirty", session_id))
            if with_items:
                await self.flush_aggregates(session_id, set())

    # --- presence --------------------------------------------------------------------------

    async def presence_changed(
        self, session_id: int, *, added: str = "", removed: str = ""
    ) -> None:
        if self.link is not None and self.link.healthy:
            try:
                if added:
                    members = {session_id: [added]}
                    await self.link.presence_touch(members, self.clock() + self.presence_ttl)
                if removed:
                    await self.link.presence_remove(session_id, removed)
            except Exception:
                await self.link.failed(self.on_health)
        self.presence_coalescer.add(session_id, None, self.presence_flusher(session_id))

    def presence_flusher(self, session_id: int) -> Callable[[set[Any]], Awaitable[None]]:
        async def flush(_: set[Any]) -> None:
            count = await self.presence_count(session_id)
            self.last_presence[session_id] = count
            frame = Frame(dumps({"type": "presence", "count": count}), slot="presence")
            await self.broadcast(session_id, frame)

        return flush

    def local_count(self, session_id: int) -> int:
        return sum(1 for c in self.conns.get(session_id, {}).values() if c.counted)

    async def presence_count(self, session_id: int) -> int:
        if self.link is not None and self.link.healthy:
            try:
                return await self.link.presence_count(session_id, self.clock())
            except Exception:
                await self.link.failed(self.on_health)
        return self.local_count(session_id)

    async def refresh_presence(self) -> None:
        if self.link is None or not self.link.healthy:
            return
        members = {
            sid: [c.id for c in room.values() if c.counted] for sid, room in self.conns.items()
        }
        try:
            await self.link.presence_touch(members, self.clock() + self.presence_ttl)
        except Exception:
            await self.link.failed(self.on_health)
            return
        # Connections of a killed process expire without anyone leaving: tell the room.
        for session_id in members:
            count = await self.presence_count(session_id)
            if count != self.last_presence.get(session_id):
                self.presence_coalescer.add(session_id, None, self.presence_flusher(session_id))

    # --- health and housekeeping -----------------------------------------------------------

    async def on_health(self, healthy: bool) -> None:
        if not healthy:
            text = dumps({"type": "error", "code": "degraded",
                          "detail": "Live updates are paused (the server lost its message bus); "
                          "your ratings and comments are still saved."})  # fmt: skip
            for room in list(self.conns.values()):
                for conn in list(room.values()):
                    conn.outbox.push(Frame(text))
            return
        log.info("live link to Redis back: re-sending state to every socket")
        await self.refresh_presence()
        for room in list(self.conns.values()):
            for conn in list(room.values()):
                self.spawn(conn.resync())

    async def ticker(self) -> None:
        last_refresh = last_check = self.clock()
        while True:
            await asyncio.sleep(TICK)
            for room in list(self.conns.values()):
                for conn in list(room.values()):
                    if conn.outbox.backlog:
                        conn.outbox.drain()
            now = self.clock()
            if self.link is not None and not self.link.healthy and now - last_check >= 0.5:
                last_check = now
                await self.check_link()
            if now - last_refresh >= self.refresh_every:
                last_refresh = now
                await self.refresh_presence()

    async def check_link(self) -> None:
        link = self.link
        if link is None or link.healthy:
            return
        try:
            await link.client.ping()
        except Exception:
            return
        link.healthy = True
        await self.on_health(True)


HUB = Hub()
