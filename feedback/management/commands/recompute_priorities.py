"""Recompute every backlog item's stored priority (run after changing ROUNDS_PRIORITY_WEIGHTS)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from feedback.services.backlog import recompute_all


class Command(BaseCommand):
    help = "Recompute stored priority and breakdown of all backlog items with the current weights."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=1000, help="items per transaction")

    def handle(self, *args: Any, **options: Any) -> None:
        done = recompute_all(batch=max(1, options["batch"]))
        self.stdout.write(f"recomputed {done} backlog item(s)")
