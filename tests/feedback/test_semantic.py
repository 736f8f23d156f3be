"""feedback.semantic: shortlist, blend and the calibrated offer rule (pure functions)."""

from __future__ import annotations

import numpy as np
import pytest

from feedback import semantic
from feedback.semantic import Calibration


@pytest.fixture(autouse=True)
def _media_in_tmp() -> None:
    """Shadows tests/conftest.py's: this module is pure, so it also runs with -p no:django."""


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    """Shadows tests/conftest.py's Django cache reset, which needs settings this module does not."""


def test_shortlist_returns_the_best_positions_best_first() -> None:
    cosines = np.array([0.1, 0.9, 0.3, 0.8, -0.2], dtype=np.float32)
    assert semantic.shortlist(cosines, 2).tolist() == [1, 3]
    assert semantic.shortlist(cosines, 10).tolist() == [1, 3, 2, 0, 4]
    assert semantic.shortlist(cosines[:0], 3).tolist() == []


def test_blend_weighs_meaning_and_words_and_ignores_negative_cosines() -> None:
    assert semantic.blend(0.8, 0.4, weight=0.5) == 0.6
    assert semantic.blend(-0.5, 0.4, weight=0.5) == 0.2


@pytest.mark.parametrize(
    ("ranked", "offered"),
    [
        ([("a", 0.9), ("b", 0.88)], ["a", "b"]),  # confident: offered despite a close runner-up
        ([("a", 0.5), ("b", 0.3)], ["a", "b"]),  # clear lead over the runner-up
        ([("a", 0.5), ("b", 0.47)], []),  # a close race below the confident score: nothing
        ([("a", 0.5), ("b", 0.2)], ["a"]),  # the runner-up is under the floor
        ([("a", 0.2)], []),  # under the floor
        ([], []),
    ],
)
def test_offer_rule(ranked: list[tuple[str, float]], offered: list[str]) -> None:
    rule = Calibration(min_score=0.3, confident=0.8, margin=0.08, agreed=0.6)
    assert [k for k, _ in semantic.offer(ranked, rule)] == offered


@pytest.mark.parametrize(
    ("first", "agreed", "offered"),
    [
        (0.65, True, True),  # both judges put it first: offered despite the close race
        (0.65, False, False),  # a close race, the judges disagree: nothing
        (0.55, True, False),  # agreement under its own floor is not enough
    ],
)
def test_offer_rule_trusts_two_judges_agreeing(first: float, agreed: bool, offered: bool) -> None:
    rule = Calibration(min_score=0.3, confident=0.8, margin=0.08, agreed=0.6)
    ranked = [("a", first), ("b", first - 0.02)]
    assert bool(semantic.offer(ranked, rule, agreed=agreed)) is offered


def test_judges_agree_only_when_cosine_and_words_alone_pick_the_same_first() -> None:
    texts = ["scanner fails on wristbands", "printer jams on labels", "scanner slow"]
    items = [(1, 0.9, texts[0]), (2, 0.2, texts[1]), (3, 0.5, texts[2])]
    ranked, agreed = semantic.judge("scanner fails on wristbands", items)
    assert ranked[0][0] == 1 and agreed
    tied = [(1, 0.9, texts[0]), (2, 0.9, texts[1]), (3, 0.5, texts[2])]
    assert semantic.judge("scanner fails on wristbands", tied)[1] is False  # a tie: no agreement
    words_elsewhere = [(1, 0.9, texts[1]), (2, 0.6, texts[0]), (3, 0.1, texts[2])]
    ranked, agreed = semantic.judge("scanner fails on wristbands", words_elsewhere)
    assert not agreed


def test_hybrid_rank_finds_by_meaning_and_by_exact_words() -> None:
    vectors = np.eye(3, dtype=np.float32)
    texts = ["scanner fails on wristbands", "Epic Haiku crashes", "transport status"]
    query = np.array([0.95, 0.05, 0.0], dtype=np.float32)
    found = semantic.hybrid_rank("wave the gun at the armband", query, [1, 2, 3], texts, vectors)
    assert found[0][0] == 1
    words = np.array([0.3, 0.3, 0.3], dtype=np.float32)
    found = semantic.hybrid_rank("Epic Haiku crashes", words, [1, 2, 3], texts, vectors)
    assert found[0][0] == 2  # same cosine for all three: the exact words decide


def test_merge_keeps_each_key_once_with_its_best_score() -> None:
    merged = semantic.merge([("a", 0.5), ("b", 0.4)], [("b", 0.7)], limit=5)
    assert merged == [("b", 0.7), ("a", 0.5)]
