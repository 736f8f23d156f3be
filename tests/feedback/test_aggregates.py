"""The incremental aggregate always equals the arithmetic over each participant's latest rating."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from feedback import aggregates

DIMENSIONS = ["usefulness", "clarity", "trust", "workflow_fit"]


def expected_public(latest, dimensions):
    """Recompute from scratch, the way the summary would without an incremental aggregate."""
    means, histograms = {}, {}
    for dim in dimensions:
        values = [scores[dim] for scores in latest.values() if dim in scores]
        means[dim] = round(sum(values) / len(values), 2) if values else None
        histograms[dim] = [values.count(v) for v in range(1, 6)]
    return {"count": len(latest), "means": means, "histograms": histograms}


def replay(ratings, dimensions=DIMENSIONS):
    """Apply (participant, scores) in order the way the service does: old = that rater's last."""
    state, latest = aggregates.empty(dimensions), {}
    for participant, scores in ratings:
        state = aggregates.apply(state, latest.get(participant), scores)
        latest[participant] = scores
    return state, latest


partial_scores = st.dictionaries(st.sampled_from(DIMENSIONS), st.integers(1, 5))
rating_sequences = st.lists(st.tuples(st.integers(0, 6), partial_scores), max_size=60)


@settings(max_examples=300, deadline=None)
@given(rating_sequences)
def test_any_sequence_of_ratings_matches_recomputation(ratings):
    state, latest = replay(ratings)
    assert aggregates.public(state) == expected_public(latest, DIMENSIONS)


@settings(max_examples=100, deadline=None)
@given(rating_sequences)
def test_state_survives_a_json_round_trip_between_updates(ratings):
    # The state lives in a JSONField: reloading it between ratings must change nothing.
    state, latest = aggregates.empty(DIMENSIONS), {}
    for participant, scores in ratings:
        state = json.loads(json.dumps(aggregates.apply(state, latest.get(participant), scores)))
        latest[participant] = scores
    assert aggregates.public(state) == expected_public(latest, DIMENSIONS)


def test_empty_state_has_zeroed_dimensions():
    assert aggregates.empty(["clarity"]) == {
        "count": 0,
        "sums": {"clarity": 0},
        "n": {"clarity": 0},
        "histograms": {"clarity": [0, 0, 0, 0, 0]},
    }


def test_means_are_none_when_nobody_scored_a_dimension():
    state, _ = replay([("ann", {"clarity": 4})])
    result = aggregates.public(state)
    assert result["count"] == 1
    assert result["means"] == {
        "usefulness": None,
        "clarity": 4.0,
        "trust": None,
        "workflow_fit": None,
    }
    assert aggregates.public(aggregates.empty(DIMENSIONS))["means"]["trust"] is None


def test_partial_ratings_count_raters_and_per_dimension_scorers_separately():
    state, _ = replay([("ann", {"clarity": 4, "trust": 2}), ("bob", {"clarity": 5})])
    assert state["count"] == 2
    assert state["n"] == {"usefulness": 0, "clarity": 2, "trust": 1, "workflow_fit": 0}
    assert aggregates.public(state)["means"]["clarity"] == 4.5
    assert aggregates.public(state)["histograms"]["clarity"] == [0, 0, 0, 1, 1]


def test_re_rating_replaces_the_previous_scores():
    state, _ = replay([("ann", {"clarity": 1, "trust": 2}), ("ann", {"clarity": 5})])
    result = aggregates.public(state)
    assert result["count"] == 1
    assert result["means"]["clarity"] == 5.0
    assert result["means"]["trust"] is None
    assert result["histograms"]["clarity"] == [0, 0, 0, 0, 1]
    assert result["histograms"]["trust"] == [0, 0, 0, 0, 0]


def test_means_are_rounded_to_two_decimals():
    state, _ = replay([("a", {"trust": 1}), ("b", {"trust": 1}), ("c", {"trust": 2})])
    assert aggregates.public(state)["means"]["trust"] == 1.33


def test_apply_returns_a_new_state_and_leaves_the_old_one_alone():
    before = aggregates.empty(DIMENSIONS)
    after = aggregates.apply(before, None, {"clarity": 3})
    assert before == aggregates.empty(DIMENSIONS)
    assert after is not before and after["count"] == 1


def test_public_histograms_are_copies():
    state, _ = replay([("ann", {"clarity": 3})])
    aggregates.public(state)["histograms"]["clarity"][2] = 99
    assert state["histograms"]["clarity"][2] == 1


@pytest.mark.parametrize(
    ("scores", "message"),
    [
        ({"beauty": 3}, "Unknown dimension 'beauty'"),
        ({"clarity": 0}, "whole number 1-5"),
        ({"clarity": 6}, "whole number 1-5"),
        ({"clarity": 2.5}, "whole number 1-5"),
        ({"clarity": True}, "whole number 1-5"),
    ],
)
def test_invalid_scores_are_refused_with_a_helpful_message(scores, message):
    with pytest.raises(ValueError, match=message):
        aggregates.apply(aggregates.empty(DIMENSIONS), None, scores)


def test_custom_dimensions_are_supported():
    state, latest = replay([("x", {"speed": 2}), ("y", {"speed": 3})], ["speed"])
    assert aggregates.public(state) == expected_public(latest, ["speed"])
