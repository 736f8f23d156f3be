"""Properties and worked examples of the backlog priority formula in feedback.priority."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from feedback.priority import (
    COMPONENTS,
    Breakdown,
    CommentEvidence,
    Evidence,
    FlagEvidence,
    ObservationEvidence,
    RatingEvidence,
    Weights,
    score,
)

ROLES = (
    "nurse",
    "physician",
    "pharmacist",
    "respiratory_therapist",
    "technician",
    "clerk",
    "other",
)
FREQUENCIES = ("once", "daily", "every_shift", "hourly")
NON_SAFETY_BOUND = 50  # people and units; docs/priority.md states the same bound


@pytest.fixture(autouse=True)
def _media_in_tmp() -> None:
    """Shadows tests/conftest.py's: this module is pure, so it also runs with -p no:django."""


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    """Shadows tests/conftest.py's Django cache reset, which needs settings this module does not."""


person_ids = st.integers(min_value=1, max_value=12)  # small pool, so repeats are common
observations = st.builds(
    ObservationEvidence,
    person_id=person_ids,
    unit_id=st.none() | st.integers(min_value=1, max_value=6),
    role=st.sampled_from(ROLES),
    severity=st.integers(min_value=1, max_value=4),
    frequency=st.sampled_from(FREQUENCIES),
    minutes_lost=st.none() | st.integers(min_value=0, max_value=600),
    patient_safety=st.booleans(),
)
ratings = st.builds(
    RatingEvidence, person_id=person_ids, mean_score=st.floats(min_value=1.0, max_value=5.0)
)
comments = st.builds(CommentEvidence, person_id=person_ids)
HARMS = ("none", "mild", "moderate", "severe", "death")
flags = st.builds(
    FlagEvidence,
    # Anonymous flags share a negative person id per tool key, as the selector builds them.
    person_id=person_ids | st.sampled_from([-(2**53) - 1, -(2**53) - 2]),
    harm=st.none() | st.sampled_from(HARMS),
    harm_reached=st.booleans(),
)
evidences = st.builds(
    Evidence,
    observations=st.lists(observations, max_size=8).map(tuple),
    ratings=st.lists(ratings, max_size=6).map(tuple),
    comments=st.lists(comments, max_size=6).map(tuple),
    flags=st.lists(flags, max_size=6).map(tuple),
)
items = st.fixed_dictionaries(
    {
        "effort": st.integers(min_value=1, max_value=5),
        "confidence": st.floats(min_value=0.0, max_value=1.0),
    }
)


