"""Guest tokens: signed, expiring, and scoped to one session and one guest participant."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core import signing

_SALT = "rounds.sessions.guest"


@dataclass(frozen=True)
class Guest:
    session_id: int
    participant_id: int


def guest_token(*, session_id: int, participant_id: int) -> str:
    return signing.TimestampSigner(salt=_SALT).sign_object({"s": session_id, "p": participant_id})


def guest_from_token(token: str | None) -> Guest | None:
    """The guest a token names, or None if it is forged, malformed or older than the max age."""
    if not token:
        return None
    try:
        data = signing.TimestampSigner(salt=_SALT).unsign_object(
            token, max_age=settings.GUEST_TOKEN_MAX_AGE
        )
        return Guest(session_id=int(data["s"]), participant_id=int(data["p"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
