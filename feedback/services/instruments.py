"""Questionnaires in sessions: which a session collects, who answers, scoring and storing."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction

from feedback import instruments
from feedback.errors import Conflict, Forbidden, ValidationFailed
from feedback.models import (
    CodesignSession,
    InstrumentResponse,
    Participant,
    SessionScreen,
    Unit,
)
from feedback.models.observations import ROLE_OBSERVED


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, errors={field: [message]})


def check_instrument_list(names: Sequence[str] | None) -> list[str]:
    """The questionnaires a session collects: distinct names from instruments.NAMES."""
    chosen = list(names or [])
    unknown = [n for n in chosen if n not in instruments.NAMES]
    if unknown or len(set(chosen)) != len(chosen):
        raise _invalid(
            "instruments", f"Pick distinct questionnaires from {list(instruments.NAMES)}."
        )
    return [n for n in instruments.NAMES if n in chosen]


@transaction.atomic
def participant_describe(
    *, participant: Participant, role: str = "", unit_id: int | None = None
) -> Participant:
    """Record the participant's own role and unit (for results split by role and unit)."""
    if role and role not in ROLE_OBSERVED:
        raise _invalid("role", f"Use one of {list(ROLE_OBSERVED)}.")
    if unit_id is not None and not Unit.objects.filter(pk=unit_id).exists():
        raise _invalid("unit", f"No unit {unit_id}; pick one from /api/units/.")
    fields = []
    if role and role != participant.role:
        participant.role = role
        fields.append("role")
    if unit_id is not None and unit_id != participant.unit_id:
        participant.unit_id = unit_id
        fields.append("unit")
    if fields:
        participant.save(update_fields=fields)
    return participant


def _allowed(session: CodesignSession, name: str) -> bool:
    return name in (session.instruments or []) or (name == "sus" and session.collect_sus)


def _screen(session: CodesignSession, name: str, screen_id: Any) -> int | None:
    if screen_id is None:
        if name in instruments.PER_TASK:
            raise _invalid("screen", f"{name} is answered per task: say which screen.")
        return None
    ok = isinstance(screen_id, int) and not isinstance(screen_id, bool) and screen_id > 0
    if not ok or not SessionScreen.objects.filter(session=session, screen_id=screen_id).exists():
        raise _invalid("screen", f"Screen {screen_id!r} is not part of this session.")
    return int(screen_id)


def instrument_submit(
    *, participant: Participant, instrument: Any, answers: Any, screen_id: Any = None
) -> InstrumentResponse:
    """Score and store one questionnaire; answering again replaces the earlier answers. Works
    while the session is open and after it ended (questionnaires often come at the end)."""
    if instrument not in instruments.NAMES:
        raise _invalid("instrument", f"Use one of {list(instruments.NAMES)}.")
    if participant.is_facilitator:
        raise Forbidden("The facilitator runs the session and does not answer questionnaires.")
    session = CodesignSession.objects.get(pk=participant.session_id)
    if not _allowed(session, instrument):
        raise Conflict(f"This session does not collect {instrument}; the facilitator chooses.")
    screen = _screen(session, instrument, screen_id)
    try:
        scored = instruments.score(instrument, answers)
    except ValueError as exc:
        raise _invalid("answers", str(exc)) from exc
    values = {"answers": answers, "score": scored.score, "subscales": scored.subscales}
    keys = {"session": session, "participant": participant, "instrument": instrument}
    for _ in range(2):  # a concurrent first answer makes the unique index win once; retry
        try:
            with transaction.atomic():
                row, _ = InstrumentResponse.objects.update_or_create(
                    **keys, screen_id=screen, defaults=values
                )
                return row
        except IntegrityError:
            continue
    raise Conflict("Answered twice at once; send it again.")
