"""Live co-design sessions: create, join, steer, rate, comment, SUS; broadcasts after commit."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from feedback import aggregates, codes, events, phi, sus
from feedback import regions as regions_rules
from feedback.context import Actor
from feedback.errors import Conflict, Forbidden, NotFound, ValidationFailed
from feedback.ids import MAX_ID, is_id
from feedback.models import (
    CodesignSession,
    Comment,
    Participant,
    Rating,
    Screen,
    ScreenAggregate,
    SessionScreen,
    SusResponse,
    Tool,
)
from feedback.selectors import sessions as sel
from feedback.services.audit import audit_record
from feedback.services.backlog import priority_recompute
from feedback.services.instruments import check_instrument_list

_DIMENSION = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
MAX_DIMENSIONS = 8
MAX_SCREENS = 100
_CODE_ATTEMPTS = 10


@dataclass(frozen=True)
class Pin:
    x: float
    y: float


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, errors={field: [message]})


def _check_dimensions(dimensions: Sequence[str] | None) -> list[str]:
    if dimensions is None:
        return list(CodesignSession._meta.get_field("dimensions").get_default())
    dims = list(dimensions)
    if not 1 <= len(dims) <= MAX_DIMENSIONS or len(set(dims)) != len(dims):
        raise _invalid("dimensions", f"Give 1-{MAX_DIMENSIONS} distinct dimension names.")
    for dim in dims:
        if not isinstance(dim, str) or not _DIMENSION.match(dim):
            raise _invalid("dimensions", f"{dim!r}: use lower-case letters, digits and _.")
    return dims


def _check_screens(tool: Tool, screen_ids: Sequence[int]) -> list[int]:
    ids = list(dict.fromkeys(screen_ids))  # keep the order given, drop repeats
    if not ids or len(ids) > MAX_SCREENS:
        raise _invalid("screens", f"Pick 1-{MAX_SCREENS} screens of this tool.")
    found = set(Screen.objects.filter(tool=tool, pk__in=ids).values_list("pk", flat=True))
    missing = [i for i in ids if i not in found]
    if missing:
        raise _invalid("screens", f"These are not screens of tool {tool.pk}: {missing}.")
    return ids


@transaction.atomic
def session_create(
    *,
    actor: Actor,
    title: str,
    tool: Tool,
    screen_ids: Sequence[int],
    dimensions: Sequence[str] | None = None,
    allow_guests: bool = False,
    instruments: Sequence[str] | None = None,
) -> CodesignSession:
    """A new open session with a fresh join code; the facilitator is its first participant."""
    dims = _check_dimensions(dimensions)
    ids = _check_screens(tool, screen_ids)
    session = CodesignSession(
        title=title, tool=tool, facilitator=actor.user, dimensions=dims, allow_guests=allow_guests
    )
    session.instruments = check_instrument_list(instruments)
    _save_with_fresh_code(session)
    SessionScreen.objects.bulk_create(
        SessionScreen(session=session, screen_id=sid, position=n) for n, sid in enumerate(ids)
    )
    ScreenAggregate.objects.bulk_create(
        ScreenAggregate(session=session, screen_id=sid, state=aggregates.empty(dims)) for sid in ids
    )
    Participant.objects.create(
        session=session, user=actor.user, display_name=actor.user.label, is_facilitator=True
    )
    audit_record(actor=actor, action="create", obj=session)
    return session


def _save_with_fresh_code(session: CodesignSession) -> None:
    # The partial unique index on open codes is the arbiter; a clash (1 in 244M per open
    # session) just draws again inside a savepoint.
    for _ in range(_CODE_ATTEMPTS):
        session.code = codes.new_code()
        session.full_clean(
            exclude=["tool", "facilitator"], validate_unique=False, validate_constraints=False
        )
        try:
            with transaction.atomic():
                session.save()
            return
        except IntegrityError:
            session.pk = None
    raise Conflict("Could not draw a unique join code; try again.")


@transaction.atomic
def session_join(
    *, session: CodesignSession, user: Any = None, display_name: str = ""
) -> Participant:
    """Join as a signed-in user (idempotent) or, with user=None, as a new guest."""
    if not CodesignSession.objects.filter(pk=session.pk, state=CodesignSession.OPEN).exists():
        raise NotFound("This session has ended.")  # checked in the database: `session` may be stale
    name = display_name.strip()[:80]
    if user is None:
        if not session.allow_guests:
            raise Forbidden("This session does not allow guests; sign in to join.")
        return Participant.objects.create(
            session=session, guest_key=uuid.uuid4().hex, display_name=name or "Guest"
        )
    participant, created = Participant.objects.get_or_create(
        session=session, user=user, defaults={"display_name": name or user.label}
    )
    if not created and name and name != participant.display_name:
        participant.display_name = name
        participant.save(update_fields=["display_name"])
    return participant


def _lock_open_session(session_id: int, *, lock: bool = True) -> CodesignSession:
    # Ratings and comments only read the state: locking the session row would serialize every
    # rating in a session behind one lock; the per-screen aggregate lock is what they need.
    rows = CodesignSession.objects.select_for_update() if lock else CodesignSession.objects
    session = rows.filter(pk=session_id).first()
    if session is None:
        raise NotFound("No such session.")
    if session.state != CodesignSession.OPEN:
        raise Conflict("This session has ended; it no longer takes changes.")
    return session


def _require_facilitator(participant: Participant) -> None:
    if not participant.is_facilitator:
        raise Forbidden("Only the session's facilitator can do this.")


def _screen_id(value: Any) -> int:
    # Bounded: an id beyond the 64-bit key range makes SQLite raise OverflowError, not miss.
    if not is_id(value):
        raise _invalid("screen", "screen must be the id of a screen in this session.")
    return value


def _in_session(session_id: int, screen: Any) -> int:
    screen_id = _screen_id(screen)
    if not SessionScreen.objects.filter(session_id=session_id, screen_id=screen_id).exists():
        raise _invalid("screen", f"Screen {screen_id} is not part of this session.")
    return screen_id


@transaction.atomic
def session_show_screen(
    *, participant: Participant, screen_id: int, base: str = ""
) -> CodesignSession:
    """Show a screen to everyone. Whether results are visible stays the facilitator's call
    (`reveal_results`): the console hides them before moving on, so nobody anchors on the last
    screen's numbers, but the protocol does not do it behind the facilitator's back.

    `base` makes the frame's media URLs absolute (PUBLIC_BASE_URL when empty)."""
    _require_facilitator(participant)
    session = _lock_open_session(participant.session_id)
    session.current_screen_id = _in_session(session.pk, screen_id)
    session.save(update_fields=["current_screen"])
    screen = Screen.objects.get(pk=screen_id)
    events.session_send_on_commit(session.pk, sel.screen_frame(screen, base))
    was_visible = session.results_visible
    if session.quorum is not None:
        _apply_quorum(session)  # blind until this screen has its quorum of ratings
    if session.results_visible and was_visible:  # the new screen's numbers
        request_aggregate_broadcast(session.pk, screen.pk)
    return session


