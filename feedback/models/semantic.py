"""Sentence vectors of evidence and backlog texts, and the themes computed from them."""

from __future__ import annotations

from django.db import models

KINDS = ("backlog", "observation", "comment", "rating")


class TextEmbedding(models.Model):
    """One text's vector for one model. Rows are never updated: a changed text or a new model
    gets a new row (and the old one is deleted), so readers can load only rows above the last id
    they saw."""

    kind = models.CharField(max_length=24, choices=[(k, k) for k in KINDS])
    object_id = models.BigIntegerField()
    model = models.CharField(max_length=120)
    text_sha1 = models.CharField(max_length=40)
    vector = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "model"], name="embedding_one_per_model"
            )
        ]
        indexes = [models.Index(fields=["model", "id"], name="embedding_model_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} ({self.model})"


class ThemeSnapshot(models.Model):
    """The latest clustering of recent evidence: `themes` is a list of
    `{"members": [[kind, id], ...]}`; labels and counts are made per caller at read time from
    the members that caller may see."""

    model = models.CharField(max_length=120)
    window_start = models.DateTimeField()
    computed_at = models.DateTimeField(auto_now_add=True)
    evidence_count = models.PositiveIntegerField(default=0)
    themes = models.JSONField(default=list)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"Themes at {self.computed_at:%Y-%m-%d %H:%M}"
