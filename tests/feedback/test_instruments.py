"""Instrument scoring by the published rules, on worked examples, and the 95% t intervals."""

from __future__ import annotations

import math

import pytest

from feedback import confidence, instruments


@pytest.fixture(autouse=True)
def _media_in_tmp() -> None:
    """Shadows tests/conftest.py's: this module is pure."""


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    """Shadows tests/conftest.py's cache reset: no Django needed here."""


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ([5, 1, 5, 1, 5, 1, 5, 1, 5, 1], 100.0),  # best possible
        ([1, 5, 1, 5, 1, 5, 1, 5, 1, 5], 0.0),  # worst possible
        ([3] * 10, 50.0),  # all neutral
        # Brooke's rule: odd items score answer-1, even items 5-answer, sum x 2.5:
        # (3+4+2+3+2) + (3+4+3+3+2) = 29 -> 72.5.
        ([4, 2, 5, 1, 3, 2, 4, 2, 3, 3], 72.5),
    ],
)
def test_sus_worked_examples(answers: list[int], expected: float) -> None:
    assert instruments.score("sus", answers).score == expected


@pytest.mark.parametrize(
    ("answers", "expected", "sus_predicted"),
    [
        ([7, 7], 100.0, 87.9),  # 0.65 x 100 + 22.9
        ([1, 1], 0.0, 22.9),
        ([6, 5], 75.0, 71.65),  # (6 + 5 - 2) x 100/12 = 75
        ([5, 4], 58.333, 60.817),
    ],
)
def test_umux_lite_worked_examples(
    answers: list[int], expected: float, sus_predicted: float
) -> None:
    scored = instruments.score("umux_lite", answers)
    assert scored.score == pytest.approx(expected, abs=0.001)
    assert scored.subscales["sus_predicted"] == pytest.approx(sus_predicted, abs=0.001)


def test_seq_is_the_answer_on_its_seven_point_scale() -> None:
    assert [instruments.score("seq", [v]).score for v in (1, 4, 7)] == [1.0, 4.0, 7.0]


def test_raw_nasa_tlx_is_the_unweighted_mean_of_six_subscales() -> None:
    ratings = {"mental": 70, "physical": 10, "temporal": 60, "performance": 30, "effort": 55,
               "frustration": 40}  # fmt: skip
    scored = instruments.score("nasa_tlx", ratings)
    assert scored.score == pytest.approx(265 / 6)  # 44.17
    assert scored.subscales == {k: float(v) for k, v in ratings.items()}


def test_pdqi9_total_is_the_sum_of_nine_attributes() -> None:
    ratings = dict(zip(instruments.PDQI9_ATTRIBUTES, [5, 4, 4, 5, 3, 4, 2, 4, 5], strict=True))
    assert instruments.score("pdqi9", ratings).score == 36.0
    assert instruments.score("pdqi9", dict.fromkeys(instruments.PDQI9_ATTRIBUTES, 1)).score == 9.0
    assert instruments.score("pdqi9", dict.fromkeys(instruments.PDQI9_ATTRIBUTES, 5)).score == 45.0


@pytest.mark.parametrize(
    ("name", "answers", "message"),
    [
        ("sus", [3] * 9, "exactly 10"),
        ("sus", [3] * 9 + [6], "item 10"),
        ("umux_lite", [8, 1], "UMUX-Lite item 1"),
        ("umux_lite", [True, 7], "UMUX-Lite item 1"),
        ("seq", [0], "SEQ"),
        ("seq", 5, "exactly 1"),
        ("nasa_tlx", {"mental": 50}, "all six"),
        ("nasa_tlx", {k: 52 for k in instruments.NASA_TLX_SUBSCALES}, "steps of 5"),
        ("pdqi9", dict.fromkeys(instruments.PDQI9_ATTRIBUTES, 6), "PDQI-9"),
        ("nps", [10], "Unknown instrument"),
    ],
)
def test_invalid_answers_say_how_to_fix_them(name: str, answers: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        instruments.score(name, answers)


def test_t_critical_values_match_the_table_and_the_large_sample_limit() -> None:
    assert confidence.t975(1) == 12.706 and confidence.t975(30) == 2.042
    assert confidence.t975(40) == pytest.approx(2.021, abs=0.0005)
    assert confidence.t975(60) == pytest.approx(2.000, abs=0.0005)
    assert confidence.t975(120) == pytest.approx(1.980, abs=0.0005)
    assert confidence.t975(10_000) == pytest.approx(1.960, abs=0.0005)


def test_confidence_interval_worked_example() -> None:
    # mean 5, sample sd 2.138, n 8: 5 +- 2.365 x 2.138 / sqrt(8) = 5 +- 1.788
    est = confidence.estimate([2, 4, 4, 4, 5, 5, 7, 9], lower=0, upper=10)
    assert est is not None and est.n == 8 and est.score == 5
    assert est.ci95 == pytest.approx((3.212, 6.788), abs=0.001)
    assert est.public() == {"score": 5.0, "n": 8, "ci95": [3.21, 6.79]}


def test_interval_is_clipped_to_the_scale_and_absent_below_two_answers() -> None:
    est = confidence.estimate([7, 7, 6], lower=1, upper=7)
    assert est is not None and est.ci95 is not None and est.ci95[1] == 7
    single = confidence.estimate([4], lower=1, upper=7)
    assert single is not None and single.ci95 is None and single.n == 1
    assert confidence.estimate([], lower=1, upper=7) is None
    assert math.isfinite(confidence.t975(31))