@transaction.atomic
def session_reveal(*, participant: Participant, visible: bool) -> CodesignSession:
    _require_facilitator(participant)
    session = _lock_open_session(participant.session_id)
    session.results_visible = visible
    session.save(update_fields=["results_visible"])
    events.session_send_on_commit(session.pk, {"type": "results_visible", "visible": visible})
    if visible and session.current_screen_id:
        # Participants have seen no aggregate while hidden: give them the current one now.
        request_aggregate_broadcast(session.pk, session.current_screen_id)
    return session


MAX_QUORUM = 1000


@transaction.atomic
def session_set_quorum(*, participant: Participant, quorum: Any) -> CodesignSession:
    """Blind-first: results stay hidden until `quorum` participants rated the shown screen,
    then reveal themselves (None turns it off and leaves visibility as it is)."""
    _require_facilitator(participant)
    ok = quorum is None or (
        isinstance(quorum, int) and not isinstance(quorum, bool) and 1 <= quorum <= MAX_QUORUM
    )
    if not ok:
        raise _invalid("quorum", f"quorum must be a whole number 1-{MAX_QUORUM}, or null.")
    session = _lock_open_session(participant.session_id)
    session.quorum = quorum
    session.save(update_fields=["quorum"])
    events.session_send_on_commit(session.pk, {"type": "quorum", "quorum": quorum})
    if quorum is not None and session.current_screen_id:
        _apply_quorum(session)
    return session


def _rated(session_id: int, screen_id: int) -> int:
    agg = ScreenAggregate.objects.filter(session_id=session_id, screen_id=screen_id).first()
    return int(agg.state["count"]) if agg else 0


