"""Observation API: create, replay, sync batches, visibility per role, filters, query counts."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest

from feedback.models import AuditEntry, Observation
from tests.conftest import assert_error
from tests.factories import ToolFactory, UnitFactory, WorkflowFactory
from tests.factories_capture import ObservationFactory, payload

pytestmark = pytest.mark.django_db

ROLE_PERSONAS = ("observer", "clinician", "product_owner", "admin")
READ_FIELDS = {
    "id", "client_id", "captured_at", "unit", "workflow", "tool", "role_observed", "description",
    "severity", "frequency", "minutes_lost", "patient_safety", "tags", "observer", "created_at",
    "phi_redacted", "photos",
}  # fmt: skip


@pytest.fixture
def refs() -> tuple[Any, Any]:
    return UnitFactory(), WorkflowFactory()


def post(client: Any, body: Any) -> Any:
    return client.post("/api/observations/", body, format="json")


def sync(client: Any, items: Any) -> Any:
    return client.post("/api/observations/sync/", {"observations": items}, format="json")


# ---- create -----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ROLE_PERSONAS)
def test_anyone_with_a_role_creates_an_observation(clients, personas, refs, who):
    response = post(clients[who], payload(*refs))
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == READ_FIELDS
    assert body["observer"] == personas[who].pk and body["photos"] == []


def test_outsider_and_anonymous_may_not_create(clients, refs):
    assert_error(post(clients["outsider"], payload(*refs)), 403, "forbidden")
    assert_error(post(clients["anon"], payload(*refs)), 401, "not_authenticated")
    assert_error(sync(clients["outsider"], [payload(*refs)]), 403, "forbidden")
    assert_error(sync(clients["anon"], [payload(*refs)]), 401, "not_authenticated")
    assert not Observation.objects.exists()


def test_replayed_post_answers_200_with_the_same_record(clients, refs):
    item = payload(*refs)
    first = post(clients["observer"], item)
    again = post(clients["observer"], item)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert Observation.objects.count() == 1


def test_post_with_same_client_id_and_new_content_is_409(clients, refs):
    item = payload(*refs)
    post(clients["observer"], item)
    assert_error(post(clients["observer"], {**item, "description": "other"}), 409, "conflict")
    assert_error(post(clients["clinician"], item), 409, "conflict")


def test_invalid_post_is_400_with_field_errors(clients, refs):
    body = assert_error(post(clients["observer"], payload(*refs, severity=5, tags="x")), 400)
    assert set(body["errors"]) == {"severity", "tags"}
    assert_error(post(clients["observer"], [1, 2]), 400, "invalid")
    bad_json = clients["observer"].post(
        "/api/observations/", "{not json", content_type="application/json"
    )
    assert_error(bad_json, 400)


@pytest.mark.parametrize(
    ("field", "raw"),
    [("description", '"waited \\ud800 long"'), ("tags", '["\\udc00"]'), ("severity", '"\u00b2"')],
)
def test_undecodable_text_or_unicode_digits_are_400_and_nothing_poisons_the_list(
    clients, refs, field, raw
):
    body = json.dumps(payload(*refs, **{field: "@@"})).replace('"@@"', raw)
    response = clients["observer"].post("/api/observations/", body, content_type="application/json")
    assert list(assert_error(response, 400, "invalid")["errors"]) == [field]
    assert clients["observer"].get("/api/observations/").status_code == 200
    assert not Observation.objects.exists()


def test_sync_echoes_an_undecodable_client_id_as_valid_json(clients, refs):
    body = json.dumps({"observations": [payload(*refs, client_id="@@")]})
    response = clients["observer"].post(
        "/api/observations/sync/",
        body.replace('"@@"', '"x\\udc00"'),
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["results"][0]["status"] == "rejected"


def test_sync_rejects_only_the_item_with_text_the_fast_parser_refuses(clients, refs):
    """orjson refuses lone surrogates and 20-digit numbers; the batch still gets per-item
    answers (the standard parser takes over), and the good items are stored."""
    items = [payload(*refs), payload(*refs, description="@@"), payload(*refs, minutes_lost=599)]
    body = json.dumps({"observations": items}).replace('"@@"', '"x\\udc00"')
    body = body.replace('"minutes_lost": 599', '"minutes_lost": 123456789012345678901')
    assert "123456789012345678901" in body
    response = clients["observer"].post(
        "/api/observations/sync/", body, content_type="application/json"
    )
    results = response.json()["results"]
    assert [r["status"] for r in results] == ["created", "rejected", "rejected"]
    assert list(results[1]["errors"]) == ["description"]
    assert list(results[2]["errors"]) == ["minutes_lost"]
    assert Observation.objects.count() == 1


def test_post_masks_phi_and_lists_the_types(clients, refs):
    item = payload(*refs, description="Pt John Smith in 412B, BPA fired 3 times")
    body = post(clients["observer"], item).json()
    assert "John Smith" not in body["description"] and "BPA fired 3 times" in body["description"]
    assert "NAME" in body["phi_redacted"]
    assert body["phi_redacted"] == Observation.objects.get().phi_redacted
    assert "Smith" not in Observation.objects.get().description


def test_create_writes_an_audit_row(clients, refs):
    body = post(clients["observer"], payload(*refs)).json()
    assert AuditEntry.objects.filter(
        action="create", object_type="feedback.observation", object_id=str(body["id"])
    ).exists()


# ---- sync -------------------------------------------------------------------------------------


def test_sync_answers_each_item_in_order(clients, refs):
    existing = payload(*refs)
    post(clients["observer"], existing)
    items = [
        payload(*refs),
        existing,
        {**existing, "severity": 4},
        payload(*refs, frequency="weekly"),
    ]
    response = sync(clients["observer"], items)
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["status"] for r in results] == ["created", "duplicate", "conflict", "rejected"]
    assert [r["client_id"] for r in results] == [i["client_id"] for i in items]
    assert "id" in results[0] and "id" in results[1] and "id" not in results[3]
    assert results[3]["errors"] == {"frequency": [results[3]["errors"]["frequency"][0]]}
    assert Observation.objects.count() == 2


def test_sync_of_more_than_500_items_is_413_and_stores_nothing(clients, refs):
    items = [payload(*refs) for _ in range(501)]
    assert_error(sync(clients["observer"], items), 413, "too_large")
    assert not Observation.objects.exists()


def test_sync_of_exactly_500_items_is_accepted(clients, refs):
    response = sync(clients["observer"], [payload(*refs) for _ in range(500)])
    assert response.status_code == 200
    assert Observation.objects.count() == 500


def test_replayed_sync_batch_creates_no_duplicates(clients, refs):
    items = [payload(*refs) for _ in range(20)]
    first = sync(clients["observer"], items).json()["results"]
    again = sync(clients["observer"], items).json()["results"]
    assert {r["status"] for r in again} == {"duplicate"}
    assert [r["id"] for r in again] == [r["id"] for r in first]
    assert Observation.objects.count() == 20


@pytest.mark.parametrize("body", [{}, {"observations": "x"}, {"observations": {"a": 1}}, [1]])
def test_sync_with_a_malformed_envelope_is_400(clients, body):
    assert_error(clients["observer"].post("/api/observations/sync/", body, format="json"), 400)


def test_sync_of_an_empty_batch_answers_no_results(clients):
    assert sync(clients["observer"], []).json() == {"results": []}


# ---- visibility -------------------------------------------------------------------------------


@pytest.fixture
def logged(observer: Any, clinician: Any) -> dict[str, Any]:
    return {"observer": ObservationFactory(observer=observer),
            "clinician": ObservationFactory(observer=clinician)}  # fmt: skip


@pytest.mark.parametrize("who", ["observer", "product_owner", "admin"])
def test_observers_product_owners_and_admins_see_everything(clients, logged, who):
    ids = {r["id"] for r in clients[who].get("/api/observations/").json()["results"]}
    assert ids == {o.pk for o in logged.values()}
    for obj in logged.values():
        assert clients[who].get(f"/api/observations/{obj.pk}/").status_code == 200


def test_clinicians_see_only_their_own(clients, logged):
    ids = [r["id"] for r in clients["clinician"].get("/api/observations/").json()["results"]]
    assert ids == [logged["clinician"].pk]
    own = clients["clinician"].get(f"/api/observations/{logged['clinician'].pk}/")
    assert own.status_code == 200
    other = clients["clinician"].get(f"/api/observations/{logged['observer'].pk}/")
    assert_error(other, 404, "not_found")


def test_outsider_and_anonymous_may_not_read(clients, logged):
    pk = logged["observer"].pk
    assert_error(clients["outsider"].get("/api/observations/"), 403)
    assert_error(clients["outsider"].get(f"/api/observations/{pk}/"), 403)
    assert_error(clients["anon"].get("/api/observations/"), 401)
    assert_error(clients["anon"].get(f"/api/observations/{pk}/"), 401)


def test_missing_observation_is_404(clients):
    assert_error(clients["admin"].get("/api/observations/987654/"), 404, "not_found")


def test_detail_view_writes_a_view_audit_row(clients, logged):
    pk = logged["observer"].pk
    clients["product_owner"].get(f"/api/observations/{pk}/")
    entry = AuditEntry.objects.get(action="view")
    assert (entry.object_type, entry.object_id) == ("feedback.observation", str(pk))


# ---- filters ----------------------------------------------------------------------------------


def ids_for(client: Any, query: str) -> set[int]:
    response = client.get(f"/api/observations/?{query}")
    assert response.status_code == 200, response.content
    return {r["id"] for r in response.json()["results"]}


@pytest.fixture
def spread(observer: Any, admin_user: Any) -> dict[str, Any]:
    unit, other_unit, wf, tool = UnitFactory(), UnitFactory(), WorkflowFactory(), ToolFactory()
    return {
        "a": ObservationFactory(
            observer=observer, unit=unit, workflow=wf, tool=tool, severity=4,
            patient_safety=True, tags=["bpa", "safety"], description="Pump alarm ignored",
            captured_at="2026-01-10T08:00:00Z",
        ),
        "b": ObservationFactory(
            observer=admin_user, unit=other_unit, workflow=wf, severity=2, tags=["bpa-2"],
            description="Slow login at the workstation", captured_at="2026-02-10T08:00:00Z",
        ),
        "c": ObservationFactory(
            observer=observer, unit=other_unit, severity=1, tags=[],
            description="Label printer jam", captured_at="2026-03-10T08:00:00Z",
        ),
    }  # fmt: skip


def test_each_filter_narrows_the_list(clients, spread):
    a, b, c = (spread[k].pk for k in "abc")
    c_ = clients["observer"]
    assert ids_for(c_, f"unit={spread['a'].unit_id}") == {a}
    assert ids_for(c_, f"workflow={spread['a'].workflow_id}") == {a, b}
    assert ids_for(c_, f"tool={spread['a'].tool_id}") == {a}
    assert ids_for(c_, "severity_min=2") == {a, b}
    assert ids_for(c_, "patient_safety=true") == {a}
    assert ids_for(c_, "patient_safety=false") == {b, c}
    assert ids_for(c_, "patient_safety=1") == {a}
    assert ids_for(c_, "patient_safety=False") == {b, c}
    assert ids_for(c_, f"observer={spread['b'].observer_id}") == {b}
    assert ids_for(c_, "tag=bpa") == {a}  # exact element, not a substring of "bpa-2"
    assert ids_for(c_, "since=2026-02-01T00:00:00Z") == {b, c}
    assert ids_for(c_, "until=2026-02-10T08:00:00Z") == {a, b}
    assert ids_for(c_, "q=LOGIN") == {b}
    assert ids_for(c_, "tag=bpa&severity_min=4&q=pump") == {a}


@pytest.mark.parametrize(
    "query",
    [
        "unit=abc",
        "severity_min=9",
        "since=yesterday",
        "observer=99999999999999999999999",
        "tool=-1",
        "patient_safety=maybe",
        "patient_safety=2",
        "since=0001-01-01T00:00:00%2B01:00",  # exists locally, not in UTC
        "until=9999-12-31T23:59:59-01:00",
    ],
)
def test_invalid_filter_values_are_400(clients, query):
    assert_error(clients["observer"].get(f"/api/observations/?{query}"), 400, "invalid")


def test_clinician_filters_stay_within_their_own(clients, spread, clinician):
    mine = ObservationFactory(observer=clinician, tags=["bpa"])
    assert ids_for(clients["clinician"], "tag=bpa") == {mine.pk}
    assert ids_for(clients["clinician"], f"observer={spread['a'].observer_id}") == set()


def test_list_is_cursor_paginated_newest_first(clients, observer):
    made = [ObservationFactory(observer=observer).pk for _ in range(5)]
    first = clients["observer"].get("/api/observations/?page_size=2").json()
    assert [r["id"] for r in first["results"]] == made[::-1][:2]
    assert first["previous"] is None and first["next"]
    second = clients["observer"].get(first["next"]).json()
    assert [r["id"] for r in second["results"]] == made[::-1][2:4]


def test_list_query_count_does_not_grow_with_rows_or_photos(
    clients, observer, django_assert_max_num_queries
):
    from feedback.models import Photo

    for obs in [ObservationFactory(observer=observer) for _ in range(30)]:
        for _ in range(2):
            Photo.objects.create(
                client_id=uuid.uuid4(), observation=obs, uploaded_by=observer,
                full="photos/full/a.jpg", web="photos/web/a.jpg", thumb="photos/thumb/a.jpg",
                width=10, height=10,
            )  # fmt: skip
    client = clients["observer"]
    client.get("/api/observations/")  # warm the token and role lookups' code paths
    with django_assert_max_num_queries(6):
        response = client.get("/api/observations/?tag=bpa&severity_min=1")
    assert len(response.json()["results"]) == 30
    assert all(len(r["photos"]) == 2 for r in response.json()["results"])
