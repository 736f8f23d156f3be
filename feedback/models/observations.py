"""Observations (pain points logged on the floor) and their redacted photos."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

ROLE_OBSERVED = (
    "nurse",
    "physician",
    "pharmacist",
    "respiratory_therapist",
    "technician",
    "clerk",
    "other",
)
FREQUENCIES = ("once", "daily", "every_shift", "hourly")


class Observation(models.Model):
    # The device-made UUID is the idempotency key; the unique index, not a read, stops duplicates.
    client_id = models.UUIDField(unique=True)
    observer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="observations"
    )
    captured_at = models.DateTimeField()
    unit = models.ForeignKey("feedback.Unit", on_delete=models.PROTECT, related_name="+")
    workflow = models.ForeignKey("feedback.Workflow", on_delete=models.PROTECT, related_name="+")
    tool = models.ForeignKey(
        "feedback.Tool", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    role_observed = models.CharField(max_length=32, choices=[(r, r) for r in ROLE_OBSERVED])
    description = models.TextField(max_length=5000)
    severity = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    frequency = models.CharField(max_length=16, choices=[(f, f) for f in FREQUENCIES])
    minutes_lost = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(600)]
    )
    patient_safety = models.BooleanField(default=False)
    tags = models.JSONField(default=list, blank=True)
    phi_redacted = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["unit", "-id"], name="obs_unit_idx"),
            models.Index(fields=["workflow", "-id"], name="obs_workflow_idx"),
            models.Index(fields=["observer", "-id"], name="obs_observer_idx"),
            models.Index(fields=["captured_at"], name="obs_captured_idx"),
        ]

    def __str__(self) -> str:
        return f"Observation {self.pk}"


class Photo(models.Model):
    client_id = models.UUIDField(unique=True)
    observation = models.ForeignKey(Observation, on_delete=models.CASCADE, related_name="photos")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    full = models.FileField(upload_to="photos/full/")
    web = models.FileField(upload_to="photos/web/")
    thumb = models.FileField(upload_to="photos/thumb/")
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    redacted_regions = models.PositiveSmallIntegerField(default=0)
    # What was found and filled automatically: [{"kind": "face"|"text", "type"?, "box"}].
    auto_redacted = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"Photo {self.pk}"
