"""WebSocket auth and origin checks: ?token= API tokens, and refusals as 4401/4403 close codes."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlparse

from channels.db import database_sync_to_async
from channels.security.websocket import OriginValidator
from django.conf import settings
from django.contrib.auth.models import AnonymousUser

CLOSE_NOT_AUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_NOT_FOUND = 4404


def query_param(scope: dict[str, Any], name: str) -> str | None:
    values = parse_qs(scope.get("query_string", b"").decode("latin-1")).get(name)
    return values[0] if values else None


@database_sync_to_async
def _user_for_token(key: str) -> Any:
    from rest_framework.authtoken.models import Token

    from api.auth import token_expired

    token = Token.objects.select_related("user").filter(key=key).first()
    if token is None or token_expired(token) or not token.user.is_active:
        return AnonymousUser()
    return token.user


class TokenAuthMiddleware:
    """Runs inside AuthMiddlewareStack: a `?token=` query parameter overrides the session user."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        key = query_param(scope, "token")
        if key:
            scope = dict(scope, user=await _user_for_token(key))
        return await self.app(scope, receive, send)


async def refuse(send: Any, receive: Any, code: int) -> None:
    """Accept, then close with an application code the client can read (a 403 handshake can't)."""
    await receive()  # websocket.connect
    await send({"type": "websocket.accept"})
    await send({"type": "websocket.close", "code": code})


class RefusingOriginValidator(OriginValidator):  # type: ignore[misc]
    """Channels' origin check, but a refusal closes with 4403 instead of a bare HTTP 403."""

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        origin = dict(scope.get("headers") or []).get(b"origin")
        try:
            parsed = urlparse(origin.decode("latin-1")) if origin else None
        except UnicodeDecodeError:
            parsed = None
        if self.valid_origin(parsed):
            return await self.application(scope, receive, send)
        return await refuse(send, receive, CLOSE_FORBIDDEN)


def AllowedHostsOriginCheck(application: Any) -> RefusingOriginValidator:
    """Origin must match ALLOWED_HOSTS (as channels' AllowedHostsOriginValidator)."""
    allowed = list(settings.ALLOWED_HOSTS)
    if settings.DEBUG and not allowed:
        allowed = ["localhost", "127.0.0.1", "[::1]"]
    return RefusingOriginValidator(application, allowed)
