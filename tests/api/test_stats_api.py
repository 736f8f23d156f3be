"""Dashboard statistics API: who may read it, DB-side grouping, zero-filling, pinned queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from feedback.selectors.stats import observations_visible
from tests.conftest import assert_error
from tests.factories import ToolFactory, UnitFactory, WorkflowFactory
from tests.factories_dashboard import ObservationFactory, RatingFactory, ScreenFactory

pytestmark = pytest.mark.django_db

PAIN = "/api/stats/pain-points/"
RATINGS = "/api/stats/ratings/"
MONDAY = dt.date(2026, 3, 2)  # a Monday, so week buckets are easy to reason about


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)


def week_window(weeks: int = 3) -> str:
    until = MONDAY + dt.timedelta(days=7 * weeks - 1)
    return f"since={MONDAY.isoformat()}&until={until.isoformat()}"


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("observer", 200),
        ("product_owner", 200),
        ("admin", 200),
        ("clinician", 403),
        ("outsider", 403),
        ("anon", 401),
    ],
)
def test_only_observers_product_owners_and_admins_read_stats(clients, persona, status):
    tool = ToolFactory()
    for url in (PAIN, f"{RATINGS}?tool={tool.pk}"):
        response = clients[persona].get(url)
        if status == 200:
            assert response.status_code == 200, response.content
        else:
            assert_error(response, status, "forbidden" if status == 403 else "not_authenticated")


def test_pain_points_count_per_workflow_per_week_with_safety(clients):
    med_rec, discharge = WorkflowFactory(name="med rec"), WorkflowFactory(name="discharge")
    ObservationFactory.create_batch(2, workflow=med_rec, captured_at=at(MONDAY))
    ObservationFactory(workflow=med_rec, captured_at=at(MONDAY + dt.timedelta(days=6), 23))
    ObservationFactory(
        workflow=med_rec, captured_at=at(MONDAY + dt.timedelta(days=14)), patient_safety=True
    )
    ObservationFactory(
        workflow=discharge, captured_at=at(MONDAY + dt.timedelta(days=8)), patient_safety=True
    )
    body = clients["product_owner"].get(f"{PAIN}?{week_window()}").json()
    assert body["by"] == "workflow" and body["bucket"] == "week"
    series = {s["label"]: s for s in body["series"]}
    assert list(series) == ["discharge", "med rec"]  # ordered by label
    assert series["med rec"]["key"] == med_rec.pk
    weeks = [p["t"] for p in series["med rec"]["points"]]
    assert weeks == ["2026-03-02", "2026-03-09", "2026-03-16"]
    assert [(p["count"], p["safety"]) for p in series["med rec"]["points"]] == [
        (3, 0),
        (0, 0),
        (1, 1),
    ]
    assert [(p["count"], p["safety"]) for p in series["discharge"]["points"]] == [
        (0, 0),
        (1, 1),
        (0, 0),
    ]


def test_pain_points_by_unit_and_per_day(clients):
    west, east = UnitFactory(name="4 West"), UnitFactory(name="5 East")
    ObservationFactory(unit=west, captured_at=at(MONDAY))
    ObservationFactory.create_batch(2, unit=east, captured_at=at(MONDAY + dt.timedelta(days=1)))
    url = f"{PAIN}?by=unit&bucket=day&since=2026-03-02&until=2026-03-04"
    body = clients["observer"].get(url).json()
    series = {s["label"]: [p["count"] for p in s["points"]] for s in body["series"]}
    assert series == {"4 West": [1, 0, 0], "5 East": [0, 2, 0]}
    assert [p["t"] for p in body["series"][0]["points"]] == [
        "2026-03-02",
        "2026-03-03",
        "2026-03-04",
    ]


def test_pain_points_leave_out_observations_outside_the_window(clients):
    ObservationFactory(captured_at=at(MONDAY - dt.timedelta(days=1), 23))
    ObservationFactory(captured_at=at(MONDAY + dt.timedelta(days=21)))
    inside = ObservationFactory(captured_at=at(MONDAY + dt.timedelta(days=3)))
    body = clients["admin"].get(f"{PAIN}?{week_window()}").json()
    assert [s["key"] for s in body["series"]] == [inside.workflow_id]
    assert sum(p["count"] for p in body["series"][0]["points"]) == 1


def test_pain_points_default_to_the_last_twelve_weeks(clients):
    ObservationFactory(captured_at=timezone.now() - dt.timedelta(days=2))
    ObservationFactory(captured_at=timezone.now() - dt.timedelta(days=200))
    body = clients["observer"].get(PAIN).json()
    assert 12 <= len(body["series"][0]["points"]) <= 13
    assert sum(p["count"] for s in body["series"] for p in s["points"]) == 1


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("by=tool", "by"),
        ("bucket=month", "bucket"),
        ("since=yesterday", "since"),
        ("since=2026-03-09&until=2026-03-01", "since"),
        ("bucket=day&since=2020-01-01&until=2026-01-01", "since"),
    ],
)
def test_pain_points_reject_bad_parameters_with_field_errors(clients, query, field):
    body = assert_error(clients["observer"].get(f"{PAIN}?{query}"), 400, "invalid")
    assert field in body["errors"]


def test_pain_points_take_one_grouped_query_whatever_the_volume(
    clients, django_assert_num_queries, django_assert_max_num_queries
):
    client = clients["product_owner"]
    ObservationFactory(captured_at=at(MONDAY))
    with django_assert_max_num_queries(4) as small:
        assert client.get(f"{PAIN}?{week_window()}").status_code == 200
    for i in range(40):
        ObservationFactory(captured_at=at(MONDAY + dt.timedelta(days=i % 20)))
    with django_assert_num_queries(len(small.captured_queries)):
        body = client.get(f"{PAIN}?{week_window()}").json()
    assert sum(p["count"] for s in body["series"] for p in s["points"]) == 41


def test_clinicians_would_only_count_their_own_observations(clinician, observer):
    own = ObservationFactory(observer=clinician)
    ObservationFactory(observer=observer)
    assert list(observations_visible(user=clinician)) == [own]
    assert observations_visible(user=observer).count() == 2


def test_ratings_means_per_screen_version(clients):
    tool = ToolFactory()
    v1 = ScreenFactory(tool=tool, title="Sepsis alert", version="1")
    v2 = ScreenFactory(tool=tool, title="Sepsis alert", version="2")
    unrated = ScreenFactory(tool=tool, title="Sepsis alert", version="3")
    RatingFactory(screen=v1, scores={"usefulness": 2, "clarity": 1})
    RatingFactory(screen=v1, scores={"usefulness": 3, "clarity": 2, "trust": 5})
    RatingFactory(screen=v2, scores={"usefulness": 5, "clarity": "n/a"})
    RatingFactory(scores={"usefulness": 1})  # another tool's screen: not counted
    body = clients["product_owner"].get(f"{RATINGS}?tool={tool.pk}").json()
    assert body["tool"] == tool.pk
    rows = {r["screen"]: r for r in body["screens"]}
    assert [r["version"] for r in body["screens"]] == ["1", "2", "3"]
    assert rows[v1.pk]["count"] == 2
    assert rows[v1.pk]["means"] == {"clarity": 1.5, "trust": 5.0, "usefulness": 2.5}
    assert rows[v2.pk]["means"] == {"usefulness": 5.0}  # a non-numeric score is ignored
    assert rows[unrated.pk] == {
        "screen": unrated.pk,
        "title": "Sepsis alert",
        "version": "3",
        "count": 0,
        "means": {},
    }


def test_ratings_need_an_existing_tool(clients):
    assert "tool" in assert_error(clients["observer"].get(RATINGS), 400, "invalid")["errors"]
    assert "tool" in assert_error(clients["observer"].get(f"{RATINGS}?tool=x"), 400)["errors"]
    assert_error(clients["observer"].get(f"{RATINGS}?tool=99999"), 404, "not_found")


def test_ratings_take_a_bounded_number_of_queries(
    clients, django_assert_num_queries, django_assert_max_num_queries
):
    tool = ToolFactory()
    screen = ScreenFactory(tool=tool)
    RatingFactory(screen=screen)
    client = clients["admin"]
    with django_assert_max_num_queries(5) as few:
        assert client.get(f"{RATINGS}?tool={tool.pk}").status_code == 200
    for _ in range(15):
        RatingFactory(screen=ScreenFactory(tool=tool))
    RatingFactory.create_batch(10, screen=screen)
    with django_assert_num_queries(len(few.captured_queries)):
        body = client.get(f"{RATINGS}?tool={tool.pk}").json()
    assert len(body["screens"]) == 16 and sum(s["count"] for s in body["screens"]) == 26
