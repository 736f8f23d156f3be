"""Recompute the themes of recent evidence (the themes job), embedding new texts first."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from feedback.services.themes import themes_recompute


class Command(BaseCommand):
    help = "Cluster the evidence of the last ROUNDS_THEMES_DAYS days (90) into themes."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        snapshot = themes_recompute()
        self.stdout.write(
            f"{len(snapshot.themes)} theme(s) from {snapshot.evidence_count} piece(s) of evidence "
            f"in {time.perf_counter() - started:.1f} s"
        )
