"""The themes job: cluster recent evidence by meaning and keep the result for the themes API.

Run by `manage.py recompute_themes` (and periodically by the background worker once jobs run
there). What is stored is only which evidence belongs together; labels and counts are made at
read time from the evidence each caller may see (feedback.selectors.themes).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from django.conf import settings
from django.utils import timezone

from feedback import embeddings, themes
from feedback.models import Comment, Observation, Rating, TextEmbedding, ThemeSnapshot
from feedback.services.embeddings import embed_pending

WINDOW_DAYS = 90
MAX_EVIDENCE = 3000  # newest first; clustering is quadratic in memory (3000: ~70 MB, ~3 s)
KEEP = 2


def window_days() -> int:
    return int(getattr(settings, "ROUNDS_THEMES_DAYS", WINDOW_DAYS))


def recent_evidence(start: dt.datetime, limit: int = MAX_EVIDENCE) -> list[tuple[str, int]]:
    """(kind, id) of evidence with text from `start` on, newest first, at most `limit`."""
    dated: list[tuple[dt.datetime, str, int]] = []
    for kind, qs, when in (
        ("observation", Observation.objects.exclude(description=""), "captured_at"),
        ("comment", Comment.objects.exclude(text=""), "created_at"),
        ("rating", Rating.objects.exclude(comment=""), "created_at"),
    ):
        rows = qs.filter(**{f"{when}__gte": start}).order_by(f"-{when}")[:limit]
        dated.extend((at, kind, pk) for pk, at in rows.values_list("pk", when))
    dated.sort(key=lambda row: (row[0], row[1], row[2]), reverse=True)
    return [(kind, pk) for _, kind, pk in dated[:limit]]


def themes_recompute(*, now: dt.datetime | None = None, embed_first: bool = True) -> ThemeSnapshot:
    """Cluster the evidence of the last `ROUNDS_THEMES_DAYS` days into a new snapshot."""
    if embed_first:
        embed_pending()
    key = embeddings.model_key()
    start = (now or timezone.now()) - dt.timedelta(days=window_days())
    keys = recent_evidence(start)
    stored = {
        (kind, pk): raw
        for kind, pk, raw in TextEmbedding.objects.filter(
            model=key, object_id__in={pk for _, pk in keys}
        ).values_list("kind", "object_id", "vector")
    }
    present = [k for k in keys if k in stored]
    matrix = (
        np.stack([embeddings.from_bytes(stored[k]) for k in present])
        if present
        else np.zeros((0, embeddings.DIMENSIONS), dtype=np.float32)
    )
    found = []
    for group in themes.cluster(matrix):
        middle = group[themes.representative(matrix[group])]
        found.append(
            {
                "members": [list(present[i]) for i in group],
                "representative": list(present[middle]),
            }
        )
    snapshot = ThemeSnapshot.objects.create(
        model=key, window_start=start, evidence_count=len(present), themes=found
    )
    old = ThemeSnapshot.objects.order_by("-id").values_list("id", flat=True)[KEEP:]
    ThemeSnapshot.objects.filter(id__in=list(old)).delete()
    return snapshot
