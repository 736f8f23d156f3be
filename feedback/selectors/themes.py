"""Themes as one caller may see them: only their visible evidence, labelled from its words.

The job (feedback.services.themes) stores which evidence belongs together; here each theme is
narrowed to the members the caller may see and that match `since`/`unit`/`tool`, and its label,
counts and example are made from those members only, so nothing of evidence the caller may not
read (not even a word of it in a label) reaches them. Themes left with fewer than two visible
members are dropped.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from feedback import themes
from feedback.models import Participant, ThemeSnapshot, Unit
from feedback.selectors.evidence import KINDS

DEFAULT_DAYS = 30
EVIDENCE_KEYS = {"observation": "observations", "comment": "comments", "rating": "ratings"}


@dataclass(frozen=True)
class Seen:
    text: str
    unit: int | None
    role: str
    patient_safety: bool


def themes_for(
    *, user: Any, since: dt.datetime | None, unit: int | None, tool: int | None
) -> dict[str, Any]:
    snapshot = ThemeSnapshot.objects.order_by("-id").first()
    default_since = timezone.now() - dt.timedelta(days=DEFAULT_DAYS)
    effective = since or default_since
    if snapshot is None:
        return {"computed_at": None, "since": effective, "model": None, "themes": []}
    effective = max(effective, snapshot.window_start)
    wanted: dict[str, set[int]] = {}
    for theme in snapshot.themes:
        for kind, pk in theme["members"]:
            wanted.setdefault(kind, set()).add(pk)
    seen = _visible(user, wanted, since=effective, unit=unit, tool=tool)
    everything = [s.text for s in seen.values()]
    units = dict(
        Unit.objects.filter(pk__in={s.unit for s in seen.values()}).values_list("pk", "name")
    )
    out = []
    for position, theme in enumerate(snapshot.themes):
        members = [(kind, pk) for kind, pk in theme["members"] if (kind, pk) in seen]
        if len(members) < themes.MIN_SIZE:
            continue
        out.append(_theme(position, theme, members, seen, everything, units))
    out.sort(key=lambda t: (-t["size"], t["id"]))
    return {
        "computed_at": snapshot.computed_at,
        "since": effective,
        "model": snapshot.model,
        "themes": out,
    }


def _theme(
    position: int,
    theme: dict[str, Any],
    members: list[tuple[str, int]],
    seen: dict[tuple[str, int], Seen],
    everything: list[str],
    units: dict[int, str],
) -> dict[str, Any]:
    rows = [seen[m] for m in members]
    middle = tuple(theme.get("representative") or members[0])
    example = middle if middle in seen and middle in members else members[0]
    by_unit = Counter(r.unit for r in rows if r.unit is not None)
    return {
        "id": position + 1,
        "label": themes.label([r.text for r in rows], everything),
        "size": len(members),
        "evidence": {
            plural: sorted(pk for kind, pk in members if kind == k)
            for k, plural in EVIDENCE_KEYS.items()
        },
        "by_unit": [
            {"unit": u, "name": units.get(u, ""), "count": n}
            for u, n in sorted(by_unit.items(), key=lambda p: (-p[1], p[0]))
        ],
        "by_role": dict(sorted(Counter(r.role for r in rows).items())),
        "patient_safety": sum(r.patient_safety for r in rows),
        "example": {"kind": example[0], "id": example[1], "text": seen[example].text},
    }


def _visible(
    user: Any,
    wanted: dict[str, set[int]],
    *,
    since: dt.datetime,
    unit: int | None,
    tool: int | None,
) -> dict[tuple[str, int], Seen]:
    """What the caller may see of the members, matching the filters, one query per kind."""
    seen: dict[tuple[str, int], Seen] = {}
    if "observation" in wanted:
        qs = (
            KINDS["observation"]
            .visible(user)
            .filter(pk__in=wanted["observation"], captured_at__gte=since)
        )
        if unit is not None:
            qs = qs.filter(unit_id=unit)
        if tool is not None:
            qs = qs.filter(tool_id=tool)
        for pk, text, unit_id, role, safety in qs.values_list(
            "pk", "description", "unit_id", "role_observed", "patient_safety"
        ):
            seen[("observation", pk)] = Seen(text, unit_id, role, safety)
    if unit is not None:
        return seen  # session comments and ratings belong to no unit
    for kind, field in (("comment", "text"), ("rating", "comment")):
        if kind not in wanted:
            continue
        qs = KINDS[kind].visible(user).filter(pk__in=wanted[kind], created_at__gte=since)
        if tool is not None:
            qs = qs.filter(screen__tool_id=tool)
        rows = list(qs.exclude(**{field: ""}).values_list("pk", field, "participant_id"))
        roles = _participant_roles({p for _, _, p in rows})
        for pk, text, participant in rows:
            seen[(kind, pk)] = Seen(text, None, roles.get(participant, "guest"), False)
    return seen


def _participant_roles(participant_ids: set[int]) -> dict[int, str]:
    """Each session participant's role in Rounds (clinician first), "guest" without an account."""
    order = ("clinician", "observer", "product_owner", "admin")
    found: dict[int, set[str]] = {}
    guests: set[int] = set()
    for pk, user_id, group in Participant.objects.filter(pk__in=participant_ids).values_list(
        "pk", "user_id", "user__groups__name"
    ):
        found.setdefault(pk, set())
        if user_id is None:
            guests.add(pk)
        elif group:
            found[pk].add(group)
    return {
        pk: "guest" if pk in guests else next((r for r in order if r in names), "participant")
        for pk, names in found.items()
    }
