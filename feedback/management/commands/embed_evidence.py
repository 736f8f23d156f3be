"""Embed stored texts that have no vector for the installed model yet (the embedding job)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from feedback import embeddings
from feedback.services.embeddings import embed_pending, embed_reconcile


class Command(BaseCommand):
    help = (
        "Embed backlog items, observations and session comments that have no vector for the "
        "installed model. --reconcile also re-embeds edited texts and drops vectors of deleted "
        "rows and of other models (run it after a model upgrade)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=256, help="texts per model call")
        parser.add_argument("--reconcile", action="store_true", help="the full sweep")
        parser.add_argument(
            "--watch", type=float, default=0, metavar="SECONDS",
            help="keep running, looking for new texts every SECONDS",
        )  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        batch = max(1, options["batch"])
        while True:
            started = time.perf_counter()
            job = embed_reconcile if options["reconcile"] else embed_pending
            report = job(batch=batch)
            self.stdout.write(
                f"{embeddings.model_key()}: embedded {report.embedded}, re-embedded "
                f"{report.replaced}, removed {report.removed} "
                f"in {time.perf_counter() - started:.1f} s"
            )
            if options["watch"] <= 0:
                return
            time.sleep(options["watch"])
