"""One similar search over the backlog and all evidence, by meaning and by words.

`similar()` embeds the query (or reuses the stored vector of the evidence it is asked about),
scores it against this process's in-memory vectors, re-scores the shortlist with the lexical
score (`feedback.semantic`), and returns only what the caller may see and only at or above the
calibrated threshold. Texts stored after the embedding job last ran are scored lexically.

Round trips are what a query pays for beyond the floor (on a busy host each costs a few ms to
PostgreSQL), so the common case makes one per kind: the shortlist's texts, the texts still
waiting for a vector and the vectors' `MAX(id)` come back together. When that `MAX(id)` shows
the index was behind, it is topped up and the search runs again on the fresh vectors.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from django.db import connection
from django.db.models import Q, QuerySet, Subquery

from feedback import embeddings, semantic
from feedback.errors import NotFound
from feedback.models import BacklogItem, Comment, Observation, Rating, TextEmbedding
from feedback.selectors.backlog import as_rows, backlog_rows
from feedback.selectors.evidence import KINDS, texts_of, visible_ids
from feedback.selectors.vectors import VectorIndex, latest_id, shared_index

PENDING = 500  # newest texts without a vector yet that are still searched (lexically)

Key = tuple[str, int]


@dataclass(frozen=True)
class Match:
    kind: str
    id: int
    score: float


def similar(
    *,
    user: Any,
    text: str | None = None,
    source: Key | None = None,
    kinds: Sequence[str] = ("backlog",),
    limit: int = 10,
    calibration: semantic.Calibration = semantic.CALIBRATED,
) -> list[Match]:
    """What `text` (or the evidence `source` = (kind, id)) most likely duplicates, best first."""
    index = shared_index(top_up=False)  # the texts query below tells whether it is behind
    args = {"user": user, "text": text, "source": source, "kinds": kinds, "limit": limit}
    matches, latest = _similar(index, calibration=calibration, **args)
    if latest != index.last_pk:  # vectors added (or deleted) since the index last looked
        index.refresh()
        matches, _ = _similar(index, calibration=calibration, **args)
    return matches


def _similar(
    index: VectorIndex,
    *,
    user: Any,
    text: str | None,
    source: Key | None,
    kinds: Sequence[str],
    limit: int,
    calibration: semantic.Calibration,
) -> tuple[list[Match], int]:
    """The matches on `index` as it is, and the vectors' `MAX(id)` when their texts were read."""
    query_text, query_vector = _query(index, user=user, text=text, source=source)
    if not query_text.strip():
        return [], index.last_pk
    only = {k: ids for k in kinds if (ids := visible_ids(k, user=user)) is not None}
    depth = max(semantic.SHORTLIST, limit) + 1  # +1: the source itself comes back first
    hits = index.search(query_vector, kinds=kinds, only=only, k=depth)
    texts, pending, latest = _texts(index, user=user, kinds=kinds, hits=hits)
    scored = [
        ((kind, pk), cosine, texts[(kind, pk)])
        for kind, pk, cosine in hits
        if (kind, pk) in texts and (kind, pk) != source
    ]
    ranked = semantic.rescore(query_text, scored, limit=limit, calibration=calibration)
    waiting = [(key, body) for key, body in pending.items() if key != source]
    lexical = semantic.rescore_lexical(query_text, waiting, limit=limit)
    merged = semantic.merge(ranked, lexical, limit=limit)
    return [Match(kind, pk, s) for (kind, pk), s in merged], latest


def _query(
    index: VectorIndex, *, user: Any, text: str | None, source: Key | None
) -> tuple[str, npt.NDArray[np.float32]]:
    if source is None:
        body = text or ""
        return body, embeddings.encode_one(body)
    kind, pk = source
    found = texts_of(kind, [pk], user=user)
    if pk not in found:
        raise NotFound(f"No such {kind} with text, or it is not visible to you.")
    stored = index.vector(kind, pk)
    return found[pk], stored if stored is not None else embeddings.encode_one(found[pk])


