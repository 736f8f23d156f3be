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

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Screen(models.Model):
    tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="screens")
    title = models.CharField(max_length=200)
    version = models.CharField(max_length=40, default="1")
    image = models.FileField(upload_to="screens/full/")
    web = models.FileField(upload_to="screens/web/")
    thumb = models.FileField(upload_to="screens/thumb/")
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"
