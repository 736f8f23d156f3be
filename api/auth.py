"""Authentication: API tokens (scripts, tablets) and per-account login throttling."""

from __future__ import annotations

import hashlib
import math
import time

from django.conf import settings
from django.core.cache import cache
from rest_framework.authentication import TokenAuthentication

from feedback.errors import DomainError


class ExpiringTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>`; kept as its own class so 401s name the scheme."""


class LoginThrottled(DomainError):
    code = "throttled"
    http_status = 429

    def __init__(self, retry_after: int) -> None:
        super().__init__(
            f"Too many failed logins for this account; try again in {retry_after} seconds."
        )
        self.retry_after = retry_after


def _key(username: str) -> str:
    # Hashed: any characters a client sends stay valid in every cache backend's key syntax.
    return "loginfail:" + hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]


def check_login_allowed(username: str) -> None:
    key = _key(username)
    found = cache.get_many([key, key + ":since"])
    if found.get(key, 0) >= settings.LOGIN_FAILURE_LIMIT:
        since = found.get(key + ":since", time.time())
        left = settings.LOGIN_FAILURE_WINDOW - (time.time() - since)
        raise LoginThrottled(max(1, math.ceil(left)))


def record_login_failure(username: str) -> None:
    """Counts failures in a fixed window that opens at the first one (both keys expire with it)."""
    key, window = _key(username), settings.LOGIN_FAILURE_WINDOW
    if cache.add(key, 1, window):
        cache.set(key + ":since", time.time(), window)
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr: this failure opens a new window
        cache.set_many({key: 1, key + ":since": time.time()}, window)


def clear_login_failures(username: str) -> None:
    cache.delete_many([_key(username), _key(username) + ":since"])