def _apply_quorum(session: CodesignSession) -> None:
    """On a locked session with a quorum: results visible exactly when the shown screen has
    enough ratings (a new screen starts hidden again until it does)."""
    assert session.quorum is not None and session.current_screen_id is not None
    visible = _rated(session.pk, session.current_screen_id) >= session.quorum
    if visible != session.results_visible:
        session.results_visible = visible
        session.save(update_fields=["results_visible"])
        _announce_visibility(session.pk, session.current_screen_id, visible)


def _announce_visibility(session_id: int, screen_id: int, visible: bool) -> None:
    frame = {"type": "results_visible", "visible": visible}
    events.session_send_on_commit(session_id, frame)
    if visible:
        request_aggregate_broadcast(session_id, screen_id)


def _reveal_on_quorum(session_id: int, screen_id: int, count: int) -> None:
    """After a rating: reveal when this screen is the one shown and has reached the quorum. A
    conditional update, so concurrent raters reveal it once without locking the session."""
    revealed = CodesignSession.objects.filter(
        pk=session_id,
        state=CodesignSession.OPEN,
        results_visible=False,
        current_screen_id=screen_id,
        quorum__isnull=False,
        quorum__lte=count,
    ).update(results_visible=True)
    if revealed:
        _announce_visibility(session_id, screen_id, True)


@transaction.atomic
def session_end(*, actor: Actor, participant: Participant, collect_sus: bool) -> CodesignSession:
    _require_facilitator(participant)
    session = _lock_open_session(participant.session_id)
    session.state, session.ended_at = CodesignSession.ENDED, timezone.now()
    session.collect_sus = collect_sus
    session.save(update_fields=["state", "ended_at", "collect_sus"])
    frame: dict[str, Any] = {"type": "ended", "collect_sus": collect_sus}
    if collect_sus:
        frame["sus_items"] = list(sus.ITEMS)
    events.session_send_on_commit(session.pk, frame)
    audit_record(actor=actor, action="change", obj=session, detail={"state": "ended"})
    return session


def _check_scores(dimensions: Sequence[str], scores: Any) -> dict[str, int]:
    if not isinstance(scores, Mapping) or not scores:
        raise _invalid("scores", f"scores must map dimensions ({', '.join(dimensions)}) to 1-5.")
    for dim, value in scores.items():
        if dim not in dimensions:
            raise _invalid("scores", f"Unknown dimension {dim!r}; rate {', '.join(dimensions)}.")
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            raise _invalid("scores", f"Score for {dim!r} must be a whole number 1-5.")
    return dict(scores)


def _check_pin(pin: Any) -> Pin | None:
    if pin is None:
        return None
    if isinstance(pin, Pin):
        return pin
    ok = isinstance(pin, Mapping) and all(
        isinstance(pin.get(k), int | float) and not isinstance(pin.get(k), bool) for k in "xy"
    )
    if not ok or not (0 <= pin["x"] <= 1 and 0 <= pin["y"] <= 1):
        raise _invalid("pin", "pin must be {x, y}, fractions 0..1 of the screen.")
    return Pin(float(pin["x"]), float(pin["y"]))


def _place(screen_id: Any, pin: Any, region: Any) -> tuple[Pin | None, str | None]:
    """Where a note sits: a pin, or a named region of the screen (pinned at its centre)."""
    if region is None:
        return _check_pin(pin), None
    if pin is not None:
        raise _invalid("region", "Send a pin or a region, not both.")
    named = Screen.objects.filter(pk=_screen_id(screen_id)).values_list("regions", flat=True)
    centre = regions_rules.centre(named.first() or [], region) if isinstance(region, str) else None
    if centre is None:
        raise _invalid("region", f"{region!r} is not a named region of screen {screen_id}.")
    return Pin(*centre), region


def _masked(text: str, field: str) -> phi.Masked:
    if not isinstance(text, str) or len(text) > 2000:
        raise _invalid(field, f"{field} must be text of at most 2000 characters.")
    return phi.mask(text) if text.strip() else phi.Masked(text="", types=[])


