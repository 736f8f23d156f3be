"""Adaptive coalescing: per key, at most one flush in flight; whatever arrives meanwhile goes out
in the next flush, started the moment the running one ends. An idle key flushes at once (no
window to wait out), a busy one flushes as fast as flushes complete, so the rate adapts to what
the readers and writers can take instead of to a fixed clock."""

from __future__ import annotations

import asyncio
import contextvars
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

log = logging.getLogger(__name__)

AsyncFlush = Callable[[set[Any]], Awaitable[None]]
Clock = Callable[[], float]
FORGET_AFTER = 60.0  # seconds a key's bookkeeping is kept after its last flush


class Coalescer:
    """One per process. `add` may be called from any thread; flushes run on `loop`."""

    def __init__(self, *, clock: Clock = time.monotonic, min_interval: float = 0.0) -> None:
        self.clock = clock
        self.min_interval = min_interval  # 0: no floor between flushes of one key
        self.loop: asyncio.AbstractEventLoop | None = None
        self.pending: dict[Any, set[Any]] = {}
        self.running: set[Any] = set()
        self.last_start: dict[Any, float] = {}

    def attach(self, loop: asyncio.AbstractEventLoop) -> None:
        """The loop serving sockets; flushes are scheduled there."""
        self.loop = loop

    def serving(self) -> bool:
        loop = self.loop
        return loop is not None and not loop.is_closed() and loop.is_running()

    def add(self, key: Any, item: Any, flush: AsyncFlush) -> None:
        """Ask for `flush(items)` with `item` among them, as soon as this key allows."""
        loop = self.loop
        assert loop is not None, "attach() a serving loop first"
        # A fresh context: the caller's (a sync_to_async worker) would make the flush task believe
        # it runs inside that worker, and asgiref would refuse its database call as a deadlock.
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            self._add(key, item, flush)
        else:
            loop.call_soon_threadsafe(self._add, key, item, flush, context=contextvars.Context())

    def _add(self, key: Any, item: Any, flush: AsyncFlush) -> None:
        self.pending.setdefault(key, set()).add(item)
        if key not in self.running:
            self.running.add(key)
            assert self.loop is not None
            self.loop.create_task(self._drain(key, flush), context=contextvars.Context())

    def delay(self, key: Any) -> float:
        """Seconds to wait before the next flush of `key` (0 unless min_interval asks for it)."""
        last = self.last_start.get(key)
        if last is None or self.min_interval <= 0:
            return 0.0
        return max(0.0, last + self.min_interval - self.clock())

    async def _drain(self, key: Any, flush: AsyncFlush) -> None:
        try:
            while self.pending.get(key):
                wait = self.delay(key)
                if wait > 0:
                    await asyncio.sleep(wait)
                items = self.pending.pop(key)
                self.last_start[key] = self.clock()
                try:
                    await flush(items)
                except Exception:  # a lost live push is logged; the data is committed
                    log.exception("coalesced flush of %s failed", key)
        finally:
            self.running.discard(key)
            if not self.pending.get(key):
                self.pending.pop(key, None)
            self.forget_idle()

    def forget_idle(self) -> None:
        """Drop the bookkeeping of keys idle for a while (ended sessions), so it stays small."""
        if len(self.last_start) < 256:
            return
        now = self.clock()
        for key, at in list(self.last_start.items()):
            if now - at > FORGET_AFTER and key not in self.running and key not in self.pending:
                del self.last_start[key]
