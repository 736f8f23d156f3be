"""Stored priority: recomputed from linked evidence, monotone, exact breakdown, one vote each."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from feedback.context import Actor
from feedback.models import BacklogItem
from feedback.selectors.backlog import evidence_for_items
from feedback.services import backlog as svc
from tests.factories import UserFactory
from tests.factories_backlog import (
    BacklogItemFactory,
    CommentFactory,
    ObservationFactory,
    ParticipantFactory,
    RatingFactory,
)

pytestmark = pytest.mark.django_db

obs_spec = st.fixed_dictionaries(
    {
        "severity": st.integers(1, 4),
        "frequency": st.sampled_from(["once", "daily", "every_shift", "hourly"]),
        "minutes_lost": st.none() | st.integers(0, 600),
        "patient_safety": st.booleans(),
        "role_observed": st.sampled_from(["nurse", "physician", "pharmacist", "clerk"]),
        "person": st.integers(0, 3),
        "unit": st.integers(0, 2),
    }
)
rating_spec = st.fixed_dictionaries({"person": st.integers(0, 3), "score": st.integers(1, 5)})
evidence_spec = st.one_of(
    st.tuples(st.just("observations"), obs_spec),
    st.tuples(st.just("ratings"), rating_spec),
    st.tuples(st.just("comments"), st.fixed_dictionaries({"person": st.integers(0, 3)})),
)


@pytest.fixture
def world(product_owner):
    from tests.factories import UnitFactory

    people = [UserFactory(roles=["observer", "clinician"]) for _ in range(4)]
    participants = [ParticipantFactory(user=p) for p in people]
    units = [UnitFactory() for _ in range(3)]
    return Actor(user=product_owner), people, participants, units


def make_evidence(kind, spec, people, participants, units):
    if kind == "observations":
        return ObservationFactory(
            observer=people[spec["person"]],
            unit=units[spec["unit"]],
            **{
                k: spec[k]
                for k in (
                    "severity",
                    "frequency",
                    "minutes_lost",
                    "patient_safety",
                    "role_observed",
                )
            },
        )
    part = participants[spec["person"]]
    if kind == "ratings":
        scores = {"usefulness": spec["score"], "clarity": spec["score"]}
        return RatingFactory(participant=part, session=part.session, scores=scores)
    return CommentFactory(participant=part, session=part.session)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    steps=st.lists(evidence_spec, min_size=1, max_size=6),
    effort=st.integers(1, 5),
    confidence=st.floats(0, 1),
)
def test_adding_any_evidence_never_lowers_stored_priority(world, steps, effort, confidence):
    actor, people, participants, units = world
    item = BacklogItemFactory(effort=effort, confidence=confidence)
    last = 0.0
    for kind, spec in steps:
        row = make_evidence(kind, spec, people, participants, units)
        svc.backlog_link_evidence(actor=actor, item=item, evidence={kind: [row.pk]})
        item.refresh_from_db()
        assert item.priority >= last
        assert item.priority == sum(item.priority_breakdown.values())
        last = item.priority


def test_a_person_reporting_twice_counts_once(world):
    actor, people, _, units = world
    item = BacklogItemFactory()
    first = ObservationFactory(observer=people[0], unit=units[0], severity=2)
    svc.backlog_link_evidence(actor=actor, item=item, evidence={"observations": [first.pk]})
    item.refresh_from_db()
    once = item.priority_breakdown
    again = ObservationFactory(observer=people[0], unit=units[0], severity=2)
    svc.backlog_link_evidence(actor=actor, item=item, evidence={"observations": [again.pk]})
    item.refresh_from_db()
    assert item.priority_breakdown == once
    other = ObservationFactory(observer=people[1], unit=units[0], severity=2)
    svc.backlog_link_evidence(actor=actor, item=item, evidence={"observations": [other.pk]})
    item.refresh_from_db()
    assert item.priority_breakdown["reach_people"] > once["reach_people"]


def test_patient_safety_evidence_dominates(world):
    actor, people, _, units = world
    crowd, safe = (
        BacklogItemFactory(effort=1, confidence=1),
        BacklogItemFactory(effort=5, confidence=0),
    )
    crowd_obs = [
        ObservationFactory(observer=p, unit=u, severity=3, frequency="hourly", minutes_lost=600)
        for p in people
        for u in units
    ]
    svc.backlog_link_evidence(
        actor=actor, item=crowd, evidence={"observations": [o.pk for o in crowd_obs]}
    )
    svc.backlog_link_evidence(
        actor=actor,
        item=safe,
        evidence={"observations": [ObservationFactory(severity=1, patient_safety=True).pk]},
    )
    crowd.refresh_from_db()
    safe.refresh_from_db()
    assert safe.priority > crowd.priority and safe.patient_safety and not crowd.patient_safety


def test_evidence_is_built_in_constant_queries(world, django_assert_num_queries):
    _, people, participants, units = world
    items = [BacklogItemFactory() for _ in range(5)]
    for item in items:
        item.observations.add(ObservationFactory(observer=people[0], unit=units[0]))
        item.ratings.add(
            RatingFactory(participant=participants[1], session=participants[1].session)
        )
        item.comments.add(
            CommentFactory(participant=participants[2], session=participants[2].session)
        )
    with django_assert_num_queries(4):
        evidence = evidence_for_items([i.pk for i in items])
    assert all(
        len(e.observations) == len(e.ratings) == len(e.comments) == 1 for e in evidence.values()
    )


def test_guest_raters_count_as_distinct_people(world):
    actor, *_ = world
    item = BacklogItemFactory()
    guests = [ParticipantFactory(user=None, guest_key=f"g{i}") for i in range(2)]
    ratings = [RatingFactory(participant=g, session=g.session) for g in guests]
    svc.backlog_link_evidence(actor=actor, item=item, evidence={"ratings": [r.pk for r in ratings]})
    ev = evidence_for_items([item.pk])[item.pk]
    assert len({r.person_id for r in ev.ratings}) == 2


def test_recompute_priorities_command_applies_new_weights(world, settings):
    actor, *_ = world
    item = BacklogItemFactory()
    svc.backlog_link_evidence(
        actor=actor, item=item, evidence={"observations": [ObservationFactory().pk]}
    )
    item.refresh_from_db()
    assert item.priority_breakdown["time_lost"] > 0
    settings.ROUNDS_PRIORITY_WEIGHTS = {"time_lost": 0}
    BacklogItem.objects.filter(pk=item.pk).update(priority=0, priority_breakdown={})
    call_command("recompute_priorities", "--batch", "1")
    item.refresh_from_db()
    assert item.priority_breakdown["time_lost"] == 0
    assert item.priority == sum(item.priority_breakdown.values()) > 0


def test_changing_effort_recomputes_priority(world):
    actor, *_ = world
    item = BacklogItemFactory(effort=5)
    svc.backlog_link_evidence(
        actor=actor, item=item, evidence={"observations": [ObservationFactory().pk]}
    )
    item.refresh_from_db()
    before = item.priority
    svc.backlog_update(actor=actor, item=item, data={"effort": 1})
    item.refresh_from_db()
    assert item.priority > before
