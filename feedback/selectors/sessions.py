"""Reads for live sessions: who may see one, frame payloads, summaries and heat-map pins."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet

from feedback import aggregates, codes, roles, sus
from feedback.errors import NotFound
from feedback.models import (
    CodesignSession,
    Comment,
    Participant,
    Rating,
    Screen,
    ScreenAggregate,
    SessionScreen,
    SusResponse,
)
from feedback.selectors.instruments import session_instruments


def _by_code(code: str, state: str) -> CodesignSession | None:
    canonical = codes.normalize(code or "")
    if not codes.is_valid(canonical):
        return None
    return CodesignSession.objects.filter(code=canonical, state=state).first()


def open_session_by_code(code: str) -> CodesignSession | None:
    return _by_code(code, CodesignSession.OPEN)


def ended_session_by_code(code: str) -> CodesignSession | None:
    """An ended session that had this code (codes are unique among open sessions only)."""
    return _by_code(code, CodesignSession.ENDED)


def sessions_visible(*, user: Any, mine: bool = False) -> QuerySet[CodesignSession]:
    """Facilitators see theirs, participants the ones they joined, product owners and admins all;
    `mine`: only the sessions `user` facilitates, whatever else they may see."""
    qs = CodesignSession.objects.select_related("facilitator")
    if mine:
        return qs.filter(facilitator=user)
    if roles.allows(user, roles.SESSIONS_REVIEW_ALL):
        return qs
    joined = Participant.objects.filter(user=user).values("session_id")
    return qs.filter(Q(facilitator=user) | Q(pk__in=joined))


def session_for_user(*, user: Any, session_id: int) -> CodesignSession:
    session = sessions_visible(user=user).filter(pk=session_id).first()
    if session is None:
        raise NotFound("No such session, or it is not visible to you.")
    return session


def participant_of(*, session: CodesignSession, user: Any) -> Participant | None:
    return Participant.objects.filter(session=session, user=user).first()


def media_url(name: str, base: str = "") -> str:
    return f"{base or settings.PUBLIC_BASE_URL}".rstrip("/") + settings.MEDIA_URL + name


def screen_public(screen: Screen, base: str = "") -> dict[str, Any]:
    return {
        "id": screen.pk,
        "tool": screen.tool_id,
        "title": screen.title,
        "version": screen.version,
        "model_version": screen.model_version,
        "regions": list(screen.regions or []),
        "image_url": media_url(screen.image.name, base),
        "thumb_url": media_url(screen.thumb.name, base),
        "width": screen.width,
        "height": screen.height,
    }


def screen_frame(screen: Screen, base: str = "") -> dict[str, Any]:
    return {"type": "screen", "screen": screen_public(screen, base)}


def session_screens(session: CodesignSession) -> list[Screen]:
    """In the facilitator's order; uses SESSION_SCREENS prefetch when the queryset has it."""
    links = session.sessionscreen_set.all()
    if getattr(session, "_prefetched_objects_cache", {}).get("sessionscreen_set") is None:
        links = links.select_related("screen")
    return [link.screen for link in links]


SESSION_SCREENS = Prefetch(
    "sessionscreen_set", queryset=SessionScreen.objects.select_related("screen")
)


def session_public(session: CodesignSession, base: str = "") -> dict[str, Any]:
    """`base` (else PUBLIC_BASE_URL) prefixes media URLs and join_url."""
    root = (base or settings.PUBLIC_BASE_URL).rstrip("/")
    return {
        "id": session.pk,
        "code": session.code,
        "title": session.title,
        "tool": session.tool_id,
        "join_url": f"{root}/join/{session.code}",
        "state": session.state,
        "facilitator": session.facilitator_id,
        "dimensions": list(session.dimensions),
        "allow_guests": session.allow_guests,
        "collect_sus": session.collect_sus,
        "instruments": list(session.instruments or []),
        "quorum": session.quorum,
        "screens": [screen_public(s, base) for s in session_screens(session)],
        "current_screen": session.current_screen_id,
        "results_visible": session.results_visible,
        "created_at": session.created_at.isoformat(),
        "ended_at": session.ended_at.isoformat() if session.ended_at else None,
    }


def participant_public(participant: Participant) -> dict[str, Any]:
    return {
        "id": participant.pk,
        "session": participant.session_id,
        "display_name": participant.display_name,
        "is_facilitator": participant.is_facilitator,
        "is_guest": participant.user_id is None,
        "role": participant.role,
        "unit": participant.unit_id,
    }


def aggregate_public(session_id: int, screen_id: int) -> dict[str, Any] | None:
    agg = ScreenAggregate.objects.filter(session_id=session_id, screen_id=screen_id).first()
    if agg is None:
        return None
    return aggregate_frame(screen_id, agg.state)


def aggregate_frame(screen_id: int, state: aggregates.State) -> dict[str, Any]:
    """The `aggregate` frame of a screen's state (the one shape, read back or carried)."""
    return {"type": "aggregate", "screen": screen_id, **aggregates.public(state)}


def aggregate_frames(
    session_id: int, screen_ids: Iterable[int]
) -> tuple[bool, list[tuple[int, dict[str, Any]]]]:
    """(results visible?, (version, `aggregate` frame) per screen), read in two queries."""
    visible = (
        CodesignSession.objects.filter(pk=session_id).values_list("results_visible", flat=True)
    ).first()
    rows = ScreenAggregate.objects.filter(session_id=session_id, screen_id__in=list(screen_ids))
    frames = [
        (aggregates.version(r.state), aggregate_frame(r.screen_id, r.state))
        for r in rows.order_by("screen_id")
    ]
    return bool(visible), frames


