"""Keeps every answer under /api/ JSON: unknown routes, missing slashes, oversized bodies."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponsePermanentRedirect
from django.middleware.common import CommonMiddleware

from .errors import error_body, json_error

log = logging.getLogger("rounds.api")

_BY_STATUS = {
    400: ("bad_request", "The request could not be read; check its syntax."),
    403: ("forbidden", "You are not allowed to do this."),
    404: ("not_found", "No such resource here; check the path against /api/docs/."),
    405: ("method_not_allowed", "This method is not allowed on this path."),
    413: ("too_large", "The request body is too large."),
}


def is_api_path(path: str) -> bool:
    return path == "/api" or path.startswith("/api/")


class ApiNotFoundMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not is_api_path(request.path) or response.status_code not in _BY_STATUS:
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        code, detail = _BY_STATUS[response.status_code]
        return json_error(code, detail, response.status_code)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        """A bug under /api/ still answers JSON, never Django's HTML page; under DEBUG that page
        would show local variables and POST data, which may hold text not yet PHI-masked."""
        if not is_api_path(request.path):
            return None
        log.error(
            "Unhandled %s on %s %s", type(exc).__name__, request.method, request.path, exc_info=exc
        )
        detail = "Something went wrong on the server; it has been logged. Retry later."
        return json_error("server_error", detail, 500)


LOOPBACK = ("localhost", "127.0.0.1", "[::1]")


class CloseConnectionsMiddleware:
    """Close the request's database connections on the thread that opened them.

    Under ASGI, Django runs a request's sync middleware and view on a thread of its own (one
    `ThreadSensitiveContext` per request) but sends `request_finished` from the event loop, so
    Django's `close_old_connections` never runs on the thread that owns the connection: each
    request left its PostgreSQL connection open until the garbage collector found the dead
    thread's objects (Django ticket #33497; 90+ idle connections and "too many clients" 500s in
    bench/bench_live_load.py once full collections were made rarer). With CONN_MAX_AGE 0 (Django:
    no persistent connections under ASGI) this closes every request's connection when it ends.
    Outermost, so it runs after every other middleware, on the same thread as the view. A
    connection inside an atomic block (a test's transaction) is left alone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        try:
            return self.get_response(request)
        finally:
            for conn in connections.all(initialized_only=True):
                if not conn.in_atomic_block:
                    conn.close_if_unusable_or_obsolete()


class PlainHttpCoopMiddleware:
    """Drops Cross-Origin-Opener-Policy from plain-HTTP answers to a LAN address (a pilot on the
    ward network, README): browsers ignore it there and log a console error on every page for
    it. Over HTTPS and on localhost, where it works, it stays."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        host = request.get_host().rsplit(":", 1)[0] if request.get_host() else ""
        trusted = request.is_secure() or host in LOOPBACK or host.endswith(".localhost")
        if not trusted and "Cross-Origin-Opener-Policy" in response:
            del response["Cross-Origin-Opener-Policy"]
        return response


class PermanentRedirectKeepingMethod(HttpResponsePermanentRedirect):
    status_code = 308


class ApiSlashMiddleware(CommonMiddleware):
    """CommonMiddleware, but `/api/units` → 308 to `/api/units/`, so a POST keeps its method and
    body (Django's 301 turns it into a GET, and under DEBUG raises a 500 instead)."""

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if (
            is_api_path(request.path)
            and response.status_code == 404
            and self.should_redirect_with_slash(request)
        ):
            return PermanentRedirectKeepingMethod(request.get_full_path(force_append_slash=True))
        return super().process_response(request, response)


class BodyLimit:
    """ASGI: a body over ROUNDS_MAX_REQUEST_BYTES gets a 413 before Django buffers it; a chunked
    body under it is given a Content-Length (DRF reads a body without one as empty)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = settings.ROUNDS_MAX_REQUEST_BYTES
        declared = next((v for k, v in scope["headers"] if k == b"content-length"), None)
        if declared is not None:
            if declared.isdigit() and int(declared) > limit:
                return await _too_large(send, limit)
            return await self.app(scope, receive, send)
        body = await read_up_to(receive, limit)
        if body is None:
            return await _too_large(send, limit)
        headers = [*scope["headers"], (b"content-length", str(len(body)).encode())]
        return await self.app(dict(scope, headers=headers), replay(body, receive), send)


async def read_up_to(receive: Any, limit: int) -> bytes | None:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":  # the client left; Django will see that itself
            return b"".join(chunks)
        chunks.append(message.get("body", b""))
        size += len(chunks[-1])
        if size > limit:
            return None
        if not message.get("more_body"):
            return b"".join(chunks)


def replay(body: bytes, receive: Any) -> Any:
    sent = False

    async def replayed() -> dict[str, Any]:
        nonlocal sent
        if sent:
            return await receive()  # Django listens for http.disconnect after the body
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replayed


def _size(n: int) -> str:
    return f"{n / 2**20:g} MB" if n >= 2**20 else f"{n} bytes"


async def _too_large(send: Any, limit: int) -> None:
    detail = (
        f"The request body is over the {_size(limit)} limit; send less per request (a photo "
        f"may be at most {_size(settings.ROUNDS_MAX_UPLOAD_BYTES)}, a sync batch 500 items)."
    )
    body = json.dumps(error_body("too_large", detail)).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"x-content-type-options", b"nosniff"),
    ]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})
