"""Reference data: care units, clinical workflows, AI tools and their prototype screens."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Unit(models.Model):
    name = models.CharField(max_length=120)
    site = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["site", "name"], name="unit_unique_name")]

    def __str__(self) -> str:
        return self.name


class Workflow(models.Model):
    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Tool(models.Model):
    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True, max_length=2000)
    # CHAI applied model card fields (feedback.model_cards.FIELDS), each a short text.
    model_card = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class ModelVersion(models.Model):
    """A released version of a tool's model; flags, screens and ratings name it by `version`."""

    tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="versions")
    version = models.CharField(max_length=40)
    released_at = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True, max_length=2000)
    model_card = models.JSONField(default=dict, blank=True)  # what changed in this version's card
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["tool", "released_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["tool", "version"], name="model_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.tool_id} {self.version}"


class Screen(models.Model):
    tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="screens")
    title = models.CharField(max_length=200)
    version = models.CharField(max_length=40, default="1")  # the design iteration of the screen
    model_version = models.CharField(max_length=40, blank=True)  # the model it shows output of
    # Named rectangles for pointer-free pins: [{id, label, box: [x, y, w, h]}] in fractions.
    regions = models.JSONField(default=list, blank=True)
    image = models.FileField(upload_to="screens/full/")
    web = models.FileField(upload_to="screens/web/")
    thumb = models.FileField(upload_to="screens/thumb/")
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    # SHA-256 of the uploaded bytes: the same upload to the same tool returns this screen.
    # Empty for screens stored before it was recorded.
    content_sha256 = models.CharField(max_length=64, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["tool", "content_sha256"],
                condition=~models.Q(content_sha256=""),
                name="screen_content_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"
