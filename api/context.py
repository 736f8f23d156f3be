"""Builds the domain's Actor (who, from where) from a request or a WebSocket scope."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from rest_framework.exceptions import NotAuthenticated

from feedback.context import Actor
from feedback.models import User


def authed_user(request: Any) -> User:
    """The signed-in user of a request whose permission classes already refused anonymous ones.

    Views hand this to services instead of `request.user` (typed `User | AnonymousUser`): the
    narrowing happens once, here, and an anonymous caller that slipped through gets a 401."""
    user = request.user
    if isinstance(user, AnonymousUser) or user is None or not user.is_authenticated:
        raise NotAuthenticated()
    return user  # type: ignore[no-any-return]


def actor_from_request(request: Any) -> Actor:
    meta = request.META
    # Not X-Forwarded-For: any client can write that header. Behind the proxy, Daphne's
    # --proxy-headers puts the real client address into REMOTE_ADDR (docs/deployment.md).
    ip = meta.get("REMOTE_ADDR")
    return Actor(user=request.user, ip=ip or None, user_agent=meta.get("HTTP_USER_AGENT", ""))


def actor_from_scope(scope: dict[str, Any], user: Any = None) -> Actor:
    client = scope.get("client") or [None]
    headers = dict(scope.get("headers") or [])
    agent = headers.get(b"user-agent", b"").decode("latin-1")
    return Actor(
        user=user if user is not None else scope.get("user"), ip=client[0], user_agent=agent
    )