def obs(person_id: int = 1, **changes: object) -> ObservationEvidence:
    base = ObservationEvidence(
        person_id=person_id,
        unit_id=1,
        role="nurse",
        severity=2,
        frequency="daily",
        minutes_lost=10,
        patient_safety=False,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def add(evidence: Evidence, extra: object) -> Evidence:
    if isinstance(extra, ObservationEvidence):
        return replace(evidence, observations=(*evidence.observations, extra))
    if isinstance(extra, RatingEvidence):
        return replace(evidence, ratings=(*evidence.ratings, extra))
    if isinstance(extra, FlagEvidence):
        return replace(evidence, flags=(*evidence.flags, extra))
    assert isinstance(extra, CommentEvidence)
    return replace(evidence, comments=(*evidence.comments, extra))


@settings(max_examples=400)
@given(evidences, observations | ratings | comments | flags, items)
def test_adding_any_evidence_never_lowers_priority(
    evidence: Evidence, extra: object, item: dict
) -> None:
    before = score(evidence, **item)
    after = score(add(evidence, extra), **item)
    assert after.total >= before.total
    for name in COMPONENTS:
        assert after.components[name] >= before.components[name], name


@settings(max_examples=300)
@given(evidences, items)
def test_breakdown_sums_exactly_to_total(evidence: Evidence, item: dict) -> None:
    breakdown = score(evidence, **item)
    assert list(breakdown.components) == list(COMPONENTS)
    assert breakdown.total == sum(breakdown.components.values())
    assert breakdown.total == math.fsum(reversed(list(breakdown.components.values())))
    assert breakdown.total == round(breakdown.total, 3)


@given(evidences, items)
def test_total_is_finite_and_not_negative(evidence: Evidence, item: dict) -> None:
    breakdown = score(evidence, **item)
    assert math.isfinite(breakdown.total)
    assert breakdown.total >= 0
    assert all(value >= 0 for value in breakdown.components.values())


@given(evidences, items, st.randoms(use_true_random=False))
def test_order_of_evidence_does_not_matter(evidence: Evidence, item: dict, rnd) -> None:
    shuffled = [
        list(evidence.observations),
        list(evidence.ratings),
        list(evidence.comments),
        list(evidence.flags),
    ]
    for part in shuffled:
        rnd.shuffle(part)
    permuted = Evidence(*(tuple(part) for part in shuffled))
    assert score(permuted, **item) == score(evidence, **item)


@given(evidences, st.floats(min_value=0.0, max_value=1.0))
def test_more_effort_never_raises_priority(evidence: Evidence, confidence: float) -> None:
    totals = [score(evidence, effort=e, confidence=confidence).total for e in range(1, 6)]
    assert totals == sorted(totals, reverse=True)


def test_no_evidence_scores_zero() -> None:
    breakdown = score(Evidence())
    assert breakdown == Breakdown(components=dict.fromkeys(COMPONENTS, 0.0), total=0.0)


def test_same_person_twice_counts_once_for_reach() -> None:
    once = score(Evidence(observations=(obs(1),)))
    twice = score(Evidence(observations=(obs(1), obs(1))))
    two_people = score(Evidence(observations=(obs(1), obs(2))))
    assert twice == once
    assert two_people.components["reach_people"] > once.components["reach_people"]
    assert two_people.total > once.total


def test_a_persons_severity_is_their_worst_report() -> None:
    mild_then_bad = score(Evidence(observations=(obs(1, severity=1), obs(1, severity=3))))
    bad_only = score(Evidence(observations=(obs(1, severity=3),)))
    assert mild_then_bad.components["severity"] == bad_only.components["severity"]


def test_distinct_units_and_roles_count() -> None:
    one = score(Evidence(observations=(obs(1), obs(2))))
    units = score(Evidence(observations=(obs(1), obs(2, unit_id=2))))
    roles = score(Evidence(observations=(obs(1), obs(2, role="pharmacist"))))
    assert units.components["reach_units"] > one.components["reach_units"]
    assert roles.components["reach_roles"] > one.components["reach_roles"]


def test_frequency_scales_minutes_lost_and_is_capped() -> None:
    def time_lost(frequency: str, minutes: int) -> float:
        evidence = Evidence(observations=(obs(1, frequency=frequency, minutes_lost=minutes),))
        return score(evidence).components["time_lost"]

    assert 0 < time_lost("once", 10) < time_lost("daily", 10) < time_lost("hourly", 10)
    # 600 min hourly and 300 min hourly are both far beyond one person's 40 h week.
    assert time_lost("hourly", 600) == time_lost("hourly", 300)


def worst_case_non_safety(people: int = NON_SAFETY_BOUND) -> Evidence:
    """Every signal maxed out for `people` people in as many units, all roles, no safety flag."""
    return Evidence(
        observations=tuple(
            obs(p, unit_id=p, role=ROLES[p % len(ROLES)], severity=3, frequency="hourly",
                minutes_lost=600)
            for p in range(people)
        ),
        ratings=tuple(RatingEvidence(p, 1.0) for p in range(people)),
        comments=tuple(CommentEvidence(p) for p in range(people)),
        # The worst AI-output harm short of patient-safety evidence, from everyone.
        flags=tuple(FlagEvidence(p, "moderate", False) for p in range(people)),
    )  # fmt: skip


def test_one_safety_observation_outranks_fifty_people_of_other_evidence() -> None:
    safety = Evidence(observations=(obs(999, severity=1, minutes_lost=None, patient_safety=True),))
    weakest_safety = score(safety, effort=5, confidence=0.0)
    strongest_other = score(worst_case_non_safety(), effort=1, confidence=1.0)
    assert weakest_safety.total > strongest_other.total


def test_severity_four_counts_as_safety_evidence() -> None:
    flagged = score(Evidence(observations=(obs(1, patient_safety=True),)))
    severe = score(Evidence(observations=(obs(1, severity=4),)))
    assert severe.components["safety"] == flagged.components["safety"] > 0


def test_effort_divides() -> None:
    evidence = worst_case_non_safety(people=3)
    small, large = score(evidence, effort=1), score(evidence, effort=4)
    assert large.total == pytest.approx(small.total / 4, abs=0.125 * len(COMPONENTS))


def test_confidence_scales_mildly() -> None:
    evidence = worst_case_non_safety(people=3)
    low, mid, high = (score(evidence, confidence=c).total for c in (0.0, 0.5, 1.0))
    assert low < mid < high
    assert high / low == pytest.approx(1.25 / 0.75, rel=0.01)


def test_low_ratings_raise_priority_and_high_ratings_do_not() -> None:
    base = Evidence(observations=(obs(1),))
    low = add(base, RatingEvidence(person_id=1, mean_score=1.5))
    high = add(base, RatingEvidence(person_id=1, mean_score=4.5))
    midpoint = add(base, RatingEvidence(person_id=1, mean_score=3.0))
    assert score(low).components["ratings"] > 0
    assert score(low).total > score(base).total
    assert score(high) == score(base) == score(midpoint)


def test_a_new_person_rating_high_still_adds_reach() -> None:
    base = Evidence(observations=(obs(1),))
    high = score(add(base, RatingEvidence(person_id=2, mean_score=5.0)))
    assert high.components["ratings"] == 0
    assert high.total > score(base).total


def test_weights_from_mapping_overrides_defaults() -> None:
    weights = Weights.from_mapping({"safety": 9000, "comments": 0})
    assert weights.safety == 9000.0
    assert weights.comments == 0.0
    assert weights.severity == Weights().severity
    only_comment = Evidence(comments=(CommentEvidence(1),))
    assert score(only_comment, weights=weights).components["comments"] == 0.0


def test_weights_from_mapping_rejects_unknown_names() -> None:
    with pytest.raises(ValueError, match=r"unknown priority weight.*'safty'"):
        Weights.from_mapping({"safty": 1.0})


@pytest.mark.parametrize("bad", [-1.0, math.inf, math.nan])
def test_weights_reject_values_that_break_monotonicity(bad: float) -> None:
    with pytest.raises(ValueError, match="finite number >= 0"):
        Weights.from_mapping({"severity": bad})


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"effort": 0}, "effort must be 1..5"), ({"confidence": 1.5}, "confidence must be")],
)
def test_out_of_range_item_fields_are_rejected(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        score(Evidence(), **kwargs)


def test_unknown_frequency_is_rejected() -> None:
    with pytest.raises(ValueError, match="frequency 'weekly' is not one of"):
        score(Evidence(observations=(obs(1, frequency="weekly"),)))


WORKED_EXAMPLE = Evidence(
    observations=(
        ObservationEvidence(1, 10, "nurse", 3, "every_shift", 15, False),
        ObservationEvidence(1, 10, "nurse", 2, "daily", 30, False),
        ObservationEvidence(2, 11, "pharmacist", 2, "daily", 20, False),
    ),
    ratings=(RatingEvidence(3, 2.0), RatingEvidence(4, 4.5)),
    comments=(CommentEvidence(3),),
)


def test_worked_example_matches_docs() -> None:
    """The numbers in docs/priority.md, "Worked example"."""
    breakdown = score(WORKED_EXAMPLE, effort=2, confidence=0.8)
    assert breakdown.components == {
        "safety": 0.0,
        "severity": 29.75,
        "reach_people": 26.75,
        "reach_units": 9.125,
        "reach_roles": 9.125,
        "time_lost": 16.0,
        "ratings": 6.75,
        "comments": 2.875,
        "ai_harm": 0.0,
    }
    assert breakdown.total == 100.375

    safety = ObservationEvidence(5, 12, "nurse", 4, "once", None, True)
    with_safety = score(add(WORKED_EXAMPLE, safety), effort=2, confidence=0.8)
    assert with_safety.components["safety"] == 3450.0
    assert with_safety.total == 3564.25


@settings(max_examples=300)
@given(evidences, flags, items)
def test_an_ai_output_flag_never_lowers_priority(
    evidence: Evidence, flag: FlagEvidence, item: dict
) -> None:
    assert score(add(evidence, flag), **item).total >= score(evidence, **item).total


@given(st.sampled_from(HARMS[1:]), items)
def test_harm_reached_scores_above_the_same_harm_only_possible(harm: str, item: dict) -> None:
    possible = score(Evidence(flags=(FlagEvidence(1, harm, False),)), **item)
    reached = score(Evidence(flags=(FlagEvidence(1, harm, True),)), **item)
    assert reached.components["ai_harm"] > possible.components["ai_harm"]
    assert reached.total > possible.total


def test_harm_levels_rank_in_ahrq_order() -> None:
    values = [
        score(Evidence(flags=(FlagEvidence(1, h, False),))).components["ai_harm"] for h in HARMS
    ]
    assert values == sorted(values) and len(set(values)) == len(values)


def test_a_reporters_flags_count_once_with_their_worst_harm() -> None:
    one = score(Evidence(flags=(FlagEvidence(1, "moderate", False),)))
    again = score(
        Evidence(flags=(FlagEvidence(1, "mild", False), FlagEvidence(1, "moderate", False)))
    )
    two = score(
        Evidence(flags=(FlagEvidence(1, "moderate", False), FlagEvidence(2, "moderate", False)))
    )
    assert again == one
    assert two.components["ai_harm"] > one.components["ai_harm"]
    assert two.components["reach_people"] > one.components["reach_people"]


def test_severe_ai_harm_is_patient_safety_evidence() -> None:
    possible_severe = score(Evidence(flags=(FlagEvidence(1, "severe", False),)))
    reached_moderate = score(Evidence(flags=(FlagEvidence(1, "moderate", True),)))
    possible_moderate = score(Evidence(flags=(FlagEvidence(1, "moderate", False),)))
    assert possible_severe.components["safety"] == reached_moderate.components["safety"] > 0
    assert possible_moderate.components["safety"] == 0


def test_flag_worked_example_matches_docs() -> None:
    """docs/priority.md, "Worked example: AI-output flags"."""
    evidence = Evidence(
        flags=(
            FlagEvidence(7, "mild", True),  # 1 x 2 = 2 points
            FlagEvidence(7, "none", False),  # same person: their worst counts
            FlagEvidence(8, "moderate", False),  # 2 points
            FlagEvidence(-(2**53) - 3, None, False),  # anonymous, no harm given: reach only
        )
    )
    breakdown = score(evidence, effort=1, confidence=0.5)
    assert breakdown.components["ai_harm"] == 23.25  # 10 * log2(1 + 4) = 23.22 -> 23.25
    assert breakdown.components["reach_people"] == 40.0  # 20 * log2(1 + 3)
    assert breakdown.components["safety"] == 0.0
    assert breakdown.total == 63.25


def test_unknown_harm_is_rejected() -> None:
    with pytest.raises(ValueError, match="AHRQ"):
        score(Evidence(flags=(FlagEvidence(1, "catastrophic", False),)))
