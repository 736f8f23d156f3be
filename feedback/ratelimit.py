"""Fixed-window counters in the shared cache (Redis when REDIS_URL), with an injectable clock."""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.cache import cache


@dataclass
class FixedWindow:
    """At most `limit` hits per `seconds` per key, counted across every process sharing the
    cache. `hit` returns None when allowed, else the seconds until the window ends."""

    name: str
    limit: int
    seconds: int
    clock: Callable[[], float] = field(default=time.time)

    def hit(self, key: str) -> int | None:
        now = self.clock()
        window = int(now // self.seconds)
        digest = hashlib.sha256(key.encode()).hexdigest()[:24]
        slot = f"rl:{self.name}:{digest}:{window}"
        # add() creates the window's counter atomically; incr() is atomic on Redis and locmem.
        if cache.add(slot, 1, timeout=self.seconds + 1):
            count = 1
        else:
            try:
                count = int(cache.incr(slot))
            except ValueError:  # expired between add and incr: this hit opens it again
                cache.set(slot, 1, timeout=self.seconds + 1)
                count = 1
        if count <= self.limit:
            return None
        return max(1, math.ceil((window + 1) * self.seconds - now))
