"""Check the audit trail's hash chain; exit non-zero naming the first row that breaks it."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from feedback import audit_chain
from feedback.models import AuditEntry
from feedback.selectors.audit import audit_rows
from feedback.services.retention import audit_chain_start


class Command(BaseCommand):
    help = (
        "Verify that no audit row was changed, deleted, inserted or reordered: recompute every "
        "row's hash and its link to the row before. Exits 1 naming the first bad row."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--anchor",
            metavar="ID:HASH",
            help="a chain head recorded elsewhere (e.g. in your SIEM): that row must still "
            "exist with that hash, which also catches rows cut off the end",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        result = audit_chain.verify(audit_rows(), start_prev=audit_chain_start())
        if isinstance(result, audit_chain.Break):
            raise CommandError(
                f"audit chain broken at row {result.row_id}: {result.reason}", returncode=1
            )
        if options["anchor"]:
            self._check_anchor(options["anchor"])
        self.stdout.write(f"audit chain intact: {result} row(s) verified")

    def _check_anchor(self, anchor: str) -> None:
        row_id, _, digest = anchor.partition(":")
        if not row_id.isdigit() or len(digest) != 64:
            raise CommandError("--anchor takes ID:HASH, e.g. 1042:3f5c…(64 hex digits)")
        found = AuditEntry.objects.filter(pk=int(row_id)).values_list("hash", flat=True).first()
        if found != digest:
            what = "is missing" if found is None else "has a different hash"
            raise CommandError(f"audit chain broken at row {row_id}: it {what}", returncode=1)
