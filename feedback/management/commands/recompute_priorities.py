"""Recompute every backlog item's stored priority (run after changing ROUNDS_PRIORITY_WEIGHTS)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from feedback.services.backlog import recompute_all


class Command(BaseCommand):
    help = "Recompute stored priority and breakdown of all backlog items with the current weights."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=1000, help="items per transaction")
        parser.add_argument(
            "--background",
            action="store_true",
            help="enqueue it as a background job for `rounds_worker` instead of running it here",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        batch = max(1, options["batch"])
        if options["background"]:
            from feedback.tasks import recompute_priorities

            result = recompute_priorities.enqueue(batch)
            self.stdout.write(f"enqueued priority recomputation (job {result.id})")
            return
        done = recompute_all(batch=batch)
        self.stdout.write(f"recomputed {done} backlog item(s)")
