"""Reporter tokens: a signed, expiring statement "this is user U, flagging outputs of tool T",
handed to an AI tool's page for its signed-in clinician, so widget flags say who sent them."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core import signing
from django.utils import timezone

from feedback.selectors.output_feedback import may_flag

_SALT = "rounds.output_feedback.reporter"


def max_age() -> int:
    return int(getattr(settings, "ROUNDS_REPORTER_TOKEN_MAX_AGE", 12 * 3600))


def reporter_token(*, user_id: int, tool_id: int) -> tuple[str, dt.datetime]:
    token = signing.TimestampSigner(salt=_SALT).sign_object({"u": user_id, "t": tool_id})
    return token, timezone.now() + dt.timedelta(seconds=max_age())


def reporter_from_token(token: str, *, tool_id: int) -> int | None:
    """The id of the active user with a role whom `token` names for this tool (one query);
    None if forged, expired, for another tool, or the user was since deactivated or lost every
    role that may flag."""
    user_id = reporter_claim(token, tool_id=tool_id)
    return user_id if user_id is not None and user_id in may_flag([user_id]) else None


def reporter_claim(token: str, *, tool_id: int) -> int | None:
    """The user id a genuine, unexpired token for this tool names, without reading the database
    (the caller still checks that user with `may_flag`); None otherwise."""
    try:
        data = signing.TimestampSigner(salt=_SALT).unsign_object(token, max_age=max_age())
        user_id, token_tool = int(data["u"]), int(data["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    return user_id if token_tool == tool_id else None
