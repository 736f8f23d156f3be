"""Retention: the admins' policy, legal holds, and the purge that deletes what is past it.

The purge deletes rows and their media files whose age passes their class's retention unless a
legal hold covers them, and records what it deleted as counts only (`RetentionRun`). Audit rows
go oldest-first and only as an unbroken prefix, so the hash chain stays verifiable from the hash
of the newest purged row (kept on the run).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from feedback import audit_chain
from feedback.context import SYSTEM, Actor
from feedback.errors import NotFound, ValidationFailed
from feedback.models import (
    AuditEntry,
    BacklogItem,
    Comment,
    LegalHold,
    Notification,
    Observation,
    Photo,
    Rating,
    RetentionPolicy,
    RetentionRun,
    Unit,
    User,
)
from feedback.models.audit import purge_through
from feedback.models.lifecycle import AUDIT_MIN_DAYS, DEFAULT_DAYS, MAX_DAYS
from feedback.services.audit import audit_record

log = logging.getLogger(__name__)
BATCH = 500
POLICY_FIELDS = tuple(DEFAULT_DAYS)


def audit_chain_start() -> str:
    """The hash the oldest remaining audit row links to: GENESIS, or the newest purged row's."""
    run = (
        RetentionRun.objects.exclude(audit_through_id=None)
        .order_by("-audit_through_id")
        .values_list("audit_through_hash", flat=True)
        .first()
    )
    return run or audit_chain.GENESIS


def retention_policy() -> RetentionPolicy:
    policy, _ = RetentionPolicy.objects.get_or_create(pk=1)
    return policy


@transaction.atomic
def retention_update(*, actor: Actor, days: dict[str, Any]) -> RetentionPolicy:
    """Set some or all of the days; every value is checked before anything changes."""
    errors: dict[str, list[str]] = {}
    for name, value in days.items():
        minimum = AUDIT_MIN_DAYS if name == "audit_days" else 1
        if name not in POLICY_FIELDS:
            errors[name] = [f"Unknown field; use {', '.join(POLICY_FIELDS)}."]
        elif isinstance(value, bool) or not isinstance(value, int):
            errors[name] = ["Give a whole number of days."]
        elif not minimum <= value <= MAX_DAYS:
            why = " (six years: HIPAA documentation)" if name == "audit_days" else ""
            errors[name] = [f"Keep between {minimum}{why} and {MAX_DAYS} days."]
    if errors:
        raise ValidationFailed(
            "The retention settings are invalid; fix the fields listed.", errors=errors
        )
    policy = retention_policy()
    before = {name: getattr(policy, name) for name in days}
    for name, value in days.items():
        setattr(policy, name, value)
    policy.updated_by = actor.user if getattr(actor.user, "pk", None) else None
    policy.save()
    audit_record(actor=actor, action="change", obj=policy, detail={"before": before, "after": days})
    return policy


@transaction.atomic
def legal_hold_create(
    *,
    actor: Actor,
    name: str,
    unit: Unit | None = None,
    person: User | None = None,
    created_from: datetime | None = None,
    created_until: datetime | None = None,
) -> LegalHold:
    if not (unit or person or created_from or created_until):
        raise ValidationFailed(
            "A hold needs at least one of unit, person, created_from, created_until.",
            errors={"non_field_errors": ["Name what the hold covers."]},
        )
    if created_from and created_until and created_from >= created_until:
        raise ValidationFailed(
            "created_from must be before created_until.",
            errors={"created_until": ["Must be after created_from."]},
        )
    hold = LegalHold.objects.create(
        name=name.strip(),
        unit=unit,
        person=person,
        created_from=created_from,
        created_until=created_until,
        created_by=actor.user,
    )
    audit_record(actor=actor, action="create", obj=hold, detail=_hold_detail(hold))
    return hold


@transaction.atomic
def legal_hold_release(*, actor: Actor, hold_id: int) -> None:
    hold = LegalHold.objects.filter(pk=hold_id).first()
    if hold is None:
        raise NotFound("No such legal hold.")
    audit_record(actor=actor, action="delete", obj=hold, detail=_hold_detail(hold))
    hold.delete()


def _hold_detail(hold: LegalHold) -> dict[str, Any]:
    return {
        "unit": hold.unit_id,
        "person": hold.person_id,
        "created_from": hold.created_from.isoformat() if hold.created_from else None,
        "created_until": hold.created_until.isoformat() if hold.created_until else None,
    }


def _held(holds: Iterable[LegalHold], *, time: str, person: str | None, unit: str | None) -> Q:
    """Rows any hold covers; a hold naming a criterion this class lacks covers none of it."""
    covered = Q(pk__in=[])
    for hold in holds:
        if (hold.unit_id and unit is None) or (hold.person_id and person is None):
            continue
        q = Q()
        if hold.unit_id and unit:
            q &= Q(**{unit: hold.unit_id})
        if hold.person_id and person:
            q &= Q(**{person: hold.person_id})
        if hold.created_from:
            q &= Q(**{f"{time}__gte": hold.created_from})
        if hold.created_until:
            q &= Q(**{f"{time}__lt": hold.created_until})
        covered |= q
    return covered


