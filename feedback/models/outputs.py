"""AI output feedback: per-tool keys for the embedded widget and the flags clinicians raise."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from feedback.output_feedback import CATEGORIES, HARMS, VERDICTS


class ToolKey(models.Model):
    """A key an AI tool embeds to send flags; only its SHA-256 is stored (shown once)."""

    tool = models.ForeignKey("feedback.Tool", on_delete=models.CASCADE, related_name="keys")
    prefix = models.CharField(max_length=16, unique=True)  # the public part: finds the row
    key_hash = models.CharField(max_length=64)  # sha256 hex of the whole key
    origins = models.JSONField(default=list, blank=True)
    label = models.CharField(max_length=120, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"Key {self.prefix} of tool {self.tool_id}"


class OutputFeedback(models.Model):
    """One flag on one AI output: a verdict, taxonomy categories and an AHRQ harm level."""

    tool = models.ForeignKey(
        "feedback.Tool", on_delete=models.PROTECT, related_name="output_feedback"
    )
    client_id = models.UUIDField()
    key = models.ForeignKey(
        ToolKey, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="output_flags",
    )
    output_ref = models.CharField(max_length=200)
    model_version = models.CharField(max_length=40)
    verdict = models.CharField(max_length=12, choices=[(v, v) for v in VERDICTS])
    categories = models.JSONField(default=list, blank=True)
    harm = models.CharField(max_length=10, blank=True, choices=[(h, h) for h in HARMS])
    harm_rank = models.PositiveSmallIntegerField(default=0)  # HARMS index: filters harm_min
    harm_reached = models.BooleanField(default=False)
    comment = models.TextField(blank=True, max_length=2000)
    phi_redacted = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["tool", "client_id"], name="output_feedback_client")
        ]
        indexes = [
            models.Index(fields=["tool", "-id"], name="flag_tool_idx"),
            models.Index(fields=["tool", "model_version", "created_at"], name="flag_version_idx"),
        ]

    def __str__(self) -> str:
        return f"Flag {self.pk} on {self.output_ref}"


__all__ = ["CATEGORIES", "HARMS", "OutputFeedback", "ToolKey"]
