"""Reads of the audit trail for its checker and its exports (rows as the chain hashes them)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from feedback import audit_chain
from feedback.models import AuditEntry

CHAIN_FIELDS = ("id", "prev_hash", "hash", *audit_chain.FIELDS)


def audit_rows(*, after_id: int = 0, chunk: int = 2000) -> Iterator[dict[str, Any]]:
    """Every row with id > after_id, oldest first, as plain dicts (streamed in chunks)."""
    qs = AuditEntry.objects.filter(id__gt=after_id).order_by("id").values(*CHAIN_FIELDS)
    yield from qs.iterator(chunk_size=chunk)
