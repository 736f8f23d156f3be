"""Deliver due webhook attempts once, or forever with --loop (the docker-compose worker)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from feedback.services.webhooks import deliver_due


class Command(BaseCommand):
    help = "Send pending webhook deliveries whose next attempt is due (retries with back-off)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", action="store_true", help="keep running, polling")
        parser.add_argument("--interval", type=float, default=2.0, help="seconds between polls")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            close_old_connections()
            delivered = deliver_due()
            if delivered or not options["loop"]:
                self.stdout.write(f"delivered {delivered} webhook(s)")
            if not options["loop"]:
                return
            time.sleep(max(0.1, options["interval"]))
