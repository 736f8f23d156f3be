"""Appends to the audit trail; the only writer of AuditEntry rows, each chained to the last.

Concurrency: the chain needs each row to see the hash of the row committed before it. On
PostgreSQL a transaction-scoped advisory lock serialises audit writers (held until the writing
transaction commits, so the next writer reads a committed head); SQLite transactions already hold
the database's single write lock from BEGIN (`transaction_mode` IMMEDIATE in settings).
"""

from __future__ import annotations

import ipaddress
import json
import logging
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from feedback import audit_chain
from feedback.context import Actor
from feedback.models import AuditEntry

# Every action the trail records (the admin area's filter offers these).
ACTIONS = ("create", "change", "delete", "merge", "export", "view", "login")
AUDIT_LOCK_KEY = 0x526F756E6473  # "Rounds": the advisory lock id guarding the chain's head
siem_log = logging.getLogger("rounds.audit")


def _normalise_ip(ip: str | None) -> str | None:
    """The form the database gives back (PostgreSQL's inet compresses IPv6)."""
    if not ip:
        return None
    try:
        return str(ipaddress.ip_address(ip))
    except ValueError:
        return None


def _lock_head() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [AUDIT_LOCK_KEY])


def chain_head() -> tuple[int, str] | None:
    """(id, hash) of the newest row, or None for an empty trail."""
    head = AuditEntry.objects.order_by("-id").values_list("id", "hash").first()
    return (head[0], head[1]) if head else None


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
    row: dict[str, Any] = {
        "actor_id": user.pk if user else None,
        "actor_name": getattr(user, "username", "") if user else "system",
        "action": action,
        "object_type": object_type,
        "object_id": str(object_id or ""),
        # Round-tripped through JSON so the hash sees what the database will give back.
        "detail": json.loads(json.dumps(detail or {})),
        "ip": _normalise_ip(actor.ip),
        "user_agent": (actor.user_agent or "")[:200],
    }
    with transaction.atomic(savepoint=False):  # nothing to roll back to: the insert is last
        _lock_head()
        head = chain_head()
        prev = head[1] if head else audit_chain.GENESIS
        row["at"] = timezone.now()
        entry = AuditEntry.objects.create(
            **row, prev_hash=prev, hash=audit_chain.row_hash(prev, row)
        )
    transaction.on_commit(lambda: _ship(entry))
    return entry


def _ship(entry: AuditEntry) -> None:
    """Each committed row as one JSON line to the `rounds.audit` logger (a SIEM, if configured)."""
    if siem_log.isEnabledFor(logging.INFO):
        siem_log.info(json.dumps(entry_record(entry), sort_keys=True))


def ship_chain_head() -> int | None:
    """Log the chain head as a JSON line for the SIEM; returns its id."""
    head = chain_head()
    last_id, last_hash = head or (None, None)
    siem_log.info(json.dumps({"type": "chain_head", "id": last_id, "hash": last_hash}))
    return last_id


def entry_record(entry: AuditEntry) -> dict[str, Any]:
    """One row as exported (JSON lines, syslog): every hashed field plus id and both hashes."""
    return {
        "id": entry.pk,
        "at": entry.at.isoformat(),
        "actor_id": entry.actor_id,
        "actor_name": entry.actor_name,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "detail": entry.detail,
        "ip": entry.ip,
        "user_agent": entry.user_agent,
        "prev_hash": entry.prev_hash,
        "hash": entry.hash,
    }
