"""ws/sessions/<code>/: the live co-design protocol (SPEC's frame table), one socket per person."""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any

from channels.consumer import get_handler_name
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.db import DatabaseError
from rest_framework import serializers

from api.context import actor_from_scope
from api.guest import guest_from_token
from api.serializers import sessions as s
from api.wsauth import CLOSE_FORBIDDEN, CLOSE_NOT_AUTHENTICATED, CLOSE_NOT_FOUND, query_param
from feedback.errors import DomainError, Forbidden
from feedback.live.hub import HUB, Conn, live_db
from feedback.live.outbox import Outbox
from feedback.models import Participant
from feedback.selectors import sessions as sel
from feedback.services import sessions as svc
from feedback.services.instruments import instrument_submit

log = logging.getLogger(__name__)
MAX_FRAME_BYTES = 64 * 1024
CLOSE_TOO_BIG = 1009
CLOSE_TOO_BIG_FALLBACK = 4009  # where the server refuses to send 1009 (see close_too_big)
FLOOD_LIMIT = 20  # messages per FLOOD_WINDOW seconds, per connection
FLOOD_WINDOW = 1.0


def _origin(scope: dict[str, Any]) -> str:
    return dict(scope.get("headers") or []).get(b"origin", b"").decode("latin-1")


def socket_base(scope: dict[str, Any]) -> str:
    """Base of absolute URLs in frames, as REST does: PUBLIC_BASE_URL, else the page's origin
    (checked against ALLOWED_HOSTS before the consumer runs)."""
    return settings.PUBLIC_BASE_URL or _origin(scope)


def admit(scope: dict[str, Any], code: str) -> int | tuple[Participant, str]:
    """A close code, or the participant this socket acts as and its serialized `state` frame."""
    raw_guest = query_param(scope, "guest")
    guest = guest_from_token(raw_guest) if raw_guest else None
    user = scope.get("user")
    if raw_guest and guest is None:
        return CLOSE_NOT_AUTHENTICATED
    if guest is None and (user is None or not user.is_authenticated):
        return CLOSE_NOT_AUTHENTICATED
    session = sel.open_session_by_code(code)
    if session is None:
        return CLOSE_NOT_FOUND
    if guest is not None:
        if guest.session_id != session.pk:
            return CLOSE_FORBIDDEN
        participant = sel.guest_participant(session=session, participant_id=guest.participant_id)
    elif user is not None and user.role_names():
        participant = svc.session_join(session=session, user=user)
    else:
        participant = None  # signed in without any role: not a member of the hospital's teams
    if participant is None:
        return CLOSE_FORBIDDEN
    return participant, json.dumps(sel.state_frame(session, participant, socket_base(scope)))


