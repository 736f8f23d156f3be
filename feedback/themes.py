"""Themes: groups of evidence about one problem, found by meaning, labelled in their own words.

Pure functions (no ORM). `cluster()` is agglomerative clustering of the sentence vectors
(average linkage on cosine distance, cut at `DISTANCE`): no number of themes to guess, and an
unusual complaint stays on its own instead of being forced into a theme. `label()` picks the
words that are frequent in the theme and rare in the rest of the evidence (class-based TF-IDF),
in the form the evidence wrote them.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from feedback.similarity import _STOP_WORDS  # one stop-word list for the whole search

DISTANCE = 0.6  # cosine distance at which groups stop merging (chosen on theme_mix seed 3)
MIN_SIZE = 2  # a single piece of evidence is not a theme
LABEL_WORDS = 3
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9'-]*[A-Za-z0-9]|[A-Za-z]")
_EXTRA_STOP_TEXT = (
    "again always another because both can't could doesn't don't getting going keeps many more "
    "most much need needs never now often one only other over same should since some still take "
    "takes than them then there they time times two via want wants way what when which while "
    "will with without would yet redacted"
)
_EXTRA_STOP = frozenset(_EXTRA_STOP_TEXT.split())


def cluster(
    vectors: npt.NDArray[np.float32], *, distance: float = DISTANCE, min_size: int = MIN_SIZE
) -> list[list[int]]:
    """Groups of row positions (each at least `min_size`), largest first, then by first row."""
    n = vectors.shape[0]
    if n < min_size:
        return []
    if n == 1:
        labels = np.zeros(1, dtype=int)
    else:
        from sklearn.cluster import AgglomerativeClustering  # heavy: only the job needs it

        labels = AgglomerativeClustering(
            n_clusters=None, metric="cosine", linkage="average", distance_threshold=distance
        ).fit_predict(vectors)
    groups: dict[int, list[int]] = {}
    for position, label in enumerate(labels):
        groups.setdefault(int(label), []).append(position)
    found = [g for g in groups.values() if len(g) >= min_size]
    return sorted(found, key=lambda g: (-len(g), g[0]))


def _words(text: str) -> list[str]:
    return [w for w in (m.group(0) for m in _WORD.finditer(text)) if _telling(w)]


def _telling(word: str) -> bool:
    plain = word.lower().replace("'", "")  # "won't" is the stop word "wont"
    return len(plain) > 2 and plain not in _STOP_WORDS and plain not in _EXTRA_STOP


def label(theme: Sequence[str], everything: Sequence[str], *, words: int = LABEL_WORDS) -> str:
    """The `words` most distinctive words of `theme` against `everything`, joined by " · "."""
    seen_in: Counter[str] = Counter()
    for text in everything:
        seen_in.update({w.lower() for w in _words(text)})
    counts: Counter[str] = Counter()
    spelled: dict[str, Counter[str]] = {}
    for text in theme:
        for w in _words(text):
            key = w.lower()
            counts[key] += 1
            spelled.setdefault(key, Counter())[w] += 1
    total = max(1, len(everything))

    def weight(key: str) -> float:
        return counts[key] * math.log(1 + total / max(1, seen_in[key]))

    best = sorted(counts, key=lambda k: (-weight(k), k))[:words]
    return " · ".join(spelled[k].most_common(1)[0][0] for k in best)


def representative(vectors: npt.NDArray[np.float32]) -> int:
    """Position of the row nearest the group's centroid (its most typical member)."""
    centroid = vectors.mean(axis=0)
    return int(np.argmax(vectors @ centroid))
