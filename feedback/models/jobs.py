"""When each periodic background job is next due (one row per job; workers claim it by CAS)."""

from __future__ import annotations

from django.db import models


class JobSchedule(models.Model):
    name = models.CharField(max_length=80, primary_key=True)
    next_run_at = models.DateTimeField()
    last_enqueued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