class SessionConsumer(AsyncWebsocketConsumer):
    # Session frames travel through the live hub (feedback.live), not the channel layer: no
    # layer channel per socket, so a handshake needs no Redis (it works while Redis is down).
    channel_layer_alias = "none: sessions use feedback.live"
    participant: Participant | None = None
    conn: Conn | None = None
    closing = False

    async def connect(self) -> None:
        await self.accept()  # accept first so a refusal carries a readable close code
        self.recent: deque[float] = deque()
        found = await live_db(admit)(self.scope, self.code)
        if isinstance(found, int):
            await self.close(code=found)
            return
        self.participant, state = found
        await self.send(text_data=state)
        facilitator = self.participant.is_facilitator
        outbox = Outbox(
            send=self.base_send,
            send_text=self.send_text,
            close=self.close_with,
            spawn=asyncio.get_running_loop().create_task,  # type: ignore[arg-type]
            is_facilitator=facilitator,
        )
        self.conn = Conn(
            id=uuid.uuid4().hex,
            session_id=self.participant.session_id,
            outbox=outbox,
            resync=self.resync,
            counted=not facilitator,  # presence counts participants, not who runs the session
        )
        await HUB.attach(self.conn)
        if facilitator:
            # Nobody else's arrival may follow soon: a (re)connecting facilitator needs the
            # count now, not at the next join or leave.
            count = await HUB.presence_count(self.participant.session_id)
            await self.send_frame({"type": "presence", "count": count})

    @property
    def code(self) -> str:
        return str(self.scope["url_route"]["kwargs"]["code"])

    async def send_text(self, text: str) -> None:
        await self.send(text_data=text)

    async def close_with(self, code: int) -> None:
        await self.close(code=code)

    async def resync(self) -> None:
        """The live layer was down (Redis): send the whole state again, as on a reconnect."""
        found = await live_db(admit)(self.scope, self.code)
        if found == CLOSE_NOT_FOUND:  # ended meanwhile
            await self.send_frame({"type": "ended", "collect_sus": False})
        elif not isinstance(found, int):
            await self.send(text_data=found[1])

    async def dispatch(self, message: dict[str, Any]) -> None:
        """channels' dispatch, without its `aclose_old_connections()` before every message: that
        is a hop to the process's one thread-sensitive thread (and, on SQLite, a connection
        closed and opened again) ahead of every frame, a `rate` included, queued behind whatever
        that thread is doing. This consumer's database work runs through `live_db`, which looks
        after its own connections (feedback.live.hub.KeptConnection)."""
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def disconnect(self, code: int) -> None:
        conn, self.conn = self.conn, None
        if conn is not None:
            conn.outbox.closed = True  # never write to a socket that is going away
            await HUB.detach(conn)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if self.participant is None or self.closing:
            return
        if _too_big(text_data, bytes_data):
            self.closing = True
            await self.close_too_big()
            return
        if self._flooding():
            await self.error(
                "rate_limited", f"More than {FLOOD_LIMIT} messages a second; slow down."
            )
            return
        if text_data is None:
            await self.error("bad_json", "Send JSON text frames, not binary ones.")
            return
        try:
            content = json.loads(text_data)
        except (ValueError, RecursionError):  # not JSON, or nested deeper than json can read
            await self.error("bad_json", "That frame is not valid JSON.")
            return
        await self.dispatch_frame(content)

    async def close_too_big(self) -> None:
        try:
            await self.close(code=CLOSE_TOO_BIG)
        except Exception:
            # Autobahn (under Daphne) lets applications close only with 1000 or 3000-4999 and
            # raises a bare Exception otherwise. With Daphne's message limit set to 64 KiB it
            # closes oversized frames with 1009 itself and this never runs (docs/sessions.md).
            await self.close(code=CLOSE_TOO_BIG_FALLBACK)

    def _flooding(self) -> bool:
        """Sliding one-second window; refused messages don't count, so the budget refills."""
        now = asyncio.get_running_loop().time()
        while self.recent and now - self.recent[0] >= FLOOD_WINDOW:
            self.recent.popleft()
        if len(self.recent) >= FLOOD_LIMIT:
            return True
        self.recent.append(now)
        return False

    async def dispatch_frame(self, content: Any) -> None:
        kind = content.get("type") if isinstance(content, dict) else None
        handler = self.HANDLERS.get(kind) if isinstance(kind, str) else None
        if handler is None:
            known = ", ".join(sorted(self.HANDLERS))
            what = f"Unknown frame type {kind!r}" if kind is not None else "No frame type"
            await self.error(
                "unknown_type", f"{what}; send a JSON object whose type is one of: {known}."
            )
            return
        try:
            await handler(self, content)
        except serializers.ValidationError as exc:
            await self.error("invalid", "Some fields are invalid.", content, errors=exc.detail)
        except DomainError as exc:
            code = "forbidden" if isinstance(exc, Forbidden) else "invalid"
            await self.error(code, exc.detail, content, errors=exc.errors)
        except DatabaseError:
            # Nothing was stored (the transaction rolled back): say so; the client keeps the
            # frame and sends it again. The socket and its bookkeeping stay as they were.
            log.exception("database error handling a %s frame", kind)
            await self.error("unavailable", "Not saved: the database did not answer; send it "
                             "again in a moment.", content)  # fmt: skip

    async def error(self, code: str, detail: str, content: Any = None, errors: Any = None) -> None:
        frame: dict[str, Any] = {"type": "error", "code": code, "detail": detail}
        if isinstance(content, dict) and "client_id" in content:
            frame["client_id"] = content["client_id"]
        if errors:
            frame["errors"] = errors
        await self.send(text_data=json.dumps(frame, default=str))

    async def send_frame(self, frame: dict[str, Any]) -> None:
        await self.send(text_data=json.dumps(frame, default=str))

    async def on_rate(self, content: dict[str, Any]) -> None:
        args = s.frame_args(s.RateSerializer, content)
        rating = await live_db(svc.rating_submit)(participant=self.participant, **args)
        frame = {"type": "ack", "client_id": content.get("client_id"), "id": rating.pk}
        note = getattr(rating, "note", None)
        if note is not None:  # the comment as stored: its author sees what the guard hid
            frame["comment"] = sel.comment_public(note)
        await self.send_frame(frame)

    async def on_comment(self, content: dict[str, Any]) -> None:
        args = s.frame_args(s.CommentSerializer, content)
        comment = await live_db(svc.comment_add)(participant=self.participant, **args)
        await self.send_frame({
            "type": "ack", "client_id": content.get("client_id"), "id": comment.pk,
            "comment": sel.comment_public(comment),
        })  # fmt: skip

    async def on_comment_edit(self, content: dict[str, Any]) -> None:
        comment = await live_db(svc.comment_edit)(
            actor=self.actor(),
            participant=self.participant,
            comment_id=content.get("comment"),
            text=content.get("text"),
        )
        await self.send_frame(
            {"type": "ack", "client_id": content.get("client_id"), "id": comment.pk}
        )

    async def on_comment_delete(self, content: dict[str, Any]) -> None:
        comment = await live_db(svc.comment_withdraw)(
            actor=self.actor(), participant=self.participant, comment_id=content.get("comment")
        )
        await self.send_frame(
            {"type": "ack", "client_id": content.get("client_id"), "id": comment.pk}
        )

    def actor(self) -> Any:
        return actor_from_scope(self.scope, user=_scope_user(self.scope))

    async def on_show_screen(self, content: dict[str, Any]) -> None:
        screen = content.get("screen")
        await live_db(svc.session_show_screen)(
            participant=self.participant, screen_id=screen, base=socket_base(self.scope)
        )

    async def on_reveal_results(self, content: dict[str, Any]) -> None:
        visible = content.get("visible", True)
        if not isinstance(visible, bool):
            raise serializers.ValidationError({"visible": ["visible must be true or false."]})
        await live_db(svc.session_reveal)(participant=self.participant, visible=visible)

    async def on_set_quorum(self, content: dict[str, Any]) -> None:
        if "quorum" not in content:
            raise serializers.ValidationError({"quorum": ["Send quorum: a number, or null."]})
        await live_db(svc.session_set_quorum)(
            participant=self.participant, quorum=content["quorum"]
        )

    async def on_end(self, content: dict[str, Any]) -> None:
        collect = content.get("collect_sus", False)
        if not isinstance(collect, bool):
            raise serializers.ValidationError(
                {"collect_sus": ["collect_sus must be true or false."]}
            )
        await live_db(svc.session_end)(
            actor=self.actor(), participant=self.participant, collect_sus=collect
        )

    async def on_sus(self, content: dict[str, Any]) -> None:
        answers = content.get("answers")
        result = await live_db(svc.sus_submit)(participant=self.participant, answers=answers)
        await self.send_frame(
            {"type": "ack", "client_id": content.get("client_id"), "score": result.score}
        )

    async def on_instrument(self, content: dict[str, Any]) -> None:
        data = s.InstrumentSerializer(data=content)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        row = await live_db(instrument_submit)(
            participant=self.participant,
            instrument=v["instrument"],
            answers=v["answers"],
            screen_id=v["screen"],
        )
        await self.send_frame(
            {"type": "ack", "client_id": content.get("client_id"), "instrument": row.instrument,
             "screen": row.screen_id, "score": row.score}
        )  # fmt: skip

    async def on_ping(self, content: dict[str, Any]) -> None:
        await self.send_frame({"type": "pong"})

    HANDLERS: dict[str, Callable[[SessionConsumer, dict[str, Any]], Awaitable[None]]] = {
        "rate": on_rate,
        "comment": on_comment,
        "comment_edit": on_comment_edit,
        "comment_delete": on_comment_delete,
        "show_screen": on_show_screen,
        "reveal_results": on_reveal_results,
        "set_quorum": on_set_quorum,
        "end": on_end,
        "sus": on_sus,
        "instrument": on_instrument,
        "ping": on_ping,
    }


def _too_big(text_data: str | None, bytes_data: bytes | None) -> bool:
    if bytes_data is not None and len(bytes_data) > MAX_FRAME_BYTES:
        return True
    if text_data is None or len(text_data) <= MAX_FRAME_BYTES // 4:
        return False  # even 4-byte UTF-8 characters can't exceed the limit
    return len(text_data) > MAX_FRAME_BYTES or len(text_data.encode()) > MAX_FRAME_BYTES


def _scope_user(scope: dict[str, Any]) -> Any:
    user = scope.get("user")
    return user if getattr(user, "is_authenticated", False) else None
