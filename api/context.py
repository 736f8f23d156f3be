"""Builds the domain's Actor (who, from where) from a request or a WebSocket scope."""

from __future__ import annotations

from typing import Any

from feedback.context import Actor


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
