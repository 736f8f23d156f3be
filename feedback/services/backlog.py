"""Backlog writes: items, evidence, status workflow, merge, followers and stored priority."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from feedback import events, phi
from feedback.context import Actor
from feedback.errors import Conflict, InvalidTransition, ValidationFailed
from feedback.models import (
    BacklogItem,
    Comment,
    EvidenceComment,
    EvidenceObservation,
    EvidenceOutputFeedback,
    EvidenceRating,
    Observation,
    OutputFeedback,
    Rating,
    User,
)
from feedback.priority import Weights, flag_is_safety, score
from feedback.selectors.backlog import (
    backlog_row,
    evidence_for_items,
    evidence_reporters,
    item_contributors,
)
from feedback.services.audit import audit_record
from feedback.services.notifications import notify
from feedback.services.webhooks import webhook_enqueue

# The workflow: forward one step at a time; any open state may be declined; only merge
# makes a duplicate; shipped, declined and duplicate are final.
TRANSITIONS: dict[str, frozenset[str]] = {
    "new": frozenset({"triaged", "declined"}),
    "triaged": frozenset({"planned", "declined"}),
    "planned": frozenset({"in_progress", "declined"}),
    "in_progress": frozenset({"shipped", "declined"}),
    "shipped": frozenset(),
    "declined": frozenset(),
    "duplicate": frozenset(),
}
EVIDENCE: dict[str, tuple[Any, Any, str]] = {
    "observations": (Observation, EvidenceObservation, "observation"),
    "ratings": (Rating, EvidenceRating, "rating"),
    "comments": (Comment, EvidenceComment, "comment"),
    "output_feedback": (OutputFeedback, EvidenceOutputFeedback, "flag"),
}
TEXT_FIELDS = ("title", "description")
OPEN = frozenset({"new", "triaged", "planned", "in_progress"})
RESOLVED = frozenset({"shipped", "declined"})
MAX_RESOLUTION_NOTE = 300
EDITABLE = ("title", "description", "workflow", "tool", "effort", "confidence")


def current_weights() -> Weights:
    return Weights.from_mapping(getattr(settings, "ROUNDS_PRIORITY_WEIGHTS", {}) or {})


def priority_recompute(*, item_ids: Iterable[int], weights: Weights | None = None) -> int:
    """Store priority, breakdown and patient_safety for items: 3 reads + 1 write per item."""
    weights = weights or current_weights()
    ids = list(item_ids)
    evidence = evidence_for_items(ids)
    items = list(BacklogItem.objects.filter(pk__in=ids).only("id", "effort", "confidence"))
    for item in items:
        ev = evidence[item.pk]
        result = score(ev, effort=item.effort, confidence=item.confidence, weights=weights)
        safety = any(o.patient_safety or o.severity >= 4 for o in ev.observations)
        safety = safety or any(flag_is_safety(f) for f in ev.flags)
        BacklogItem.objects.filter(pk=item.pk).update(
            priority=result.total, priority_breakdown=result.components, patient_safety=safety
        )
    return len(items)


def recompute_all(*, batch: int = 1000, weights: Weights | None = None) -> int:
    """Every item, in batches (after a weights change); returns how many."""
    weights = weights or current_weights()
    done, last = 0, 0
    while True:
        ids = list(
            BacklogItem.objects.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch]
        )
        if not ids:
            return done
        with transaction.atomic():
            done += priority_recompute(item_ids=ids, weights=weights)
        last = ids[-1]


def _mask_text(data: dict[str, Any], previous: Sequence[str] = ()) -> list[str]:
    """Mask PHI in title/description in place; the union of types found is kept."""
    found = set(previous)
    for field in TEXT_FIELDS:
        if data.get(field):
            masked = phi.mask(data[field])
            _check_masked_length(field, masked.text)
            data[field], found = masked.text, found | set(masked.types)
    return sorted(found)


def _check_masked_length(field: str, text: str) -> None:
    # "[REDACTED-PHONE]" is longer than most phone numbers: say why a short enough text grew.
    limit = getattr(BacklogItem._meta.get_field(field), "max_length", None) or 0
    if len(text) > limit:
        raise ValidationFailed(
            f"The {field} is too long once PHI is masked; remove the PHI or shorten it.",
            errors={
                field: [
                    f"With PHI replaced by [REDACTED-...] markers it has {len(text)} characters;"
                    f" the most is {limit}. Remove the PHI or shorten the text."
                ]
            },
        )


def _broadcast(item_id: int, event: str) -> dict[str, Any]:
    row = backlog_row(item_id=item_id)
    events.send_on_commit(events.BACKLOG_GROUP, events.backlog_item_event(row))
    webhook_enqueue(event=event, data=row)
    return row


def _clean(item: BacklogItem) -> None:
    item.full_clean(exclude=["created_by", "merged_into"], validate_unique=False)


@transaction.atomic
def backlog_create(
    *, actor: Actor, data: dict[str, Any], evidence: dict[str, list[int]] | None = None
) -> BacklogItem:
    fields = {k: v for k, v in data.items() if k in EDITABLE}
    phi_types = _mask_text(fields)
    item = BacklogItem(**fields, created_by=actor.user, phi_redacted=phi_types)
    _clean(item)
    item.save()
    item.followers.add(actor.user)
    _link(item=item, actor=actor, evidence=evidence or {})
    priority_recompute(item_ids=[item.pk])
    audit_record(actor=actor, action="create", obj=item)
    _broadcast(item.pk, "backlog.item.created")
    return item


def _locked(item_id: int) -> BacklogItem:
    return BacklogItem.objects.select_for_update().get(pk=item_id)


def check_transition(current: str, new: str) -> None:
    if new != current and new not in TRANSITIONS.get(current, frozenset()):
        allowed = sorted(TRANSITIONS.get(current, frozenset()))
        hint = f"allowed next: {allowed}" if allowed else "it is final"
        raise InvalidTransition(
            f"An item cannot move from {current!r} to {new!r} ({hint}); merge to mark duplicates."
        )


@transaction.atomic
def backlog_update(*, actor: Actor, item: BacklogItem, data: dict[str, Any]) -> BacklogItem:
    item = _locked(item.pk)
    old_status = item.status
    new_status = data.get("status", old_status)
    check_transition(old_status, new_status)
    fields = {k: v for k, v in data.items() if k in EDITABLE}
    item.phi_redacted = _mask_text(fields, item.phi_redacted)
    for key, value in fields.items():
        setattr(item, key, value)
    note_changed = _resolve(item, new_status, old_status, data.get("resolution_note"))
    item.status = new_status
    _clean(item)
    item.save()
    priority_recompute(item_ids=[item.pk])
    changed = set(fields) | ({"status"} if new_status != old_status else set())
    changed |= {"resolution_note"} if note_changed else set()
    audit_record(actor=actor, action="change", obj=item, detail={"fields": sorted(changed)})
    if new_status != old_status:
        _notify_status(item, old_status, actor)
        _broadcast(item.pk, "backlog.item.status_changed")
    else:
        _broadcast(item.pk, "backlog.item.changed")
    item.refresh_from_db()
    return item


def _resolve(item: BacklogItem, new: str, old: str, note: str | None) -> bool:
    """Moving to shipped/declined needs the one-line note (PHI-masked); it may be corrected
    later on a resolved item, and is refused on open ones. Returns whether the note changed."""
    resolving = new in RESOLVED and new != old
    if note is None:
        if resolving:
            raise _note_error(
                f"Moving to {new} needs resolution_note: one line saying what was"
                " done, or why not; everyone whose evidence is linked reads it."
            )
        return False
    if new not in RESOLVED:
        raise _note_error("resolution_note is written when shipping or declining an item.")
    line = " ".join(note.split())
    if not line or len(line) > MAX_RESOLUTION_NOTE:
        raise _note_error(
            f"Write resolution_note as one line of 1-{MAX_RESOLUTION_NOTE} characters."
        )
    masked = phi.mask(line)
    if len(masked.text) > MAX_RESOLUTION_NOTE:
        raise _note_error("resolution_note is too long once PHI is masked; remove the PHI.")
    item.phi_redacted = sorted(set(item.phi_redacted) | set(masked.types))
    changed = masked.text != item.resolution_note
    item.resolution_note = masked.text
    if resolving:
        item.resolved_at = timezone.now()
    return changed


def _note_error(message: str) -> ValidationFailed:
    return ValidationFailed(message, errors={"resolution_note": [message]})


def _said(status: str) -> str:
    """A status as people read it: "in progress", not in_progress."""
    return status.replace("_", " ")


def _notify_status(item: BacklogItem, old: str, actor: Actor) -> None:
    """Followers hear about status changes (not the person who made the change). When an item
    is shipped or declined, everyone whose evidence is linked — exactly them — is told what was
    done and why, whoever moved it; other followers get the plain status change."""
    contributors: set[int] = set()
    if item.status in RESOLVED and old != item.status:
        contributors = item_contributors(item_id=item.pk)
        notify(
            users=User.objects.filter(pk__in=contributors),
            kind="backlog_resolved",
            title=f"You said, we did: #{item.pk} {item.status}",
            body=f"{item.title} — {item.resolution_note}",
            data={
                "item": item.pk,
                "from": old,
                "to": item.status,
                "resolution_note": item.resolution_note,
            },
        )
    users = item.followers.exclude(pk=actor.user_id or 0).exclude(pk__in=contributors)
    moved = (
        f"merged into #{item.merged_into_id}"
        if item.status == "duplicate"
        else f"moved to {_said(item.status)}"
    )
    notify(
        users=users,
        kind="backlog_status",
        title=f"Backlog item #{item.pk} {moved}",
        body=f"{item.title} — {_said(old)} → {_said(item.status)}",
        data={"item": item.pk, "from": old, "to": item.status, "merged_into": item.merged_into_id},
    )


def _existing(model: Any, ids: list[int], field: str) -> list[int]:
    found = set(model.objects.filter(pk__in=ids).values_list("pk", flat=True))
    missing = sorted(set(ids) - found)
    if missing:
        raise ValidationFailed(
            "Some evidence does not exist; remove the ids listed.",
            errors={field: [f"Unknown id(s): {missing}."]},
        )
    return sorted(found)


def _link(*, item: BacklogItem, actor: Actor, evidence: dict[str, list[int]]) -> int:
    """Link evidence rows (idempotent); their reporters follow the item. Returns rows added."""
    added, chosen = 0, {}
    for name, (model, through, fk) in EVIDENCE.items():
        ids = _existing(model, list(evidence.get(name) or []), name)
        chosen[name] = ids
        before = through.objects.filter(item=item).count()
        through.objects.bulk_create(
            [through(item=item, added_by=actor.user, **{f"{fk}_id": i}) for i in ids],
            ignore_conflicts=True,
        )
        added += through.objects.filter(item=item).count() - before
    reporters = evidence_reporters(**chosen)
    if reporters:
        item.followers.add(*reporters)
    return added


@transaction.atomic
def backlog_link_evidence(
    *, actor: Actor, item: BacklogItem, evidence: dict[str, list[int]]
) -> BacklogItem:
    item = _locked(item.pk)
    if item.status == "duplicate":
        raise Conflict(
            f"Item #{item.pk} was merged into #{item.merged_into_id}; link evidence there."
        )
    added = _link(item=item, actor=actor, evidence=evidence)
    priority_recompute(item_ids=[item.pk])
    audit_record(actor=actor, action="change", obj=item, detail={"evidence_added": added})
    _broadcast(item.pk, "backlog.item.evidence_linked")
    item.refresh_from_db()
    return item


def _move_evidence(source: BacklogItem, into: BacklogItem) -> None:
    for _model, through, fk in EVIDENCE.values():
        rows = list(through.objects.filter(item=source).values(f"{fk}_id", "added_by_id"))
        through.objects.bulk_create(
            [through(item=into, **row) for row in rows], ignore_conflicts=True
        )
        # Rows `into` already had are dropped with the source's copies: nothing is orphaned.
        through.objects.filter(item=source).delete()


@transaction.atomic
def backlog_merge(*, actor: Actor, source: BacklogItem, into_id: int) -> BacklogItem:
    """Evidence and followers move to `into`; the source becomes a duplicate pointing there."""
    if into_id == source.pk:
        raise ValidationFailed(
            "An item cannot be merged into itself.", errors={"into": ["Pick another item."]}
        )
    # Lock both rows in id order so two opposite merges cannot deadlock.
    locked = {
        i.pk: i
        for i in BacklogItem.objects.select_for_update()
        .filter(pk__in=sorted([source.pk, into_id]))
        .order_by("pk")
    }
    if into_id not in locked:
        raise ValidationFailed("No such item to merge into.", errors={"into": ["Unknown item."]})
    source, into = locked[source.pk], locked[into_id]
    check_merge(source, into)
    _move_evidence(source, into)
    into.followers.add(*source.followers.all())
    old = source.status
    source.status, source.merged_into = "duplicate", into
    source.save(update_fields=["status", "merged_into", "updated_at"])
    priority_recompute(item_ids=[source.pk, into.pk])
    audit_record(actor=actor, action="merge", obj=source, detail={"into": into.pk})
    _notify_status(source, old, actor)
    _broadcast(source.pk, "backlog.item.merged")
    _broadcast(into.pk, "backlog.item.changed")
    into.refresh_from_db()
    return into


def check_merge(source: BacklogItem, into: BacklogItem) -> None:
    """Only open items become duplicates (shipped and declined are final); targets must live."""
    if source.status == "duplicate":
        raise InvalidTransition(
            f"Item #{source.pk} is already a duplicate of #{source.merged_into_id}."
        )
    if source.status not in OPEN:
        raise InvalidTransition(
            f"Item #{source.pk} is {source.status}, which is final; only open items can be"
            " merged. Link its evidence to the other item instead."
        )
    if into.status in ("duplicate", "declined"):
        raise Conflict(f"Item #{into.pk} is {into.status}; merge into a live item instead.")


@transaction.atomic
def backlog_follow(*, user: User, item: BacklogItem, follow: bool = True) -> BacklogItem:
    if follow:
        item.followers.add(user)
    else:
        item.followers.remove(user)
    return item
