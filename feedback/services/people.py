"""A person who leaves: everything Rounds holds about them (export), and erasure.

Erasure removes the account and what is only theirs (notifications, devices, tokens, sessions,
SSO links); what they contributed to the shared record (observations, photos, ratings,
comments, sessions, backlog items) stays, attributed to the one "former staff" account. Audit
rows keep their actor id and name: the trail is append-only and kept for its retention period.
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.models import Session
from django.db import models, transaction
from django.utils import timezone

from feedback.context import Actor
from feedback.errors import Conflict
from feedback.models import (
    AuditEntry,
    BacklogItem,
    Comment,
    Device,
    LegalHold,
    Notification,
    Observation,
    Participant,
    Photo,
    Rating,
    User,
)
from feedback.services.audit import audit_record
from feedback.services.observations import CONTENT_FIELDS

FORMER_STAFF = "former-staff"
FORMER_STAFF_LABEL = "former staff"


def former_staff() -> User:
    user, created = User.objects.get_or_create(
        username=FORMER_STAFF,
        defaults={"display_name": FORMER_STAFF_LABEL, "is_active": False},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _rows(qs: models.QuerySet[Any], *fields: str) -> list[dict[str, Any]]:
    return [
        {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items()}
        for row in qs.values(*fields)
    ]


def person_export(*, user: User) -> dict[str, Any]:
    """Everything Rounds holds about `user`, as JSON-ready data (text is already PHI-masked)."""
    return {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "id": user.pk,
            "username": user.username,
            "display_name": user.display_name,
            "roles": user.role_names(),
            "is_active": user.is_active,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "observations": _rows(
            Observation.objects.filter(observer=user).order_by("id"),
            "id",
            "client_id",
            "created_at",
            *CONTENT_FIELDS,
            "phi_redacted",
        ),
        "photos": _rows(
            Photo.objects.filter(uploaded_by=user).order_by("id"),
            "id",
            "observation",
            "full",
            "width",
            "height",
            "created_at",
        ),
        "session_participations": _rows(
            Participant.objects.filter(user=user).order_by("id"),
            "id",
            "session",
            "display_name",
            "is_facilitator",
            "joined_at",
        ),
        "ratings": _rows(
            Rating.objects.filter(participant__user=user).order_by("id"),
            "id",
            "session",
            "screen",
            "scores",
            "comment",
            "created_at",
        ),
        "comments": _rows(
            Comment.objects.filter(participant__user=user).order_by("id"),
            "id",
            "session",
            "screen",
            "text",
            "created_at",
        ),
        "backlog_items_created": _rows(
            BacklogItem.objects.filter(created_by=user).order_by("id"), "id", "title", "created_at"
        ),
        "backlog_items_followed": list(
            BacklogItem.objects.filter(followers=user).order_by("id").values_list("id", flat=True)
        ),
        "notifications": _rows(
            Notification.objects.filter(user=user).order_by("id"),
            "id",
            "kind",
            "title",
            "body",
            "created_at",
            "read_at",
        ),
        "devices": _rows(
            Device.objects.filter(user=user).order_by("id"),
            "device_id",
            "unsynced",
            "first_seen_at",
            "last_seen_at",
        ),
        "audit": _rows(
            AuditEntry.objects.filter(actor_id=user.pk).order_by("id"),
            "id",
            "at",
            "action",
            "object_type",
            "object_id",
            "ip",
            "user_agent",
        ),
    }


def _reassign_contributions(user: User, to: User) -> dict[str, int]:
    """Point every protected reference (the shared record) at `to`; other relations follow
    their own on_delete (personal data cascades, optional links are nulled)."""
    moved: dict[str, int] = {}
    # include_hidden: references declared with related_name="+" count as much as the others.
    for rel in User._meta.get_fields(include_hidden=True):
        if not isinstance(rel, models.ManyToOneRel) or rel.on_delete is not models.PROTECT:
            continue
        manager = rel.related_model._default_manager  # type: ignore[union-attr]
        count = manager.filter(**{rel.field.name: user}).update(**{rel.field.name: to})
        if count:
            moved[rel.related_model._meta.label_lower] = count  # type: ignore[union-attr]
    return moved


def _detach_participations(user: User) -> None:
    """Their seats in sessions become anonymous "former staff" seats (one per seat: two people
    erased from one session must not collide on the one-seat-per-user rule)."""
    for seat in Participant.objects.filter(user=user):
        seat.user, seat.guest_key = None, f"former-staff-{seat.pk}"
        seat.display_name = FORMER_STAFF_LABEL
        seat.save(update_fields=["user", "guest_key", "display_name"])


def end_sessions(user: User) -> int:
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
            ended += 1
    return ended


@transaction.atomic
def person_erase(*, actor: Actor, user: User) -> dict[str, Any]:
    """Remove `user`'s account; their contributions stay as "former staff". Refused for one's
    own account, the placeholder itself, and anyone a legal hold names."""
    if actor.user_id == user.pk:
        raise Conflict("You cannot erase your own account; ask another admin.")
    if user.username == FORMER_STAFF:
        raise Conflict("This is the placeholder that erased people's work is attributed to.")
    if LegalHold.objects.filter(person=user).exists():
        raise Conflict("A legal hold names this person; release it before erasing them.")
    placeholder = former_staff()
    _detach_participations(user)
    moved = _reassign_contributions(user, placeholder)
    sessions = end_sessions(user)
    user_id = user.pk
    user.delete()
    result = {
        "erased": user_id,
        "attributed_to": placeholder.pk,
        "reassigned": moved,
        "sessions_ended": sessions,
    }
    audit_record(
        actor=actor,
        action="delete",
        object_type="feedback.user",
        object_id=user_id,
        detail={"erasure": True, "reassigned": moved},
    )
    return result
