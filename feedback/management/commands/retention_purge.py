"""Run the retention purge now (it also runs daily as a background job)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from feedback.services.retention import purge


class Command(BaseCommand):
    help = "Delete what is past retention and under no legal hold; print the counts."

    def handle(self, *args: Any, **options: Any) -> None:
        run = purge(trigger="manual")
        self.stdout.write(f"purge {run.pk}: deleted {run.deleted}; kept by holds {run.held}")
