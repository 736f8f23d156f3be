"""Session services: join codes, ratings that replace, the incremental aggregate, SUS, comments."""

from __future__ import annotations

import random
import uuid

import pytest

from feedback import codes
from feedback.context import Actor
from feedback.errors import Conflict, Forbidden, NotFound, ValidationFailed
from feedback.models import Comment, Rating, ScreenAggregate
from feedback.services import sessions as svc
from tests.factories import ToolFactory, UserFactory
from tests.factories_sessions import ScreenFactory, join, make_session, screen_ids

pytestmark = pytest.mark.django_db
DIMS = ["usefulness", "clarity", "trust", "workflow_fit"]


def expected_aggregate(ratings: list[dict[str, int]]) -> dict:
    """Plain arithmetic over the latest ratings, to compare with the stored running state."""
    means, hist = {}, {}
    for dim in DIMS:
        values = [r[dim] for r in ratings if dim in r]
        means[dim] = round(sum(values) / len(values), 2) if values else None
        hist[dim] = [values.count(v) for v in range(1, 6)]
    return {"count": len(ratings), "means": means, "histograms": hist}


def stored_aggregate(session, screen_id) -> dict:
    from feedback.aggregates import public

    return public(ScreenAggregate.objects.get(session=session, screen_id=screen_id).state)


def test_stored_aggregate_equals_arithmetic_over_latest_ratings_after_rerating():
    session = make_session()
    screen = screen_ids(session)[0]
    people = [join(session, UserFactory(roles=["clinician"])) for _ in range(6)]
    rng = random.Random(4)
    latest: dict[int, dict[str, int]] = {}
    for _ in range(60):
        who = rng.choice(people)
        dims = rng.sample(DIMS, rng.randint(1, 4))  # partial ratings too
        scores = {d: rng.randint(1, 5) for d in dims}
        svc.rating_submit(participant=who, screen_id=screen, scores=scores)
        latest[who.pk] = scores
    assert stored_aggregate(session, screen) == expected_aggregate(list(latest.values()))
    assert Rating.objects.filter(session=session).count() == len(latest)


def test_rerating_replaces_the_participants_rating():
    session = make_session()
    screen = screen_ids(session)[0]
    casey = join(session, UserFactory(roles=["clinician"]))
    svc.rating_submit(participant=casey, screen_id=screen, scores={"trust": 1})
    svc.rating_submit(participant=casey, screen_id=screen, scores={"trust": 5, "clarity": 4})
    rating = Rating.objects.get(participant=casey, screen_id=screen)
    assert rating.scores == {"trust": 5, "clarity": 4}
    agg = stored_aggregate(session, screen)
    assert agg["count"] == 1 and agg["histograms"]["trust"] == [0, 0, 0, 0, 1]


@pytest.mark.parametrize(
    "scores",
    [{"trust": 0}, {"trust": 6}, {"trust": 2.5}, {"trust": True}, {"beauty": 3}, {}, [3]],
)
def test_bad_scores_are_refused_and_leave_the_aggregate_alone(scores):
    session = make_session()
    screen = screen_ids(session)[0]
    casey = join(session, UserFactory(roles=["clinician"]))
    with pytest.raises(ValidationFailed):
        svc.rating_submit(participant=casey, screen_id=screen, scores=scores)
    assert stored_aggregate(session, screen)["count"] == 0


def test_rating_a_screen_outside_the_session_is_refused():
    session = make_session()
    other = ScreenFactory()
    casey = join(session, UserFactory(roles=["clinician"]))
    with pytest.raises(ValidationFailed):
        svc.rating_submit(participant=casey, screen_id=other.pk, scores={"trust": 3})
    assert not Rating.objects.exists()


def test_facilitator_does_not_rate():
    session = make_session()
    me = session.participants.get(is_facilitator=True)
    with pytest.raises(Forbidden):
        svc.rating_submit(participant=me, screen_id=screen_ids(session)[0], scores={"trust": 3})


def test_no_ratings_after_the_session_ends():
    session = make_session()
    casey = join(session, UserFactory(roles=["clinician"]))
    me = session.participants.get(is_facilitator=True)
    svc.session_end(actor=Actor(user=session.facilitator), participant=me, collect_sus=False)
    with pytest.raises(Conflict):
        svc.rating_submit(participant=casey, screen_id=screen_ids(session)[0], scores={"trust": 3})


def test_join_codes_are_six_unambiguous_characters():
    session = make_session()
    assert len(session.code) == 6 and codes.is_valid(session.code)


def test_code_clash_among_open_sessions_draws_again(monkeypatch):
    first = make_session()
    draws = iter([first.code, first.code, "ACDEFG"])
    monkeypatch.setattr(codes, "new_code", lambda: next(draws))
    second = make_session()
    assert second.code == "ACDEFG"


def test_an_ended_sessions_code_may_be_drawn_again(monkeypatch):
    first = make_session()
    me = first.participants.get(is_facilitator=True)
    svc.session_end(actor=Actor(user=first.facilitator), participant=me, collect_sus=False)
    monkeypatch.setattr(codes, "new_code", lambda: first.code)
    assert make_session().code == first.code


def test_screens_of_another_tool_are_refused():
    facilitator = UserFactory(roles=["observer"])
    with pytest.raises(ValidationFailed) as err:
        svc.session_create(
            actor=Actor(user=facilitator),
            title="Round",
            tool=ToolFactory(),
            screen_ids=[ScreenFactory().pk],
        )
    assert "screens" in err.value.errors


