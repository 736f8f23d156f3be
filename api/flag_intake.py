"""The hot path of AI output feedback, in front of Django: a widget's flag (tool key, reporter
token, JSON) is checked here and stored by one writer thread in batches, one transaction each.

Each flag through Django's request cycle cost about 1.5 authenticated no-ops, so one `make run`
server stored ~120 flags a second (bench/reports/flags.md). Here the serving loop reads and checks
the JSON (the same rules: `feedback.output_feedback.problems`), the writer reads keys, reporters
and replays once per batch and inserts the batch with one statement, and the 201 goes out only
after that batch committed, so an answered flag is never lost. Every other request to the path
goes to the DRF view unchanged: another method or content type, a cookie or an Authorization
header, a body or field the view would refuse or read differently, an anonymous flag (limited per
key), and any flag the writer turns back (a key unknown, revoked, of another tool or origin, a
reporter who may no longer flag, a client_id already used). So answers and error shapes stay the
view's own. A database error answers 503 `unavailable` (nothing stored; retrying with the same
client_id is safe) and the writer reconnects for the next batch."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import logging
import os
import queue
import re
import threading
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from asgiref.sync import SyncToAsync
from django.conf import settings
from django.core.signals import setting_changed
from django.db import DatabaseError, IntegrityError, connection
from django.dispatch import receiver
from django.http.request import split_domain_port, validate_host
from django.utils.cache import patch_vary_headers
from rest_framework.renderers import JSONRenderer

from api import cors
from api.errors import error_body
from api.middleware import LOOPBACK, read_up_to, replay
from api.reporter import reporter_claim
from feedback.models import OutputFeedback
from feedback.output_feedback import MAX_COMMENT, normalize_origin
from feedback.selectors.output_feedback import flag_public
from feedback.services import output_feedback as svc

log = logging.getLogger("rounds.api")

PATH = re.compile(r"/api/tools/([1-9][0-9]{0,17})/output-feedback/")
MAX_BODY = 64 * 1024  # a flag is under 10 KB (a 2000-character comment, escaped); more: the view
MAX_BATCH = 256
RETRY_AFTER = 1
# The middleware whose effect on this answer is written out below (`_Answer`); with any other
# list the fast path stays off, so a new middleware cannot be skipped by accident.
MIDDLEWARE = (
    "api.middleware.CloseConnectionsMiddleware",  # closes the view thread's connections: no header
    "api.middleware.PlainHttpCoopMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "api.middleware.ApiSlashMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "api.middleware.ApiNotFoundMiddleware",
)
# The view's `Allow` (APIView: its methods, with HEAD for GET).
ALLOW = "GET, POST, HEAD, OPTIONS"

Asgi = Callable[..., Awaitable[Any]]


class Fallback(Exception):
    """This request takes the DRF view."""


UNAVAILABLE = (
    "Rounds could not store the flag just now (the database did not answer); nothing was"
    f" stored. Send it again with the same client_id in {RETRY_AFTER} s or later."
)


def enabled() -> bool:
    return bool(settings.ROUNDS_FLAG_INTAKE) and (tuple(settings.MIDDLEWARE) == MIDDLEWARE)


class FlagIntake:
    """ASGI: POST /api/tools/{id}/output-feedback/ that it can answer fully; the rest to `app`."""

    def __init__(self, app: Asgi, writer: BatchWriter | None = None) -> None:
        self.app = app
        self.writer = writer or WRITER

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        match = PATH.fullmatch(scope.get("path", "")) if scope["type"] == "http" else None
        if match is None or scope["method"] != "POST" or not enabled():
            return await self.app(scope, receive, send)
        headers = _headers(scope)
        if headers is None:
            return await self.app(scope, receive, send)
        # BodyLimit (outside) has refused bodies over the limit already.
        body = await read_up_to(receive, settings.ROUNDS_MAX_REQUEST_BYTES) or b""
        replayed = replay(body, receive)
        try:
            item = parse(int(match.group(1)), headers, body)
        except Fallback:
            return await self.app(scope, replayed, send)
        answer = await self.writer.submit(item)
        if answer is None:
            return await self.app(scope, replayed, send)
        return await answer.send(send, _secure(scope, headers), _coop_kept(scope, headers))


def _headers(scope: dict[str, Any]) -> dict[str, str] | None:
    """The request's headers when they are ones the fast path answers the view's way: JSON, a
    tool key, no cookie or Authorization (those are the view's sign-in paths), a known Host."""
    found: dict[str, str] = {}
    for raw_name, raw_value in scope["headers"]:
        name = raw_name.decode("latin-1").lower()
        if name in found or name in ("cookie", "authorization"):
            return None
        found[name] = raw_value.decode("latin-1")
    ctype = found.get("content-type", "").replace(" ", "").lower()
    if ctype not in ("application/json", "application/json;charset=utf-8"):
        return None
    if not found.get("x-rounds-tool-key") or not _host_allowed(found.get("host", "")):
        return None
    if settings.SECURE_SSL_REDIRECT and not _secure(scope, found):
        return None  # SecurityMiddleware's redirect
    return found


def _host_allowed(host: str) -> bool:
    """Django's own Host check (CommonMiddleware asks every request for it)."""
    if settings.USE_X_FORWARDED_HOST or settings.DISALLOWED_USER_AGENTS or settings.PREPEND_WWW:
        return False
    domain, _port = split_domain_port(host)
    return bool(domain) and validate_host(domain, settings.ALLOWED_HOSTS)


def _coop_kept(scope: dict[str, Any], headers: dict[str, str]) -> bool:
    """PlainHttpCoopMiddleware keeps Cross-Origin-Opener-Policy over HTTPS and on localhost."""
    host = headers.get("host", "").rsplit(":", 1)[0]
    return _secure(scope, headers) or host in LOOPBACK or host.endswith(".localhost")


def _secure(scope: dict[str, Any], headers: dict[str, str]) -> bool:
    """HttpRequest.is_secure(): the proxy's header when settings name one, else the scheme."""
    if settings.SECURE_PROXY_SSL_HEADER:
        meta, value = settings.SECURE_PROXY_SSL_HEADER
        sent = headers.get(meta.removeprefix("HTTP_").replace("_", "-").lower())
        if sent is not None:
            return sent.split(",", 1)[0].strip() == value
    return scope.get("scheme") == "https"


def _strict(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")  # DRF refuses NaN and Infinity too


def parse(tool_id: int, headers: dict[str, str], body: bytes) -> svc.KeyedFlag:
    """The flag, when the view would store it as it is; else Fallback."""
    if len(body) > MAX_BODY:
        raise Fallback
    try:
        data = json.loads(body.decode("utf-8"), parse_constant=_strict)
        if not isinstance(data, dict):
            raise Fallback
        flag = svc.FlagInput(
            client_id=uuid.UUID(_text(data["client_id"], 100)),
            output_ref=_text(data["output_ref"], 1000),
            model_version=_text(data["model_version"], 200),
            verdict=_text(data["verdict"], 40),
            categories=tuple(_text(c, 40) for c in _list(data.get("categories", []))),
            harm=None if data.get("harm") is None else _text(data["harm"], 40),
            harm_reached=_bool(data.get("harm_reached", False)),
            comment=_text(data.get("comment", ""), MAX_COMMENT, blank=True),
        )
        token = _text(data.get("reporter", ""), 500, blank=True)
    except (ValueError, KeyError, TypeError, RecursionError) as exc:
        raise Fallback from exc
    if svc.flag_problems(flag) or token != token.strip():
        raise Fallback
    reporter = reporter_claim(token, tool_id=tool_id) if token else None
    if reporter is None:  # anonymous (limited per key) or a bad token: the view answers
        raise Fallback
    origin = headers.get("origin") or None
    return svc.KeyedFlag(
        tool_id=tool_id,
        raw_key=headers["x-rounds-tool-key"],
        origin=origin and (normalize_origin(origin) or "null"),  # as cors.request_origin
        reporter_id=reporter,
        data=flag,
    )


def _text(value: Any, limit: int, blank: bool = False) -> str:
    """A string DRF's CharField keeps as it is (no type coercion, NUL or lone surrogate)."""
    if not isinstance(value, str) or len(value) > limit or (not value and not blank):
        raise Fallback
    if "\x00" in value:
        raise Fallback
    value.encode("utf-8")  # UnicodeEncodeError (a ValueError) on a lone surrogate
    return value


def _list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise Fallback
    return value


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise Fallback
    return value


class _Answer:
    """What the view answers a stored flag (201) or the fast path a database error (503), with
    the headers the view's middleware adds (tests compare the two byte for byte)."""

    def __init__(self, status: int, body: bytes, cors_origin: str | None) -> None:
        self.status, self.body, self.cors_origin = status, body, cors_origin

    async def send(self, send: Any, secure: bool, coop: bool = True) -> None:
        headers = self.headers(secure)
        if not coop:  # PlainHttpCoopMiddleware
            headers = [h for h in headers if h[0].lower() != b"cross-origin-opener-policy"]
        await send({"type": "http.response.start", "status": self.status, "headers": headers})
        await send({"type": "http.response.body", "body": self.body})

    def headers(self, secure: bool) -> list[tuple[bytes, bytes]]:
        length = (b"Content-Length", str(len(self.body)).encode())
        return [*_fixed_headers(self.status, self.cors_origin, secure), length]


@functools.lru_cache(maxsize=64)
def _fixed_headers(status: int, cors_origin: str | None, secure: bool) -> list[tuple[bytes, bytes]]:
    """Every header but Content-Length, built once per kind of answer (Django's response
    object and middleware steps cost a fifth of the fast path's time per request)."""
    from django.http import HttpResponse

    response = HttpResponse(b"", content_type="application/json", status=status)
    if status == 503:
        response["Retry-After"] = str(RETRY_AFTER)
    response["Allow"] = ALLOW
    if cors_origin:
        cors.allow(response, cors_origin)
    else:
        cors.vary(response)
    patch_vary_headers(response, ("Cookie",))  # the session was read to find no user
    response["X-Frame-Options"] = settings.X_FRAME_OPTIONS
    _security(response, secure)
    return [(k.encode("latin-1"), v.encode("latin-1")) for k, v in response.items()]


@receiver(setting_changed)
def _settings_changed(**kwargs: Any) -> None:
    _fixed_headers.cache_clear()


def _security(response: Any, secure: bool) -> None:
    """SecurityMiddleware.process_response."""
    if settings.SECURE_HSTS_SECONDS and secure:
        sts = f"max-age={settings.SECURE_HSTS_SECONDS}"
        if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
            sts += "; includeSubDomains"
        if settings.SECURE_HSTS_PRELOAD:
            sts += "; preload"
        response["Strict-Transport-Security"] = sts
    if settings.SECURE_CONTENT_TYPE_NOSNIFF:
        response["X-Content-Type-Options"] = "nosniff"
    policy = settings.SECURE_REFERRER_POLICY
    if policy:
        values = [v.strip() for v in policy.split(",")] if isinstance(policy, str) else policy
        response["Referrer-Policy"] = ",".join(values)
    if settings.SECURE_CROSS_ORIGIN_OPENER_POLICY:
        response["Cross-Origin-Opener-Policy"] = settings.SECURE_CROSS_ORIGIN_OPENER_POLICY


def _stored(flag: OutputFeedback, origin: str | None) -> _Answer:
    return _Answer(201, JSONRenderer().render(flag_public(flag)), origin)


def _unavailable(origin: str | None) -> _Answer:
    return _Answer(503, JSONRenderer().render(error_body("unavailable", UNAVAILABLE)), origin)


Store = Callable[[list[svc.KeyedFlag]], list[OutputFeedback | None]]


class BatchWriter:
    """One thread storing the flags handed to it, a batch at a time (whatever queued while the
    last batch was written, at most MAX_BATCH): `submit` returns the answer once the batch
    committed, or None when the view must answer that flag."""

    def __init__(self, store: Store | None = None, max_batch: int = MAX_BATCH) -> None:
        self.store = store or (lambda items: svc.flag_submit_batch(items=items))
        self.max_batch = max_batch
        self.queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self.thread: threading.Thread | None = None
        self.lock = threading.Lock()

    async def submit(self, item: svc.KeyedFlag) -> _Answer | None:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[_Answer | None] = loop.create_future()
        self.start()
        self.queue.put((item, loop, future))
        return await future

    def start(self) -> None:
        with self.lock:
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self.run, name="flag-writer", daemon=True)
                self.thread.start()

    def stop(self) -> None:
        """Finish what is queued, then end the thread and close its database connection."""
        with self.lock:
            thread, self.thread = self.thread, None
        if thread is not None:
            self.queue.put(None)
            thread.join(timeout=30)

    def run(self) -> None:
        try:
            while (batch := self.take()) is not None:
                self.write(batch)
        finally:
            connection.close()

    def take(self) -> list[Any] | None:
        first = self.queue.get()
        if first is None:
            return None
        batch = [first]
        while len(batch) < self.max_batch:
            try:
                nxt = self.queue.get_nowait()
            except queue.Empty:
                break
            if nxt is None:
                self.queue.put(None)  # stop after this batch
                break
            batch.append(nxt)
        return batch

    def write(self, batch: list[Any]) -> None:
        loop = batch[0][1]
        # Live frames go out on the serving loop, as from Django's own request threads.
        SyncToAsync.threadlocal.main_event_loop = loop
        SyncToAsync.threadlocal.main_event_loop_pid = os.getpid()
        items = [item for item, _, _ in batch]
        try:
            if connection.connection is not None and not connection.is_usable():
                connection.close()
            stored = self.store(items)
            answers = [
                _stored(f, i.origin) if f else None for f, i in zip(stored, items, strict=True)
            ]
        except IntegrityError:  # another process stored one of these client_ids meanwhile
            answers = [None for _ in batch]  # nothing was stored: the view answers each
        except DatabaseError:
            log.exception("Storing %d flags failed; each was answered 503", len(batch))
            connection.close()  # the next batch starts on a fresh connection
            answers = [_unavailable(None) for _ in batch]
        except Exception:
            log.exception("Storing %d flags failed; each goes to the view", len(batch))
            answers = [None for _ in batch]
        by_loop: dict[Any, list[tuple[asyncio.Future[Any], Any]]] = {}
        for (_, item_loop, future), answer in zip(batch, answers, strict=True):
            by_loop.setdefault(item_loop, []).append((future, answer))
        for item_loop, done in by_loop.items():  # one wake-up of each loop per batch
            with contextlib.suppress(RuntimeError):  # that loop closed: its requests are gone
                item_loop.call_soon_threadsafe(_resolve, done)


def _resolve(done: list[tuple[asyncio.Future[Any], Any]]) -> None:
    for future, answer in done:
        if not future.done():
            future.set_result(answer)


WRITER = BatchWriter()
