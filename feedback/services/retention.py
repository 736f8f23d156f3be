"""Retention: the admins' policy, legal holds, and the purge that deletes what is past it."""

from __future__ import annotations

from feedback import audit_chain
from feedback.models import RetentionRun


def audit_chain_start() -> str:
    """The hash the oldest remaining audit row links to: GENESIS, or the newest purged row's."""
    run = (
        RetentionRun.objects.exclude(audit_through_id=None)
        .order_by("-audit_through_id")
        .values_list("audit_through_hash", flat=True)
        .first()
    )
    return run or audit_chain.GENESIS
