"""Authentication: API tokens (scripts, tablets) and per-account login throttling."""

from __future__ import annotations

import hashlib
import math
import time
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection
from django.db.models.expressions import RawSQL
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

from feedback.errors import DomainError
from feedback.models import User
from feedback.models.people import ROLES


def token_expires_at(token: Token) -> datetime:
    """A token lasts ROUNDS_TOKEN_TTL_DAYS from when it was issued."""
    return token.created + timedelta(days=settings.ROUNDS_TOKEN_TTL_DAYS)


def token_expired(token: Token) -> bool:
    return token_expires_at(token) <= timezone.now()


def token_issue(user: Any) -> Token:
    """The user's token, or a new one if they have none or theirs has expired."""
    token, created = Token.objects.get_or_create(user=user)
    if not created and token_expired(token):
        token.delete()
        token = Token.objects.create(user=user)
    return token


def tokens_revoke(user: Any) -> int:
    """Delete every API token of `user` (DRF keeps one per user); returns how many."""
    deleted, _ = Token.objects.filter(user=user).delete()
    return int(deleted)


class ExpiringTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>`: the token, its user and the user's group names in one query
    (every API call checks roles; a second query was a twentieth of a backlog page). Expired
    tokens are refused (401) and deleted."""

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        model: type[Token] = self.get_model()  # type: ignore[assignment]
        names = RawSQL(_group_names_sql(model._meta.db_table), [])
        try:
            token = model.objects.select_related("user").annotate(group_names=names).get(key=key)
        except model.DoesNotExist as exc:
            raise exceptions.AuthenticationFailed("Invalid token.") from exc
        if token_expired(token):
            token.delete()
            raise exceptions.AuthenticationFailed(
                "Token expired; sign in again (POST /api/auth/token/) for a new one."
            )
        user = token.user
        if not user.is_active:
            raise exceptions.AuthenticationFailed("User inactive or deleted.")
        held = set((token.group_names or "").split(",")) & set(ROLES)
        user._role_cache = sorted(held | ({"admin"} if user.is_superuser else set()))
        return user, token


def _group_names_sql(token_table: str) -> str:
    """A scalar subquery: the token user's role groups, comma-separated. Only exact role names
    are aggregated, so no other group's name can forge a role when the list is split."""
    glue = "string_agg" if connection.vendor == "postgresql" else "group_concat"
    through = User.groups.through._meta.db_table
    roles = ", ".join(f"'{role}'" for role in ROLES)  # constants, not input
    return (
        f'(SELECT {glue}(g."name", \',\') FROM "{Group._meta.db_table}" g '
        f'JOIN "{through}" ug ON ug."group_id" = g."id" '
        f'WHERE ug."user_id" = "{token_table}"."user_id" AND g."name" IN ({roles}))'
    )


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
