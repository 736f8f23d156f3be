"""Hybrid similarity: sentence vectors find paraphrases, the lexical score keeps exact words.

Pure functions over vectors and texts (no ORM). A query's cosine similarity to every stored
vector is one matrix-vector product; the best `SHORTLIST` are re-scored by a blend with
`feedback.similarity`'s lexical score, and only blends at or above `MIN_SCORE` are offered.
What is offered follows `offer()`: a first suggestion scoring `CONFIDENT_SCORE` or more, or
one scoring `MIN_SCORE` or more that leads the runner-up by `MIN_MARGIN` (a close race between
two different candidates is where wrong first suggestions come from), or one scoring
`AGREED_SCORE` or more that is also first, alone, by the cosine and by the lexical score (two
judges agreeing, however close the race); then every candidate at or above `MIN_SCORE`. The
weight, thresholds, margin and agreement floor were tuned on development data only
(`bench/tune_similarity.py`; figures in docs/similarity.md).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import numpy.typing as npt

from feedback import similarity

K = TypeVar("K", bound=Hashable)

SEMANTIC_WEIGHT = 0.65  # share of the cosine in the blend; the rest is the lexical score
MIN_SCORE = 0.3  # below this blend nothing is offered as a possible duplicate
CONFIDENT_SCORE = 0.725  # a first suggestion this good is offered however close the runner-up
MIN_MARGIN = 0.08  # else the first must lead the second by this much,
AGREED_SCORE = 0.6  # or score this much and be first by the cosine and by the lexical score
MIN_LEXICAL_SCORE = 0.76  # texts without a vector yet (embedding job behind): lexical alone
SHORTLIST = 50  # candidates by cosine that get the (slower) lexical re-score


def shortlist(cosines: npt.NDArray[np.float32], k: int) -> npt.NDArray[np.intp]:
    """Positions of the `k` highest cosines, best first (all of them when there are fewer)."""
    n = cosines.shape[0]
    if n == 0 or k <= 0:
        return np.zeros(0, dtype=np.intp)
    top = np.argpartition(-cosines, k - 1)[:k] if k < n else np.arange(n)
    return top[np.argsort(-cosines[top], kind="stable")]


def blend(cosine: float, lexical: float, weight: float = SEMANTIC_WEIGHT) -> float:
    return round(weight * max(0.0, float(cosine)) + (1.0 - weight) * lexical, 4)


@dataclass(frozen=True)
class Calibration:
    min_score: float = MIN_SCORE
    confident: float = CONFIDENT_SCORE
    margin: float = MIN_MARGIN
    agreed: float = AGREED_SCORE


CALIBRATED = Calibration()
EVERYTHING = Calibration(min_score=0.0, confident=0.0, margin=0.0, agreed=0.0)


def offer(
    ranked: Sequence[tuple[K, float]],
    calibration: Calibration = CALIBRATED,
    *,
    agreed: bool = False,
) -> list[tuple[K, float]]:
    """What of a full ranking (best first, nothing cut yet) is offered as possible duplicates.

    `agreed`: the first is also first by the cosine alone and by the lexical score alone."""
    if not ranked:
        return []
    first = ranked[0][1]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
    sure = first >= calibration.confident
    leads = first >= calibration.min_score and first - runner_up >= calibration.margin
    judges = agreed and first >= max(calibration.min_score, calibration.agreed)
    if not (sure or leads or judges):
        return []
    return [(key, score) for key, score in ranked if score >= calibration.min_score]


def rescore(
    query: str,
    items: Sequence[tuple[K, float, str]],
    *,
    limit: int,
    calibration: Calibration = CALIBRATED,
    weight: float = SEMANTIC_WEIGHT,
) -> list[tuple[K, float]]:
    """(key, blended score) of `(key, cosine, text)` items, as `offer()` lets through."""
    ranked, agreed = judge(query, items, weight=weight)
    return offer(ranked, calibration, agreed=agreed)[:limit]


def judge(
    query: str, items: Sequence[tuple[K, float, str]], *, weight: float = SEMANTIC_WEIGHT
) -> tuple[list[tuple[K, float]], bool]:
    """Every item's blended score, best first, and whether the blend's first is also the first,
    alone and untied, by the cosine and by the lexical score (the two judges agree)."""
    lexical = similarity.lexical_scores(query, [text for _, _, text in items])
    scored = [
        (key, blend(cos, lex, weight)) for (key, cos, _), lex in zip(items, lexical, strict=True)
    ]
    ranked = _best(scored, len(scored))
    return ranked, bool(ranked) and _first_alone(ranked[0][0], items, lexical)


def _first_alone(key: K, items: Sequence[tuple[K, float, str]], lexical: list[float]) -> bool:
    at = next(i for i, item in enumerate(items) if item[0] == key)
    for judged in ([cosine for _, cosine, _ in items], lexical):
        if any(v >= judged[at] for i, v in enumerate(judged) if i != at):
            return False  # another item is as good by this judge alone: no agreement
    return True


def rescore_lexical(
    query: str,
    items: Sequence[tuple[K, str]],
    *,
    limit: int,
    min_score: float = MIN_LEXICAL_SCORE,
) -> list[tuple[K, float]]:
    """Texts with no vector yet: the lexical score alone, with its own calibrated threshold."""
    lexical = similarity.lexical_scores(query, [text for _, text in items])
    scored = [(key, round(s, 4)) for (key, _), s in zip(items, lexical, strict=True)]
    return _best([(k, s) for k, s in scored if s >= min_score], limit)


def hybrid_rank(
    query: str,
    query_vector: npt.NDArray[np.float32],
    keys: Sequence[K],
    texts: Sequence[str],
    vectors: npt.NDArray[np.float32],
    *,
    limit: int = 10,
    calibration: Calibration = CALIBRATED,
    weight: float = SEMANTIC_WEIGHT,
) -> list[tuple[K, float]]:
    """The whole search over an in-memory pool: cosine shortlist, then the blended re-score."""
    ranked, agreed = hybrid_judge(query, query_vector, keys, texts, vectors, weight=weight)
    return offer(ranked, calibration, agreed=agreed)[:limit]


def hybrid_judge(
    query: str,
    query_vector: npt.NDArray[np.float32],
    keys: Sequence[K],
    texts: Sequence[str],
    vectors: npt.NDArray[np.float32],
    *,
    weight: float = SEMANTIC_WEIGHT,
) -> tuple[list[tuple[K, float]], bool]:
    """`judge()` over an in-memory pool's cosine shortlist (for the evaluation and the tuner)."""
    cosines = vectors @ query_vector
    top = shortlist(cosines, SHORTLIST)
    return judge(query, [(keys[i], float(cosines[i]), texts[i]) for i in top], weight=weight)


def merge(*ranked: list[tuple[K, float]], limit: int) -> list[tuple[K, float]]:
    """Several ranked lists as one, best first (a key found twice keeps its best score)."""
    best: dict[K, float] = {}
    for results in ranked:
        for key, score in results:
            best[key] = max(score, best.get(key, score))
    return _best(list(best.items()), limit)


def _best(scored: list[tuple[K, float]], limit: int) -> list[tuple[K, float]]:
    scored.sort(key=lambda pair: (-pair[1], str(pair[0])))
    return scored[:limit]
