"""The Django cache on Redis, failing open: when Redis does not answer, each process falls back to
a local in-memory cache for a few seconds at a time, so logins, socket handshakes and throttles
keep working (each process then counts on its own) instead of answering 500."""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache

log = logging.getLogger(__name__)
RETRY_AFTER = 2.0  # seconds the local cache serves alone before Redis is tried again

_METHODS = ("add", "get", "set", "touch", "delete", "get_many", "has_key", "incr", "set_many",
            "delete_many", "clear")  # fmt: skip


class FailOpenRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self.local = LocMemCache(f"fail-open-{id(self)}", {"TIMEOUT": params.get("TIMEOUT", 300)})
        self.down_until = 0.0

    def _call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        if time.monotonic() >= self.down_until:
            try:
                return getattr(super(), name)(*args, **kwargs)
            except ValueError:
                raise  # incr of a missing key: the caller's business, Redis is fine
            except Exception as exc:
                self.down_until = time.monotonic() + RETRY_AFTER
                log.warning("cache on Redis unreachable (%s); using a local cache", exc)
        return getattr(self.local, name)(*args, **kwargs)


def _delegate(name: str) -> Any:
    def method(self: FailOpenRedisCache, *args: Any, **kwargs: Any) -> Any:
        return self._call(name, *args, **kwargs)

    method.__name__ = name
    return method


for _name in _METHODS:
    setattr(FailOpenRedisCache, _name, _delegate(_name))
