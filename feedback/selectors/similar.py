"""One similar search over the backlog and all evidence, by meaning and by words.

`similar()` embeds the query (or reuses the stored vector of the evidence it is asked about),
scores it against this process's in-memory vectors, re-scores the shortlist with the lexical
score (`feedback.semantic`), and returns only what the caller may see and only at or above the
calibrated threshold. Texts stored after the embedding job last ran are scored lexically.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from feedback import embeddings, semantic
from feedback.errors import NotFound
from feedback.models import BacklogItem, Comment, Observation, Rating
from feedback.selectors.backlog import as_rows, backlog_rows
from feedback.selectors.evidence import KINDS, texts_of, visible_ids
from feedback.selectors.vectors import VectorIndex, shared_index

PENDING = 500  # newest texts without a vector yet that are still searched (lexically)


@dataclass(frozen=True)
class Match:
    kind: str
    id: int
    score: float


def similar(
    *,
    user: Any,
    text: str | None = None,
    source: tuple[str, int] | None = None,
    kinds: Sequence[str] = ("backlog",),
    limit: int = 10,
    calibration: semantic.Calibration = semantic.CALIBRATED,
) -> list[Match]:
    """What `text` (or the evidence `source` = (kind, id)) most likely duplicates, best first."""
    index = shared_index()
    query_text, query_vector = _query(index, user=user, text=text, source=source)
    if not query_text.strip():
        return []
    only = {k: ids for k in kinds if (ids := visible_ids(k, user=user)) is not None}
    depth = max(semantic.SHORTLIST, limit) + 1  # +1: the source itself comes back first
    hits = [h for h in index.search(query_vector, kinds=kinds, only=only, k=depth)]
    texts = _visible_texts(user, hits)
    scored = [
        ((kind, pk), cosine, texts[(kind, pk)])
        for kind, pk, cosine in hits
        if (kind, pk) in texts and (kind, pk) != source
    ]
    ranked = semantic.rescore(query_text, scored, limit=limit, calibration=calibration)
    pending = [
        (key, body)
        for key, body in _pending(index, user=user, kinds=kinds, only=only).items()
        if key != source
    ]
    lexical = semantic.rescore_lexical(query_text, pending, limit=limit)
    return [Match(kind, pk, s) for (kind, pk), s in semantic.merge(ranked, lexical, limit=limit)]


def _query(
    index: VectorIndex, *, user: Any, text: str | None, source: tuple[str, int] | None
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


def _visible_texts(user: Any, hits: list[tuple[str, int, float]]) -> dict[tuple[str, int], str]:
    """Texts of the hits `user` may see (one query per kind); gone or hidden rows are absent."""
    by_kind: dict[str, list[int]] = {}
    for kind, pk, _ in hits:
        by_kind.setdefault(kind, []).append(pk)
    return {
        (kind, pk): body
        for kind, ids in by_kind.items()
        for pk, body in texts_of(kind, ids, user=user).items()
    }


def _pending(
    index: VectorIndex, *, user: Any, kinds: Sequence[str], only: dict[str, list[int]]
) -> dict[tuple[str, int], str]:
    out: dict[tuple[str, int], str] = {}
    for kind in kinds:
        spec = KINDS[kind]
        newer = spec.rows(spec.visible(user)).filter(pk__gt=index.max_object_id(kind))
        if kind in only:
            newer = newer.filter(pk__in=only[kind])
        newest = newer.order_by("-pk")[:PENDING]
        out.update(((kind, pk), body) for pk, body in spec.texts(newest))
    return out


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
