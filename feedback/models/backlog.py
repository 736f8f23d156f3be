"""Backlog items and the evidence linked to them."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

STATUSES = ("new", "triaged", "planned", "in_progress", "shipped", "declined", "duplicate")


class BacklogItem(models.Model):
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, max_length=5000)
    workflow = models.ForeignKey(
        "feedback.Workflow", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    tool = models.ForeignKey(
        "feedback.Tool", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=16, default="new", choices=[(s, s) for s in STATUSES])
    effort = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    confidence = models.FloatField(
        default=0.5, validators=[MinValueValidator(0.0), MaxValueValidator(1.0)]
    )
    priority = models.FloatField(default=0.0)
    priority_breakdown = models.JSONField(default=dict, blank=True)
    patient_safety = models.BooleanField(default=False)
    phi_redacted = models.JSONField(default=list, blank=True)
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="merged_from"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    followers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="following"
    )
    observations = models.ManyToManyField(  # type: ignore[var-annotated]
        "feedback.Observation", through="EvidenceObservation", related_name="backlog_items"
    )
    ratings = models.ManyToManyField(  # type: ignore[var-annotated]
        "feedback.Rating", through="EvidenceRating", related_name="backlog_items"
    )
    comments = models.ManyToManyField(  # type: ignore[var-annotated]
        "feedback.Comment", through="EvidenceComment", related_name="backlog_items"
    )
    output_feedback = models.ManyToManyField(  # type: ignore[var-annotated]
        "feedback.OutputFeedback", through="EvidenceOutputFeedback", related_name="backlog_items"
    )
    # Closing the loop: the one line shown to everyone whose evidence is linked.
    resolution_note = models.CharField(max_length=300, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-priority", "-id"]
        indexes = [
            models.Index(fields=["-priority", "-id"], name="backlog_priority_idx"),
            models.Index(fields=["status", "-priority", "-id"], name="backlog_status_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class _Evidence(models.Model):
    item = models.ForeignKey(BacklogItem, on_delete=models.CASCADE)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class EvidenceObservation(_Evidence):
    observation = models.ForeignKey("feedback.Observation", on_delete=models.CASCADE)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "observation"], name="evidence_obs_unique")
        ]


class EvidenceRating(_Evidence):
    rating = models.ForeignKey("feedback.Rating", on_delete=models.CASCADE)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "rating"], name="evidence_rating_unique")
        ]


class EvidenceComment(_Evidence):
    comment = models.ForeignKey("feedback.Comment", on_delete=models.CASCADE)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "comment"], name="evidence_comment_unique")
        ]


class EvidenceOutputFeedback(_Evidence):
    flag = models.ForeignKey("feedback.OutputFeedback", on_delete=models.CASCADE)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "flag"], name="evidence_flag_unique")
        ]


class UnitPoster(models.Model):
    """The printable "You said, we did" poster of a unit, regenerated weekly (and on demand)."""

    unit = models.OneToOneField("feedback.Unit", on_delete=models.CASCADE, related_name="poster")
    pdf = models.FileField(upload_to="posters/")
    generated_at = models.DateTimeField()
    # The newest resolution it shows: a later one makes the stored poster stale.
    latest_resolution = models.DateTimeField(null=True, blank=True)
