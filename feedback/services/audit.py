"""Appends to the audit trail; the only writer of AuditEntry rows."""

from __future__ import annotations

from typing import Any

from feedback.context import Actor
from feedback.models import AuditEntry


def audit_record(
    *,
    actor: Actor,
    action: str,
    obj: Any = None,
    object_type: str = "",
    object_id: Any = "",
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Record who did `action` to which object, when and from where. Never store free text here."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    user = actor.user if getattr(actor.user, "pk", None) else None
    return AuditEntry.objects.create(
        actor=user,
        actor_name=getattr(user, "username", "") if user else "system",
        action=action,
        object_type=object_type,
        object_id=str(object_id or ""),
        detail=detail or {},
        ip=actor.ip,
        user_agent=(actor.user_agent or "")[:200],
    )
