"""Periodic background jobs: what runs when, claimed once per period however many workers run.

Tasks themselves live in `feedback/tasks.py` (django-tasks, database backend). A worker
(`manage.py rounds_worker`) calls `schedule_tick()` every few seconds; each due job is claimed
with one conditional UPDATE on its `JobSchedule` row, so exactly one worker enqueues it per
period on PostgreSQL and SQLite alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from feedback.models import JobSchedule


@dataclass(frozen=True)
class Periodic:
    name: str
    task: Any  # a django-tasks Task taking no arguments
    every: timedelta


_PERIODIC: dict[str, Periodic] = {}


def register_periodic(name: str, task: Any, *, every: timedelta) -> None:
    """Run `task` (no arguments) once per `every`; `ROUNDS_JOB_PERIODS[name]` (seconds) overrides
    the period and 0 switches the job off."""
    _PERIODIC[name] = Periodic(name=name, task=task, every=every)


def periodic_jobs() -> list[Periodic]:
    overrides: dict[str, float] = getattr(settings, "ROUNDS_JOB_PERIODS", {})
    jobs = []
    for job in _PERIODIC.values():
        seconds = overrides.get(job.name)
        if seconds is not None:
            if seconds <= 0:
                continue
            job = Periodic(name=job.name, task=job.task, every=timedelta(seconds=seconds))
        jobs.append(job)
    return jobs


def _claim(job: Periodic, now: datetime) -> bool:
    """Move the job's next run one period on, if it is due; True for the one caller that did."""
    row, _ = JobSchedule.objects.get_or_create(name=job.name, defaults={"next_run_at": now})
    if row.next_run_at > now:
        return False
    won = JobSchedule.objects.filter(name=job.name, next_run_at=row.next_run_at).update(
        next_run_at=now + job.every, last_enqueued_at=now
    )
    return bool(won)


def schedule_tick(now: datetime | None = None) -> list[str]:
    """Enqueue every periodic job that is due; returns the names enqueued by this call."""
    import feedback.tasks  # noqa: F401 -- registers the built-in periodic jobs

    now = now or timezone.now()
    enqueued = []
    for job in periodic_jobs():
        if _claim(job, now):
            job.task.enqueue()
            enqueued.append(job.name)
    return enqueued