def rating_submit(
    *,
    participant: Participant,
    screen_id: int,
    scores: Any,
    comment: str = "",
    pin: Any = None,
    client_id: uuid.UUID | None = None,
    region: str | None = None,
) -> Rating:
    """Store a participant's rating of a screen and update the screen's aggregate by the
    difference under the aggregate's row lock. Re-rating replaces the scores only: a comment or
    pin sent with a rating is stored as a comment of its own beside the earlier ones (a clinician's
    words are evidence), kept on the returned rating as `note`. A picked `region` counts as a pin
    at its centre."""
    if participant.is_facilitator:
        raise Forbidden("The facilitator runs the session and does not rate.")
    masked = _masked(comment, "comment")  # PHI scan outside the lock
    where, region = _place(screen_id, pin, region)
    with transaction.atomic():
        session = _lock_open_session(participant.session_id, lock=False)
        scores = _check_scores(session.dimensions, scores)
        agg = _locked_aggregate(session.pk, screen_id)
        rating = Rating.objects.filter(participant=participant, screen_id=screen_id).first()
        old = rating.scores if rating else None
        agg.state = aggregates.apply(agg.state, old, scores)
        agg.save(update_fields=["state"])
        if rating is None:
            rating = Rating(session=session, participant=participant, screen_id=screen_id)
            rating.model_version = _model_version(screen_id)
        rating.scores, rating.client_id = scores, client_id
        rating.save()
        if session.quorum and not session.results_visible:
            request_aggregate_broadcast(session.pk, screen_id)  # a reveal may follow: read back
            _reveal_on_quorum(session.pk, screen_id, agg.state["count"])
        else:
            request_aggregate_broadcast(
                session.pk, screen_id, state=agg.state, visible=session.results_visible
            )
        note = None
        if masked.text or where:
            note = _standing(participant, screen_id, masked.text, where, region) or _store_note(
                session, participant, screen_id, masked, where, region, client_id
            )
    rating.note = note  # type: ignore[attr-defined]
    return rating


def _store_note(
    session: CodesignSession,
    participant: Participant,
    screen_id: int,
    masked: phi.Masked,
    where: Pin | None,
    region: str | None,
    client_id: uuid.UUID | None,
) -> Comment:
    """A comment (or the note of a rate frame); a replayed client_id adds nothing."""
    done = _replayed(participant, client_id)
    if done is not None:
        return done
    note = Comment(
        session=session,
        participant=participant,
        screen_id=screen_id,
        text=masked.text,
        phi_redacted=masked.types,
        pin_x=where.x if where else None,
        pin_y=where.y if where else None,
        region=region or "",
        client_id=client_id,
    )
    try:
        with transaction.atomic():  # a savepoint: a racing replay must not undo a rating
            note.save()
    except IntegrityError:
        # The same client_id raced in from another socket or request after the check above:
        # the unique index kept exactly one, and that one is the answer to this replay too.
        done = _replayed(participant, client_id)
        if done is None:
            raise
        return done
    _broadcast_comment(session, sel.comment_frame(note))
    return note


def _standing(
    participant: Participant, screen_id: int, text: str, where: Pin | None, region: str | None
) -> Comment | None:
    """The participant's latest standing comment on the screen if a rating sends it again word
    for word, with the same pin or region (a page that kept the sent comment in its box): a
    re-rating replaces the scores and must not repeat the words."""
    last = (
        Comment.objects.filter(participant=participant, screen_id=screen_id, withdrawn_at=None)
        .order_by("-id")
        .first()
    )
    if last is None or last.text != text or last.region != (region or ""):
        return None
    same_place = (last.pin_x, last.pin_y) == ((where.x, where.y) if where else (None, None))
    return last if same_place else None


def _model_version(screen_id: int) -> str:
    """The model version the screen shows, recorded on its ratings."""
    found = Screen.objects.filter(pk=screen_id).values_list("model_version", flat=True).first()
    return found or ""


def _locked_aggregate(session_id: int, screen_id: Any) -> ScreenAggregate:
    screen_id = _screen_id(screen_id)
    agg = (
        ScreenAggregate.objects.select_for_update()
        .filter(session_id=session_id, screen_id=screen_id)
        .first()
    )
    if agg is None:  # aggregates exist exactly for the session's screens
        raise _invalid("screen", f"Screen {screen_id} is not part of this session.")
    return agg


def comment_add(
    *,
    participant: Participant,
    screen_id: int,
    text: str,
    pin: Any = None,
    client_id: uuid.UUID | None = None,
    region: str | None = None,
) -> Comment:
    """A pinned (or unpinned) comment; replaying a client_id returns the stored one."""
    done = _replayed(participant, client_id)
    if done is not None:
        return done
    masked = _masked(text, "text")
    where, region = _place(screen_id, pin, region)
    if not masked.text.strip():
        raise _invalid("text", "Write a comment of 1-2000 characters.")
    with transaction.atomic():
        session = _lock_open_session(participant.session_id, lock=False)
        screen_id = _in_session(session.pk, screen_id)
        return _store_note(session, participant, screen_id, masked, where, region, client_id)


