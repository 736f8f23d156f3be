"""Incremental per-screen rating aggregate: a JSON-able dict updated in O(dimensions)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

SCALE = (1, 2, 3, 4, 5)

# State is a plain dict (it lives in a JSONField) holding integer sums and counts only, so that
# thousands of incremental updates never drift the way running float means would:
#   {"count": raters, "sums": {dim: int}, "n": {dim: raters who scored dim},
#    "histograms": {dim: [count of 1s, 2s, 3s, 4s, 5s]}, "v": updates so far}
# `v` orders the states of one screen (it grows by one with every update, under the row lock):
# the live hub sends a state carried from a rating only if no newer one went out before it.
State = dict[str, Any]


def empty(dimensions: Sequence[str]) -> State:
    """The aggregate of a screen nobody has rated yet."""
    return {
        "count": 0,
        "sums": {d: 0 for d in dimensions},
        "n": {d: 0 for d in dimensions},
        "histograms": {d: [0] * len(SCALE) for d in dimensions},
    }


def apply(state: State, old: Mapping[str, int] | None, new: Mapping[str, int]) -> State:
    """Return a new state with a participant's `old` scores (None: first rating) replaced by `new`.

    The caller must pass exactly the scores it previously applied for that participant; the state
    cannot check this, which is why it is updated under the same row lock as the rating itself.
    """
    _check(state, new)
    if old is not None:
        _check(state, old)
    result = _copy(state)
    if old is None:
        result["count"] += 1
    else:
        _add(result, old, -1)
    _add(result, new, +1)
    result["v"] = version(state) + 1
    return result


def version(state: State) -> int:
    """How many updates made this state (0 for a state stored before versions were kept)."""
    return int(state.get("v", 0))


def public(state: State) -> dict[str, Any]:
    """The `aggregate` frame / summary shape: means rounded to 2 dp, None where nobody scored."""
    means: dict[str, float | None] = {}
    for dim, total in state["sums"].items():
        scored = state["n"][dim]
        means[dim] = round(total / scored, 2) if scored else None
    return {
        "count": state["count"],
        "means": means,
        "histograms": {d: list(h) for d, h in state["histograms"].items()},
    }


def _copy(state: State) -> State:
    # A fresh copy keeps apply() pure: the caller's dict (maybe still referenced by a model
    # instance or a queued broadcast) is never mutated behind its back.
    return {
        "count": state["count"],
        "sums": dict(state["sums"]),
        "n": dict(state["n"]),
        "histograms": {d: list(h) for d, h in state["histograms"].items()},
        "v": version(state),
    }


def _add(state: State, scores: Mapping[str, int], sign: int) -> None:
    for dim, value in scores.items():
        state["sums"][dim] += sign * value
        state["n"][dim] += sign
        state["histograms"][dim][value - 1] += sign


def _check(state: State, scores: Mapping[str, int]) -> None:
    for dim, value in scores.items():
        if dim not in state["sums"]:
            known = ", ".join(state["sums"]) or "none"
            raise ValueError(f"Unknown dimension {dim!r}; this session rates: {known}.")
        # bool is an int subclass; True must not silently count as a score of 1.
        if isinstance(value, bool) or not isinstance(value, int) or value not in SCALE:
            raise ValueError(f"Score for {dim!r} must be a whole number 1-5, got {value!r}.")