def _texts(
    index: VectorIndex, *, user: Any, kinds: Sequence[str], hits: list[tuple[str, int, float]]
) -> tuple[dict[Key, str], dict[Key, str], int]:
    """The texts `user` may see, as they are now, of the shortlist (gone or hidden rows are
    absent) and of the newest rows without a vector yet (up to `PENDING` per kind), and the
    vectors' `MAX(id)`: one query per kind."""
    shortlisted: dict[Key, str] = {}
    pending: dict[Key, str] = {}
    latest: int | None = None
    newest_vector = Subquery(
        TextEmbedding.objects.filter(model=index.model_key).order_by("-id").values("id")[:1]
    )
    for kind in kinds:
        spec = KINDS[kind]
        newest = index.max_object_id(kind)  # rows above it have no vector yet
        ids = [pk for k, pk, _ in hits if k == kind]
        rows = _shortlisted_or_waiting(spec.rows(spec.visible(user)), ids, newest)
        for pk, last, *fields in rows.annotate(_latest=newest_vector).values_list(
            "pk", "_latest", *spec.fields
        ):
            latest = int(last or 0)
            (pending if pk > newest else shortlisted)[(kind, pk)] = spec.text(tuple(fields))
    if latest is None:  # no row came back to carry it
        latest = latest_id(index.model_key)
    return shortlisted, pending, latest


def _shortlisted_or_waiting(visible: QuerySet[Any], ids: list[int], newest: int) -> QuerySet[Any]:
    """The rows of `visible` in `ids`, and its `PENDING` newest rows above `newest`."""
    waiting = visible.filter(pk__gt=newest).order_by("-pk").values("pk")[:PENDING]
    if connection.features.supports_slicing_ordering_in_compound:
        # PostgreSQL plans `IN (a) OR IN (subquery)` as a scan of the whole table; a UNION
        # inside IN becomes a nested loop over the primary key.
        listed = visible.model._default_manager.filter(pk__in=ids).values("pk")
        return visible.filter(pk__in=listed.union(waiting, all=True)).order_by()
    # SQLite cannot slice inside a UNION, and answers the OR with two primary-key look-ups.
    return visible.filter(Q(pk__in=ids) | Q(pk__in=waiting)).order_by()


def evidence_rows(matches: Sequence[Match]) -> dict[tuple[str, int], dict[str, Any]]:
    """The result fields of evidence matches (backlog matches are built by the backlog rows)."""
    out: dict[tuple[str, int], dict[str, Any]] = {}
    ids = {kind: [m.id for m in matches if m.kind == kind] for kind in KINDS}
    for o in Observation.objects.filter(pk__in=ids["observation"]).values(
        "id", "description", "unit_id", "workflow_id", "tool_id", "severity", "patient_safety",
        "captured_at",
    ):  # fmt: skip
        out[("observation", o["id"])] = {
            "text": o["description"],
            "unit": o["unit_id"],
            "workflow": o["workflow_id"],
            "tool": o["tool_id"],
            "severity": o["severity"],
            "patient_safety": o["patient_safety"],
            "created_at": o["captured_at"].isoformat(),
        }
    for model, kind, field in ((Comment, "comment", "text"), (Rating, "rating", "comment")):
        for c in model._default_manager.filter(pk__in=ids[kind]).values(
            "id", field, "session_id", "screen_id", "screen__tool_id", "created_at"
        ):
            out[(kind, c["id"])] = {
                "text": c[field],
                "session": c["session_id"],
                "screen": c["screen_id"],
                "tool": c["screen__tool_id"],
                "created_at": c["created_at"].isoformat(),
            }
    return out


def result_rows(matches: Sequence[Match]) -> list[dict[str, Any]]:
    """The API's results: backlog rows as the backlog list shows them, evidence rows by kind,
    each with `kind` and `similarity`, in the order of `matches`."""
    backlog = {
        row["id"]: row
        for row in backlog_rows(as_rows(BacklogItem.objects.filter(
            pk__in=[m.id for m in matches if m.kind == "backlog"]
        )))
    }  # fmt: skip
    evidence = evidence_rows(matches)
    out = []
    for m in matches:
        row = backlog.get(m.id) if m.kind == "backlog" else evidence.get((m.kind, m.id))
        if row is not None:
            out.append({"id": m.id, **row, "kind": m.kind, "similarity": m.score})
    return out
