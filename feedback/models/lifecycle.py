"""Data lifecycle: retention per data class, legal holds, the purge's record, and devices."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

AUDIT_MIN_DAYS = 2190  # six years (HIPAA documentation retention, 45 CFR 164.316(b)(2))
MAX_DAYS = 36500
DEFAULT_DAYS = {
    "observations_days": 1095,
    "photos_days": 365,
    "ratings_days": 1095,
    "comments_days": 1095,
    "notifications_days": 90,
    "audit_days": AUDIT_MIN_DAYS,
}


def _days(name: str, minimum: int = 1) -> models.PositiveIntegerField[int, int]:
    return models.PositiveIntegerField(
        default=DEFAULT_DAYS[name],
        validators=[MinValueValidator(minimum), MaxValueValidator(MAX_DAYS)],
    )


class RetentionPolicy(models.Model):
    """One row (pk 1): how many days each class of data is kept after it was created."""

    observations_days = _days("observations_days")
    photos_days = _days("photos_days")
    ratings_days = _days("ratings_days")
    comments_days = _days("comments_days")
    notifications_days = _days("notifications_days")
    audit_days = _days("audit_days", AUDIT_MIN_DAYS)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )


class LegalHold(models.Model):
    """Keeps matching data from the purge. Every criterion given must match (unset = any)."""

    name = models.CharField(max_length=120)  # a matter reference, not a patient's name
    unit = models.ForeignKey("feedback.Unit", on_delete=models.PROTECT, null=True, related_name="+")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_from = models.DateTimeField(null=True, blank=True)
    created_until = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]


class RetentionRun(models.Model):
    """What one purge deleted and kept back: counts only, never content."""

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    trigger = models.CharField(max_length=20, default="schedule")  # schedule | manual
    deleted = models.JSONField(default=dict)  # data class -> rows (and "files") deleted
    held = models.JSONField(default=dict)  # data class -> rows past retention kept by a hold
    # The newest purged audit row: the chain checker starts from its hash (docs/lifecycle.md).
    audit_through_id = models.BigIntegerField(null=True, blank=True)
    audit_through_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-id"]


class Device(models.Model):
    """A tablet or phone running the PWA, per signed-in user: how much it has not synced yet."""

    device_id = models.CharField(max_length=64)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    unsynced = models.PositiveIntegerField(default=0)
    user_agent = models.CharField(max_length=200, blank=True)
    first_seen_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField()

    class Meta:
        ordering = ["-unsynced", "-last_seen_at"]
        constraints = [
            models.UniqueConstraint(fields=["device_id", "user"], name="device_one_per_user")
        ]


class QueueKey(models.Model):
    """The key that wraps a user's offline-queue key in the PWA (docs/pwa.md, "Shared tablets").
    Released only to that user's own signed-in session; never rotated (queued items would be
    lost); deleted with the account."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    key = models.BinaryField(max_length=32)
    created_at = models.DateTimeField(auto_now_add=True)
