"""Authentication: API tokens (scripts, tablets) and per-account login throttling."""

from __future__ import annotations

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
    return f"loginfail:{username.strip().lower()}"


def check_login_allowed(username: str) -> None:
    failures = cache.get(_key(username), 0)
    if failures >= settings.LOGIN_FAILURE_LIMIT:
        raise LoginThrottled(settings.LOGIN_FAILURE_WINDOW)


def record_login_failure(username: str) -> None:
    key = _key(username)
    if cache.add(key, 1, settings.LOGIN_FAILURE_WINDOW):
        return
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, settings.LOGIN_FAILURE_WINDOW)


def clear_login_failures(username: str) -> None:
    cache.delete(_key(username))
