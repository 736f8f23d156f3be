"""The Redis link between Daphne processes: one PUBLISH per frame to every process, a per-session
lease so one process flushes a session's aggregates at a time (whatever arrives meanwhile is left
in a dirty set the holder takes before letting go: the last rating is never swallowed), and
presence as a sorted set of connection ids scored by expiry (refreshed by heartbeats)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

import redis.asyncio as aioredis

log = logging.getLogger(__name__)

LEASE_MS = 3000  # a flush holding it longer is presumed dead (kill -9): the next one takes over

# SADD the items; take the lease if free and with it every dirty item (possibly none).
CLAIM = """
for i = 3, #ARGV do redis.call('SADD', KEYS[1], ARGV[i]) end
if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then
  local items = redis.call('SMEMBERS', KEYS[1])
  redis.call('DEL', KEYS[1])
  return items
end
return false
"""
# The holder, after a flush: more dirty items -> keep the lease and take them; none -> let go.
# A lease lost to expiry and taken by another process -> false (that one flushes).
RELEASE = """
local cur = redis.call('GET', KEYS[2])
if cur and cur ~= ARGV[1] then return false end
local items = redis.call('SMEMBERS', KEYS[1])
if #items == 0 then
  if cur then redis.call('DEL', KEYS[2]) end
  return {}
end
redis.call('DEL', KEYS[1])
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
return items
"""


class RedisLink:
    def __init__(self, url: str, prefix: str, origin: str) -> None:
        self.url, self.prefix, self.origin = url, prefix, origin
        self.channel = f"{prefix}:live"
        self.client = aioredis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self.claim_script = self.client.register_script(CLAIM)
        self.release_script = self.client.register_script(RELEASE)
        self.healthy = True

    def key(self, kind: str, session_id: int) -> str:
        return f"{self.prefix}:live:{kind}:{session_id}"

    async def publish(self, message: str) -> None:
        await self.client.publish(self.channel, f"{self.origin}|{message}")

    async def claim(self, session_id: int, items: Iterable[Any], token: str) -> list[str] | None:
        keys = [self.key("dirty", session_id), self.key("lease", session_id)]
        got = await self.claim_script(keys=keys, args=[token, LEASE_MS, *map(str, items)])
        return None if got is None else [i.decode() for i in got]

    async def release(self, session_id: int, token: str) -> list[str]:
        keys = [self.key("dirty", session_id), self.key("lease", session_id)]
        got = await self.release_script(keys=keys, args=[token, LEASE_MS])
        return [] if got is None else [i.decode() for i in got]

    async def presence_touch(self, members: dict[int, list[str]], expires: float) -> None:
        async with self.client.pipeline(transaction=False) as pipe:
            for session_id, conns in members.items():
                if conns:
                    pipe.zadd(self.key("presence", session_id), dict.fromkeys(conns, expires))
                    pipe.expire(self.key("presence", session_id), 3600)
            await pipe.execute()

    async def presence_remove(self, session_id: int, conn: str) -> None:
        await self.client.zrem(self.key("presence", session_id), conn)

    async def presence_count(self, session_id: int, now: float) -> int:
        key = self.key("presence", session_id)
        async with self.client.pipeline(transaction=False) as pipe:
            pipe.zremrangebyscore(key, "-inf", now)
            pipe.zcard(key)
            _, count = await pipe.execute()
        return int(count)

    async def listen(
        self, on_message: Callable[[str], None], on_health: Callable[[bool], Awaitable[None]]
    ) -> None:
        """Subscribe for good: every other process's frames to `on_message`; losing Redis and
        getting it back to `on_health` (the hub tells sockets, then re-sends state)."""
        delay = 0.2
        while True:
            try:
                pubsub = self.client.pubsub()
                await pubsub.subscribe(self.channel)
                if not self.healthy:
                    self.healthy = True
                    await on_health(True)
                delay = 0.2
                async for raw in pubsub.listen():
                    if raw.get("type") != "message":
                        continue
                    data = raw["data"].decode()
                    origin, _, message = data.partition("|")
                    if origin != self.origin:
                        on_message(message)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # Redis gone: degrade, keep trying
                log.warning("live link to Redis lost (%s); retrying", exc)
                if self.healthy:
                    self.healthy = False
                    await on_health(False)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 2.0)

    async def failed(self, on_health: Callable[[bool], Awaitable[None]]) -> None:
        """A command failed: mark degraded now rather than at the subscriber's next read."""
        if self.healthy:
            self.healthy = False
            await on_health(False)
