"""The embedding job: a vector for every stored text, kept current when texts or the model change.

Texts are embedded after they are stored, not while the request that stores them waits (a
500-observation sync batch takes ~60 ms to store and ~6 s to embed on two cores). Run by
`manage.py embed_evidence` (and by the background worker once jobs run there). Idempotent: a
second run finds nothing to do; two runs at once insert each vector once (unique constraint).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef

from feedback import embeddings
from feedback.models import BacklogItem, TextEmbedding
from feedback.selectors.evidence import KINDS, Kind

SCAN = 2000  # ids checked per range while looking for rows without a vector


@dataclass
class EmbedReport:
    embedded: int = 0
    replaced: int = 0
    removed: int = 0


def embed_pending(*, batch: int = 256, limit: int | None = None) -> EmbedReport:
    """Embed every text that has no vector for the current model yet, oldest first, plus backlog
    items edited since their vector was made. `limit` caps the texts embedded in this call."""
    report = EmbedReport()
    key = embeddings.model_key()
    for spec in KINDS.values():
        for chunk in _missing(spec, key, batch):
            if limit is not None and report.embedded >= limit:
                return report
            _store(spec.name, chunk, key)
            report.embedded += len(chunk)
    for chunk in _chunks(_edited_backlog(key), batch):
        report.replaced += _replace("backlog", chunk, key)
    return report


def embed_reconcile(*, batch: int = 256) -> EmbedReport:
    """The slow sweep (periodic, and after a model change): re-embed texts whose stored vector
    was made from another text (edited comments), drop vectors of rows that are gone, drop
    vectors of other models once the current one covers everything."""
    report = embed_pending(batch=batch)
    key = embeddings.model_key()
    for spec in KINDS.values():
        stored = dict(
            TextEmbedding.objects.filter(kind=spec.name, model=key).values_list(
                "object_id", "text_sha1"
            )
        )
        changed = [
            (pk, text)
            for pk, text in spec.texts(spec.rows())
            if stored.pop(pk, None) not in (None, embeddings.text_digest(text))
        ]
        for chunk in _chunks(iter(changed), batch):
            report.replaced += _replace(spec.name, chunk, key)
        if stored:  # rows deleted (or emptied) since they were embedded
            report.removed += TextEmbedding.objects.filter(
                kind=spec.name, model=key, object_id__in=list(stored)
            ).delete()[0]
    report.removed += TextEmbedding.objects.exclude(model=key).delete()[0]
    return report


def _missing(spec: Kind, key: str, batch: int) -> Iterator[list[tuple[int, str]]]:
    """Rows without a vector, walked by id range: two index look-ups per range, so the cost does
    not hang on the planner's guess about a freshly filled table (an anti-join can go quadratic
    on PostgreSQL before the table is analysed)."""
    after = 0
    while True:
        ids = list(
            spec.rows().filter(pk__gt=after).order_by("pk").values_list("pk", flat=True)[:SCAN]
        )
        if not ids:
            return
        after = ids[-1]
        have = set(
            TextEmbedding.objects.filter(kind=spec.name, model=key, object_id__in=ids).values_list(
                "object_id", flat=True
            )
        )
        todo = [pk for pk in ids if pk not in have]
        for start in range(0, len(todo), batch):
            chunk = todo[start : start + batch]
            yield list(spec.texts(spec.rows().filter(pk__in=chunk).order_by("pk")))


def _edited_backlog(key: str) -> Iterator[tuple[int, str]]:
    stale = TextEmbedding.objects.filter(
        kind="backlog", model=key, object_id=OuterRef("pk"), created_at__lt=OuterRef("updated_at")
    )
    return KINDS["backlog"].texts(BacklogItem.objects.filter(Exists(stale)).order_by("pk"))


def _chunks(rows: Iterator[tuple[int, str]], size: int) -> Iterator[list[tuple[int, str]]]:
    chunk: list[tuple[int, str]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _rows(kind: str, chunk: list[tuple[int, str]], key: str) -> list[TextEmbedding]:
    vectors = embeddings.encode([text for _, text in chunk])
    return [
        TextEmbedding(
            kind=kind,
            object_id=pk,
            model=key,
            text_sha1=embeddings.text_digest(text),
            vector=embeddings.to_bytes(vector),
        )
        for (pk, text), vector in zip(chunk, vectors, strict=True)
    ]


def _store(kind: str, chunk: list[tuple[int, str]], key: str) -> None:
    TextEmbedding.objects.bulk_create(_rows(kind, chunk, key), ignore_conflicts=True)


def _replace(kind: str, chunk: list[tuple[int, str]], key: str) -> int:
    """New rows (new ids) rather than updates, so in-memory indexes see the change."""
    rows = _rows(kind, chunk, key)
    with transaction.atomic():
        TextEmbedding.objects.filter(
            kind=kind, model=key, object_id__in=[pk for pk, _ in chunk]
        ).delete()
        TextEmbedding.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)
