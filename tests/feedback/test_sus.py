"""SUS scoring follows Brooke (1996): odd items score answer-1, even items 5-answer, sum x 2.5."""

import pytest

from feedback import sus


def test_there_are_ten_standard_items():
    assert len(sus.ITEMS) == 10
    assert sus.ITEMS[0] == "I think that I would like to use this system frequently"
    assert sus.ITEMS[9] == (
        "I needed to learn a lot of things before I could get going with this system"
    )


def test_all_neutral_answers_score_fifty():
    assert sus.score([3] * 10) == 50.0


def test_best_possible_answers_score_one_hundred():
    assert sus.score([5, 1, 5, 1, 5, 1, 5, 1, 5, 1]) == 100.0


def test_worst_possible_answers_score_zero():
    assert sus.score([1, 5, 1, 5, 1, 5, 1, 5, 1, 5]) == 0.0


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        # items:  1  2  3  4  5  6  7  8  9 10
        # contrib 3 +3 +3 +4 +4 +3 +3 +3 +3 +3 = 32 -> 32 x 2.5 = 80.0
        ([4, 2, 4, 1, 5, 2, 4, 2, 4, 2], 80.0),
        # contrib 3 +3 +3 +4 +4 +3 +3 +3 +3 +4 = 33 -> 82.5
        ([4, 2, 4, 1, 5, 2, 4, 2, 4, 1], 82.5),
        # contrib 2 +1 +1 +2 +3 +3 +4 +4 +2 +2 = 24 -> 60.0
        ([3, 4, 2, 3, 4, 2, 5, 1, 3, 3], 60.0),
        # contrib 0 +0 +1 +1 +2 +2 +1 +1 +0 +0 = 8 -> 20.0
        ([1, 5, 2, 4, 3, 3, 2, 4, 1, 5], 20.0),
        # contrib 4 +0 +4 +0 +4 +0 +4 +0 +4 +0 = 20 -> 50.0 (agreeing with everything)
        ([5] * 10, 50.0),
    ],
)
def test_mixed_answers_match_hand_computed_scores(answers, expected):
    assert sus.score(answers) == expected


@pytest.mark.parametrize("answers", [[3] * 9, [3] * 11, []])
def test_wrong_number_of_answers_is_refused(answers):
    with pytest.raises(ValueError, match="exactly 10 answers"):
        sus.score(answers)


@pytest.mark.parametrize("bad", [0, 6, 2.5, None, True, "3"])
def test_answers_outside_one_to_five_are_refused_naming_the_item(bad):
    answers = [3] * 10
    answers[6] = bad
    with pytest.raises(ValueError, match="SUS item 7 must be a whole number from 1"):
        sus.score(answers)


def test_mean_of_scores():
    assert sus.mean([80.0, 60.0, 50.0]) == pytest.approx(63.333, abs=1e-3)
    assert sus.mean(iter([82.5])) == 82.5


def test_mean_of_nothing_is_none():
    assert sus.mean([]) is None