# data class -> (model, time field, person field, unit field, policy field)
CLASSES: dict[str, tuple[type[Model], str, str | None, str | None, str]] = {
    "observations": (Observation, "created_at", "observer", "unit", "observations_days"),
    "photos": (Photo, "created_at", "observation__observer", "observation__unit", "photos_days"),
    "ratings": (Rating, "created_at", "participant__user", None, "ratings_days"),
    "comments": (Comment, "created_at", "participant__user", None, "comments_days"),
    "notifications": (Notification, "created_at", "user", None, "notifications_days"),
}


def _expired(
    name: str, policy: RetentionPolicy, holds: list[LegalHold], now: datetime
) -> tuple[QuerySet[Any], int]:
    model, time, person, unit, days = CLASSES[name]
    cutoff = now - timedelta(days=getattr(policy, days))
    past = model._default_manager.filter(**{f"{time}__lt": cutoff})
    covered = _held(holds, time=time, person=person, unit=unit)
    return past.exclude(covered), past.filter(covered).count()


def _delete_files(photos: QuerySet[Photo]) -> int:
    removed = 0
    for names in photos.values_list("full", "web", "thumb"):
        for name in names:
            if name and default_storage.exists(name):
                default_storage.delete(name)
                removed += 1
    return removed


def _purge_class(name: str, qs: QuerySet[Any], touched: set[int]) -> tuple[int, int]:
    """Delete in batches; returns (rows, files). Photos of deleted observations go with them."""
    rows = files = 0
    while ids := list(qs.values_list("pk", flat=True)[:BATCH]):
        with transaction.atomic():
            batch = qs.model._default_manager.filter(pk__in=ids)
            touched.update(_backlog_items(name, ids))
            if name in ("observations", "photos"):
                photo_qs = Photo.objects.filter(
                    **({"observation_id__in": ids} if name == "observations" else {"pk__in": ids})
                )
                files += _delete_files(photo_qs)
            rows += batch.delete()[1].get(qs.model._meta.label, 0)
    return rows, files


def _backlog_items(name: str, ids: list[int]) -> set[int]:
    field = {"observations": "observations", "ratings": "ratings", "comments": "comments"}.get(name)
    if field is None:
        return set()
    return set(BacklogItem.objects.filter(**{f"{field}__in": ids}).values_list("pk", flat=True))


def _purge_audit(
    policy: RetentionPolicy, holds: list[LegalHold], now: datetime
) -> tuple[int, int, int | None, str]:
    """Delete the oldest audit rows past retention, as one unbroken prefix of the chain."""
    cutoff = now - timedelta(days=policy.audit_days)
    past = AuditEntry.objects.filter(at__lt=cutoff)
    last = past.order_by("-id").values_list("id", flat=True).first()
    if last is None:
        return 0, 0, None, ""
    covered = past.filter(_held(holds, time="at", person="actor", unit=None))
    first_held = covered.order_by("id").values_list("id", flat=True).first()
    held = covered.count()
    if first_held is not None:
        last = first_held - 1
    through = AuditEntry.objects.filter(id__lte=last).order_by("-id").values("id", "hash").first()
    if through is None:
        return 0, held, None, ""
    with transaction.atomic():
        deleted = purge_through(through["id"])
    return deleted, held, through["id"], through["hash"]


def purge(
    *, now: datetime | None = None, trigger: str = "schedule", actor: Actor = SYSTEM
) -> RetentionRun:
    """Delete everything past retention and not under a legal hold; record counts."""
    now = now or timezone.now()
    policy, holds = retention_policy(), list(LegalHold.objects.all())
    run = RetentionRun.objects.create(started_at=now, trigger=trigger)
    deleted: dict[str, int] = {"files": 0}
    held: dict[str, int] = {}
    touched: set[int] = set()
    for name in ("photos", "observations", "ratings", "comments", "notifications"):
        qs, held[name] = _expired(name, policy, holds, now)
        deleted[name], files = _purge_class(name, qs, touched)
        deleted["files"] += files
    deleted["audit"], held["audit"], through_id, through_hash = _purge_audit(policy, holds, now)
    _recompute(touched)
    run.deleted, run.held, run.finished_at = deleted, held, timezone.now()
    run.audit_through_id, run.audit_through_hash = through_id, through_hash
    run.save()
    audit_record(actor=actor, action="delete", obj=run, detail={"deleted": deleted, "held": held})
    log.info("retention purge %s: deleted %s, held %s", run.pk, deleted, held)
    return run


def _recompute(item_ids: set[int]) -> None:
    from feedback.services.backlog import priority_recompute

    remaining = list(BacklogItem.objects.filter(pk__in=item_ids).values_list("pk", flat=True))
    for start in range(0, len(remaining), BATCH):
        with transaction.atomic():
            priority_recompute(item_ids=remaining[start : start + BATCH])
