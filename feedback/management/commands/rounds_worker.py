"""The background-job worker: django-tasks-db's `db_worker` plus the periodic-job scheduler."""

from __future__ import annotations

import logging
import threading
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from feedback.jobs import schedule_tick

log = logging.getLogger("feedback.jobs")


def _scheduler(stop: threading.Event, interval: float) -> None:
    while not stop.is_set():
        try:
            close_old_connections()
            enqueued = schedule_tick()
            if enqueued:
                log.info("enqueued periodic jobs: %s", ", ".join(enqueued))
        except Exception:  # a locked or restarting database: try again next tick
            log.exception("periodic-job scheduling failed; retrying")
        finally:
            connection.close()
        stop.wait(interval)


class Command(DbWorkerCommand):
    help = (
        "Run background jobs (webhook deliveries, purges, digests, priority recomputation) and "
        "enqueue the periodic ones when due. Run one or several; they share the database queue."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(queue_name="*", reload=False)
        parser.add_argument(
            "--no-scheduler",
            action="store_true",
            help="only run jobs; leave enqueueing periodic jobs to other workers",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options.pop("no_scheduler"):
            stop = threading.Event()
            interval = float(getattr(settings, "ROUNDS_SCHEDULER_INTERVAL", 15))
            threading.Thread(target=_scheduler, args=(stop, interval), daemon=True).start()
        super().handle(*args, **options)
