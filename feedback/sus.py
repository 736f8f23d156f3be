"""System Usability Scale (Brooke 1996): the ten standard items and their 0-100 scoring."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from statistics import fmean

# Brooke's original wording. Odd items are positive statements, even items negative, which is
# why scoring flips the even ones.
ITEMS: tuple[str, ...] = (
    "I think that I would like to use this system frequently",
    "I found the system unnecessarily complex",
    "I thought the system was easy to use",
    "I think that I would need the support of a technical person to be able to use this system",
    "I found the various functions in this system were well integrated",
    "I thought there was too much inconsistency in this system",
    "I would imagine that most people would learn to use this system very quickly",
    "I found the system very cumbersome to use",
    "I felt very confident using the system",
    "I needed to learn a lot of things before I could get going with this system",
)


def score(answers: Sequence[int]) -> float:
    """SUS score 0-100 for ten answers on the 1 (strongly disagree) .. 5 (strongly agree) scale."""
    _check(answers)
    # answers[0] is item 1, so even indexes are the odd (positive) items.
    total = sum(a - 1 if i % 2 == 0 else 5 - a for i, a in enumerate(answers))
    return total * 2.5


def mean(scores: Iterable[float]) -> float | None:
    """Mean SUS score of several respondents (unrounded), or None when nobody answered."""
    values = list(scores)
    return fmean(values) if values else None


def _check(answers: Sequence[int]) -> None:
    if len(answers) != len(ITEMS):
        raise ValueError(
            f"SUS needs exactly {len(ITEMS)} answers, one per item in order; got {len(answers)}."
        )
    for number, answer in enumerate(answers, start=1):
        # bool is an int subclass; reject it so a checkbox value never passes as an answer.
        if isinstance(answer, bool) or not isinstance(answer, int) or not 1 <= answer <= 5:
            raise ValueError(
                f"SUS item {number} must be a whole number from 1 (strongly disagree) to "
                f"5 (strongly agree); got {answer!r}."
            )