def state_frame(
    session: CodesignSession, participant: Participant, base: str = ""
) -> dict[str, Any]:
    """What a socket gets on connect: everything needed to draw the session right now.

    `base` (PUBLIC_BASE_URL, else the socket's Origin) makes media and join URLs absolute, as
    in REST answers and the broadcast `screen` frames.
    """
    screen = session.current_screen
    can_see = participant.is_facilitator or session.results_visible
    return {
        "type": "state",
        "session": session_public(session, base),
        "screen": screen_public(screen, base) if screen else None,
        "results_visible": session.results_visible,
        "quorum": session.quorum,
        "aggregate": aggregate_public(session.pk, screen.pk) if screen and can_see else None,
        "you": your_state(participant, screen.pk if screen else None),
    }


def your_state(participant: Participant, screen_id: int | None) -> dict[str, Any]:
    """The participant's own rating and standing comments on the shown screen, so a page that
    reconnects redraws what it had sent."""
    you: dict[str, Any] = {
        "participant": participant.pk,
        "is_facilitator": participant.is_facilitator,
        "rating": None,
        "comments": [],
    }
    if screen_id is None or participant.is_facilitator:
        return you
    scores = (
        Rating.objects.filter(participant=participant, screen_id=screen_id)
        .values_list("scores", flat=True)
        .first()
    )
    if scores is not None:
        you["rating"] = {"screen": screen_id, "scores": dict(scores)}
    mine = Comment.objects.filter(participant=participant, screen_id=screen_id, withdrawn_at=None)
    you["comments"] = [comment_public(c) for c in mine.order_by("id")]
    return you


def _pin(x: float | None, y: float | None) -> dict[str, float] | None:
    return None if x is None or y is None else {"x": x, "y": y}


def comment_public(comment: Comment) -> dict[str, Any]:
    return {
        "id": comment.pk,
        "session": comment.session_id,
        "screen": comment.screen_id,
        "participant": comment.participant_id,
        "text": comment.text,
        "pin": _pin(comment.pin_x, comment.pin_y),
        "region": comment.region or None,
        "phi_redacted": list(comment.phi_redacted or []),
        "created_at": comment.created_at.isoformat(),
        "edited_at": comment.edited_at.isoformat() if comment.edited_at else None,
        "withdrawn": comment.withdrawn_at is not None,
    }


def comment_frame(comment: Comment) -> dict[str, Any]:
    return {
        "type": "comment",
        "source": "comment",
        "id": comment.pk,
        "screen": comment.screen_id,
        "participant": comment.participant_id,
        "text": comment.text,
        "pin": _pin(comment.pin_x, comment.pin_y),
        "region": comment.region or None,
        "created_at": comment.created_at.isoformat(),
        "edited_at": comment.edited_at.isoformat() if comment.edited_at else None,
    }


def standing_comments(session: CodesignSession) -> QuerySet[Comment]:
    """Every comment and pin of the session that its author has not withdrawn."""
    return Comment.objects.filter(session=session, withdrawn_at=None)


def session_summary(session: CodesignSession) -> dict[str, Any]:
    """Per screen: aggregate, every standing comment and pin; SUS if collected."""
    aggs = {a.screen_id: a.state for a in ScreenAggregate.objects.filter(session=session)}
    notes: dict[int, list[dict[str, Any]]] = {}
    for c in standing_comments(session).order_by("id"):
        notes.setdefault(c.screen_id, []).append(comment_frame(c))
    screens = []
    for screen in session_screens(session):
        items = [{k: v for k, v in n.items() if k != "type"} for n in notes.get(screen.pk, [])]
        state = aggs.get(screen.pk) or aggregates.empty(session.dimensions)
        screens.append(
            {
                "screen": screen.pk,
                "title": screen.title,
                "version": screen.version,
                **aggregates.public(state),
                "comments": [i for i in items if i["text"]],
                "pins": [i["pin"] for i in items if i["pin"]],
            }
        )
    return {
        "session": session.pk,
        "screens": screens,
        "sus": _sus_summary(session),
        "instruments": session_instruments(session),
    }


def _sus_summary(session: CodesignSession) -> dict[str, Any] | None:
    if not session.collect_sus:
        return None
    scores = list(SusResponse.objects.filter(session=session).values_list("score", flat=True))
    mean = sus.mean(scores)
    return {
        "responses": len(scores),
        "mean": round(mean, 1) if mean is not None else None,
        "scores": sorted(scores),
    }


def screen_pins(*, session: CodesignSession, screen_id: int) -> list[tuple[float, float]]:
    rows = standing_comments(session).filter(screen_id=screen_id, pin_x__isnull=False)
    return [
        (x, y) for x, y in rows.values_list("pin_x", "pin_y") if x is not None and y is not None
    ]


def rating_public(rating: Rating) -> dict[str, Any]:
    """A stored rating; `comment`/`pin` are those of the note sent with it (now a comment of its
    own, `comment_id`), so a client sees what this submission stored."""
    note: Comment | None = getattr(rating, "note", None)
    return {
        "id": rating.pk,
        "screen": rating.screen_id,
        "scores": dict(rating.scores),
        "comment": note.text if note else "",
        "pin": _pin(note.pin_x, note.pin_y) if note else None,
        "comment_id": note.pk if note else None,
        "client_id": str(rating.client_id) if rating.client_id else None,
        "phi_redacted": list(note.phi_redacted) if note else [],
    }


def guest_participant(*, session: CodesignSession, participant_id: int) -> Participant | None:
    return Participant.objects.filter(pk=participant_id, session=session, user=None).first()