def _own_comment(participant: Participant, comment_id: Any) -> Comment:
    valid = isinstance(comment_id, int) and not isinstance(comment_id, bool)
    if not valid or not 0 < comment_id <= MAX_ID:
        raise _invalid("comment", "comment must be the id of one of your comments.")
    comment = Comment.objects.select_for_update().filter(pk=comment_id).first()
    if comment is None or comment.session_id != participant.session_id:
        raise NotFound("No such comment in this session.")
    if comment.participant_id != participant.pk:
        raise Forbidden("Only the author of a comment can change or withdraw it.")
    return comment


@transaction.atomic
def comment_edit(*, actor: Actor, participant: Participant, comment_id: Any, text: Any) -> Comment:
    """The author rewrites their comment (PHI-scanned again); the pin stays. Audited."""
    masked = _masked(text, "text")
    if not masked.text.strip():
        raise _invalid("text", "Write 1-2000 characters; to remove a comment, withdraw it.")
    comment = _own_comment(participant, comment_id)
    if comment.withdrawn_at is not None:
        raise Conflict("This comment was withdrawn; write a new one instead.")
    comment.text, comment.phi_redacted = masked.text, masked.types
    comment.edited_at = timezone.now()
    comment.save(update_fields=["text", "phi_redacted", "edited_at"])
    audit_record(actor=actor, action="change", obj=comment, detail={"edited": True})
    _announce_comment(comment, {"type": "comment_changed", "comment": sel.comment_public(comment)})
    return comment


@transaction.atomic
def comment_withdraw(*, actor: Actor, participant: Participant, comment_id: Any) -> Comment:
    """The author withdraws their comment: kept for the audit trail, gone from summaries, heat
    maps and priority. Withdrawing again changes nothing."""
    comment = _own_comment(participant, comment_id)
    if comment.withdrawn_at is None:
        comment.withdrawn_at = timezone.now()
        comment.save(update_fields=["withdrawn_at"])
        audit_record(actor=actor, action="delete", obj=comment, detail={"withdrawn": True})
        _announce_comment(comment, {"type": "comment_removed", "comment": comment.pk})
        _reprioritise_after_withdrawal(comment)
    return comment


def _announce_comment(comment: Comment, frame: dict[str, Any]) -> None:
    session = CodesignSession.objects.filter(pk=comment.session_id).first()
    if session is not None and session.state == CodesignSession.OPEN:
        _broadcast_comment(session, frame)


def _reprioritise_after_withdrawal(comment: Comment) -> None:
    item_ids = list(comment.backlog_items.values_list("pk", flat=True))
    if item_ids:
        priority_recompute(item_ids=item_ids)


def _replayed(participant: Participant, client_id: uuid.UUID | None) -> Comment | None:
    if client_id is None:
        return None
    return Comment.objects.filter(participant=participant, client_id=client_id).first()


def _broadcast_comment(session: CodesignSession, frame: dict[str, Any]) -> None:
    hidden = not session.results_visible
    events.session_send_on_commit(session.pk, frame, facilitators_only=hidden)


@transaction.atomic
def sus_submit(*, participant: Participant, answers: Any) -> SusResponse:
    """One SUS questionnaire per participant (resubmitting replaces), when it is collected."""
    session = CodesignSession.objects.get(pk=participant.session_id)
    if not session.collect_sus:
        raise Conflict("The facilitator is not collecting SUS for this session.")
    if participant.is_facilitator:
        raise Forbidden("The facilitator does not answer the SUS questionnaire.")
    if not isinstance(answers, list):
        raise _invalid("answers", "answers must be a list of 10 whole numbers 1-5.")
    try:
        value = sus.score(answers)
    except ValueError as exc:
        raise _invalid("answers", str(exc)) from exc
    response, _ = SusResponse.objects.update_or_create(
        session=session, participant=participant, defaults={"answers": answers, "score": value}
    )
    return response


def request_aggregate_broadcast(
    session_id: int, screen_id: int, *, state: aggregates.State | None = None, visible: bool = False
) -> None:
    """After commit, broadcast the screen's aggregate, coalesced per session (one read and one
    serialization per screen per flush, however many sockets listen). A rating passes the `state`
    it committed (and the visibility it read under the same lock): where the hub can trust it
    (feedback.live.hub.Carried), the flush sends it without reading it back."""
    events.aggregate_on_commit(session_id, screen_id, state=state, visible=visible)
