"""Closing the loop: what was shipped or declined with evidence from a unit ("You said, we did")."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from feedback.errors import NotFound
from feedback.models import (
    BacklogItem,
    EvidenceComment,
    EvidenceObservation,
    EvidenceRating,
    Unit,
)

RESOLVED = ("shipped", "declined")
MAX_ITEMS = 100


def _unit_evidence(unit_id: int) -> dict[int, dict[str, int]]:
    """{item id: {observations, ratings, comments}} counted from this unit's people only."""
    counts: dict[int, dict[str, int]] = defaultdict(
        lambda: {"observations": 0, "ratings": 0, "comments": 0}
    )
    parts: tuple[tuple[str, QuerySet[Any]], ...] = (
        ("observations", EvidenceObservation.objects.filter(observation__unit_id=unit_id)),
        ("ratings", EvidenceRating.objects.filter(rating__participant__unit_id=unit_id)),
        (
            "comments",
            EvidenceComment.objects.filter(
                comment__participant__unit_id=unit_id, comment__withdrawn_at=None
            ),
        ),
    )
    for kind, qs in parts:
        for item_id in qs.filter(item__status__in=RESOLVED).values_list("item_id", flat=True):
            counts[item_id][kind] += 1
    return counts


def you_said_we_did(*, unit_id: int) -> dict[str, Any]:
    """The unit's page: resolved items with evidence from it, newest resolution first."""
    unit = Unit.objects.filter(pk=unit_id).values("id", "name", "site").first()
    if unit is None:
        raise NotFound("No such unit; pick one from /api/units/.")
    counts = _unit_evidence(unit_id)
    rows = (
        BacklogItem.objects.filter(pk__in=list(counts), status__in=RESOLVED)
        .order_by("-resolved_at", "-id")
        .values("id", "title", "status", "resolution_note", "resolved_at", "updated_at")
    )[:MAX_ITEMS]
    items = [
        {
            "id": r["id"],
            "title": r["title"],
            "status": r["status"],
            "resolution_note": r["resolution_note"],
            "resolved_at": (r["resolved_at"] or r["updated_at"]).isoformat(),
            "evidence_counts": counts[r["id"]],
        }
        for r in rows
    ]
    return {"unit": unit, "generated_at": timezone.now().isoformat(), "items": items}


def latest_resolution(*, unit_id: int) -> Any:
    """When the newest item on the unit's page was resolved (None when nothing is)."""
    page = you_said_we_did(unit_id=unit_id)["items"]
    return page[0]["resolved_at"] if page else None