@pytest.mark.parametrize("dims", [[], ["Trust"], ["a", "a"], ["x" * 41], ["d"] * 9])
def test_bad_dimensions_are_refused(dims):
    with pytest.raises(ValidationFailed):
        make_session(dimensions=dims)


def test_joining_twice_is_idempotent_and_guests_need_permission():
    session = make_session()
    casey = UserFactory(roles=["clinician"])
    assert join(session, casey).pk == join(session, casey).pk
    with pytest.raises(Forbidden):
        join(session, None)
    guests = make_session(allow_guests=True)
    assert join(guests, None).pk != join(guests, None).pk  # each guest is a new participant


def test_joining_an_ended_session_is_not_found():
    session = make_session()
    me = session.participants.get(is_facilitator=True)
    svc.session_end(actor=Actor(user=session.facilitator), participant=me, collect_sus=False)
    with pytest.raises(NotFound):
        join(session, UserFactory(roles=["clinician"]))


def test_comment_text_is_phi_masked_and_client_id_replay_returns_the_same():
    session = make_session()
    casey = join(session, UserFactory(roles=["clinician"]))
    cid = uuid.uuid4()
    text = "Alert covered the call button; call daughter at (555) 201-3344"
    first = svc.comment_add(
        participant=casey, screen_id=screen_ids(session)[0], text=text, client_id=cid,
        pin={"x": 0.5, "y": 0.25},
    )  # fmt: skip
    again = svc.comment_add(
        participant=casey, screen_id=screen_ids(session)[0], text=text, client_id=cid
    )
    assert first.pk == again.pk and Comment.objects.count() == 1
    assert "201-3344" not in first.text and "[REDACTED-PHONE]" in first.text
    assert first.phi_redacted == ["PHONE"] and (first.pin_x, first.pin_y) == (0.5, 0.25)


def test_a_comment_replay_racing_past_the_replay_check_returns_the_stored_one(monkeypatch):
    session = make_session()
    casey = join(session, UserFactory(roles=["clinician"]))
    cid, screen = uuid.uuid4(), screen_ids(session)[0]
    first = svc.comment_add(participant=casey, screen_id=screen, text="Dose hidden", client_id=cid)
    real, calls = Comment.objects.filter, []

    def missed_once(*args, **kwargs):  # a twin request checked just before the first one saved
        calls.append(kwargs)
        return Comment.objects.none() if len(calls) == 1 else real(*args, **kwargs)

    monkeypatch.setattr(Comment.objects, "filter", missed_once)
    again = svc.comment_add(participant=casey, screen_id=screen, text="Dose hidden", client_id=cid)
    monkeypatch.undo()
    assert again.pk == first.pk and Comment.objects.count() == 1


@pytest.mark.parametrize("pin", [{"x": 1.5, "y": 0.2}, {"x": "a", "y": 0}, {"x": 0.1}, [0, 0]])
def test_pins_outside_the_screen_are_refused(pin):
    session = make_session()
    casey = join(session, UserFactory(roles=["clinician"]))
    with pytest.raises(ValidationFailed):
        svc.comment_add(participant=casey, screen_id=screen_ids(session)[0], text="x", pin=pin)


def test_sus_only_when_collected_and_resubmitting_replaces():
    session = make_session()
    casey = join(session, UserFactory(roles=["clinician"]))
    with pytest.raises(Conflict):
        svc.sus_submit(participant=casey, answers=[3] * 10)
    me = session.participants.get(is_facilitator=True)
    svc.session_end(actor=Actor(user=session.facilitator), participant=me, collect_sus=True)
    assert svc.sus_submit(participant=casey, answers=[5, 1] * 5).score == 100.0
    assert svc.sus_submit(participant=casey, answers=[3] * 10).score == 50.0
    assert session.sus.count() == 1
    with pytest.raises(ValidationFailed):
        svc.sus_submit(participant=casey, answers=[3] * 9)


def test_only_the_facilitator_steers():
    session = make_session()
    casey = join(session, UserFactory(roles=["clinician"]))
    with pytest.raises(Forbidden):
        svc.session_show_screen(participant=casey, screen_id=screen_ids(session)[0])
    with pytest.raises(Forbidden):
        svc.session_reveal(participant=casey, visible=True)
    with pytest.raises(Forbidden):
        svc.session_end(actor=Actor(user=casey.user), participant=casey, collect_sus=False)


def test_showing_a_screen_leaves_visibility_to_the_facilitator():
    session = make_session()
    me = session.participants.get(is_facilitator=True)
    svc.session_reveal(participant=me, visible=True)
    shown = svc.session_show_screen(participant=me, screen_id=screen_ids(session)[1])
    assert shown.current_screen_id == screen_ids(session)[1] and shown.results_visible
    svc.session_reveal(participant=me, visible=False)
    shown = svc.session_show_screen(participant=me, screen_id=screen_ids(session)[0])
    assert not shown.results_visible


@pytest.mark.django_db(transaction=True)
def test_concurrent_rerating_keeps_the_aggregate_exact():
    """Many participants re-rating at once: the row lock must not lose or double an update."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    session = make_session()
    screen = screen_ids(session)[0]
    people = [join(session, UserFactory(roles=["clinician"])) for _ in range(6)]
    plans = {p.pk: [random.Random(p.pk * 7 + n).randint(1, 5) for n in range(8)] for p in people}

    def rate_all(participant) -> None:
        try:
            for value in plans[participant.pk]:
                svc.rating_submit(
                    participant=participant, screen_id=screen, scores={"trust": value}
                )
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(rate_all, people))
    latest = [{"trust": plan[-1]} for plan in plans.values()]
    assert stored_aggregate(session, screen) == expected_aggregate(latest)
