"""Backlog API: role rules per endpoint, filters, keyset pages, evidence, merge, similar."""

from __future__ import annotations

import pytest

from feedback.models import BacklogItem
from tests.conftest import assert_error
from tests.factories import UnitFactory, WorkflowFactory
from tests.factories_backlog import (
    BacklogItemFactory,
    CommentFactory,
    ObservationFactory,
    RatingFactory,
)

pytestmark = pytest.mark.django_db
READERS = ("observer", "product_owner", "admin")
WRITERS = ("product_owner", "admin")


def expected(persona, allowed, ok):
    if persona == "anon":
        return 401
    return ok if persona in allowed else 403


@pytest.mark.parametrize(
    "persona", ["observer", "clinician", "product_owner", "admin", "outsider", "anon"]
)
def test_whole_backlog_is_for_observers_product_owners_and_admins(clients, persona):
    item = BacklogItemFactory(title="Silence duplicate alerts")
    for url in ("/api/backlog/", "/api/backlog/similar/?text=duplicate alerts"):
        r = clients[persona].get(url)
        code = expected(persona, (*READERS, "clinician"), 200)
        if code != 200:
            assert_error(r, code)
            continue
        assert r.status_code == 200, r.content
        ids = [row["id"] for row in r.json()["results"]]
        # Clinicians see only what they follow; this item they do not.
        assert ids == ([] if persona == "clinician" else [item.pk])
    r = clients[persona].get(f"/api/backlog/{item.pk}/")
    code = 404 if persona == "clinician" else expected(persona, READERS, 200)
    if code != 200:
        assert_error(r, code)
    else:
        assert r.json()["id"] == item.pk


def test_clinician_sees_items_they_follow_with_only_their_own_evidence(clients, clinician):
    own = CommentFactory(participant__user=clinician)
    other_obs, other_comment = ObservationFactory(), CommentFactory()
    body = {
        "title": "Alert hides order entry",
        "observations": [other_obs.pk],
        "comments": [own.pk, other_comment.pk],
    }
    item = clients["product_owner"].post("/api/backlog/", body, format="json").json()
    assert clinician.pk in item["followers"]
    BacklogItemFactory()  # not followed: never listed

    listed = clients["clinician"].get("/api/backlog/").json()["results"]
    assert [row["id"] for row in listed] == [item["id"]]
    detail = clients["clinician"].get(f"/api/backlog/{item['id']}/").json()
    assert detail["status"] == "new" and detail["title"] == body["title"]
    assert detail["evidence"] == {
        "observations": [],
        "ratings": [],
        "comments": [
            {
                "id": own.pk,
                "screen": own.screen_id,
                "screen_title": own.screen.title,
                "text": own.text,
                "pin": {"x": 0.25, "y": 0.5},
                "withdrawn": False,
            }
        ],
        "output_feedback": [],
    }
    # The product owner still sees everything.
    full = clients["product_owner"].get(f"/api/backlog/{item['id']}/").json()["evidence"]
    assert len(full["observations"]) == 1 and len(full["comments"]) == 2


def test_clinician_can_unfollow_an_item_to_stop_hearing_about_it(clients, clinician):
    comment = CommentFactory(participant__user=clinician)
    body = {"title": "Alert hides order entry", "comments": [comment.pk]}
    item = clients["product_owner"].post("/api/backlog/", body, format="json").json()
    r = clients["clinician"].post(f"/api/backlog/{item['id']}/unfollow/")
    assert r.status_code == 200 and clinician.pk not in r.json()["followers"]
    assert_error(clients["clinician"].get(f"/api/backlog/{item['id']}/"), 404)
    assert_error(clients["clinician"].post(f"/api/backlog/{item['id']}/follow/"), 404)


@pytest.mark.parametrize(
    "persona", ["observer", "clinician", "product_owner", "admin", "outsider", "anon"]
)
def test_writes_are_for_product_owners_and_admins(clients, persona):
    item, other = BacklogItemFactory(), BacklogItemFactory()
    obs = ObservationFactory()
    calls = [
        ("post", "/api/backlog/", {"title": "Silence duplicate BPA"}, 201),
        ("patch", f"/api/backlog/{item.pk}/", {"status": "triaged"}, 200),
        ("post", f"/api/backlog/{item.pk}/evidence/", {"observations": [obs.pk]}, 200),
        ("post", f"/api/backlog/{other.pk}/merge/", {"into": item.pk}, 200),
    ]
    for method, url, body, ok in calls:
        r = getattr(clients[persona], method)(url, body, format="json")
        code = expected(persona, WRITERS, ok)
        if code == ok:
            assert r.status_code == ok, r.content
        else:
            assert_error(r, code)
    r = clients[persona].get("/api/backlog/export.csv")
    assert r.status_code == expected(persona, WRITERS, 200)


@pytest.mark.parametrize(
    "persona", ["observer", "clinician", "product_owner", "admin", "outsider", "anon"]
)
def test_follow_is_for_anyone_who_can_see_the_item(clients, personas, persona):
    item = BacklogItemFactory()
    r = clients[persona].post(f"/api/backlog/{item.pk}/follow/")
    code = 404 if persona == "clinician" else expected(persona, READERS, 200)
    if code != 200:
        assert_error(r, code)
        return
    assert personas[persona].pk in r.json()["followers"]
    r = clients[persona].post(f"/api/backlog/{item.pk}/unfollow/")
    assert personas[persona].pk not in r.json()["followers"]


def test_create_with_evidence_links_it_and_reporters_follow(clients, product_owner):
    obs = ObservationFactory(severity=4)
    rating, comment = RatingFactory(), CommentFactory()
    body = {
        "title": "Alert fatigue on 4 West",
        "description": "BPA fired 3 times",
        "effort": 2,
        "confidence": 0.8,
        "observations": [obs.pk],
        "ratings": [rating.pk],
        "comments": [comment.pk],
    }
    r = clients["product_owner"].post("/api/backlog/", body, format="json")
    assert r.status_code == 201, r.content
    data = r.json()
    assert data["evidence_counts"] == {
        "observations": 1,
        "ratings": 1,
        "comments": 1,
        "output_feedback": 0,
    }
    assert [o["id"] for o in data["evidence"]["observations"]] == [obs.pk]
    assert data["evidence"]["ratings"][0]["id"] == rating.pk
    assert data["evidence"]["comments"][0]["pin"] == {"x": 0.25, "y": 0.5}
    assert set(data["followers"]) == {
        product_owner.pk,
        obs.observer_id,
        rating.participant.user_id,
        comment.participant.user_id,
    }
    assert data["patient_safety"] is True
    assert data["priority"] == sum(data["priority_breakdown"].values()) > 0


def test_create_rejects_unknown_evidence_and_bad_fields_without_saving(clients):
    r = clients["product_owner"].post(
        "/api/backlog/", {"title": "x", "observations": [999999]}, format="json"
    )
    assert "observations" in assert_error(r, 400, "invalid")["errors"]
    r = clients["product_owner"].post(
        "/api/backlog/", {"title": "", "effort": 9, "confidence": 2}, format="json"
    )
    assert {"title", "effort", "confidence"} <= set(assert_error(r, 400, "invalid")["errors"])
    r = clients["product_owner"].post("/api/backlog/", ["not", "a", "dict"], format="json")
    assert_error(r, 400)
    assert not BacklogItem.objects.exists()


def test_phi_in_title_and_description_is_masked_before_storage(clients):
    r = clients["product_owner"].post(
        "/api/backlog/",
        {
            "title": "Call back 555-867-5309 about alerts",
            "description": "Email jane.doe@example.com",
        },
        format="json",
    )
    assert r.status_code == 201
    item = BacklogItem.objects.get()
    assert "555-867-5309" not in item.title and "jane.doe@example.com" not in item.description
    assert {"PHONE", "EMAIL"} <= set(r.json()["phi_redacted"])


def test_illegal_status_change_is_409_invalid_transition(clients):
    item = BacklogItemFactory()
    r = clients["product_owner"].patch(
        f"/api/backlog/{item.pk}/", {"status": "shipped"}, format="json"
    )
    assert_error(r, 409, "invalid_transition")
    r = clients["product_owner"].patch(
        f"/api/backlog/{item.pk}/", {"status": "duplicate"}, format="json"
    )
    assert_error(r, 409, "invalid_transition")
    r = clients["product_owner"].patch(
        f"/api/backlog/{item.pk}/", {"status": "bogus"}, format="json"
    )
    assert_error(r, 400, "invalid")
    item.refresh_from_db()
    assert item.status == "new"


def test_missing_item_is_404(clients):
    assert_error(clients["product_owner"].get("/api/backlog/999999/"), 404)
    assert_error(
        clients["product_owner"].post("/api/backlog/999999/merge/", {"into": 1}, format="json"), 404
    )


def test_merge_into_missing_or_self_is_400(clients):
    item = BacklogItemFactory()
    for into in (item.pk, 999999):
        r = clients["product_owner"].post(
            f"/api/backlog/{item.pk}/merge/", {"into": into}, format="json"
        )
        assert_error(r, 400, "invalid")


def test_filters_select_the_right_items(clients):
    wf, unit = WorkflowFactory(), UnitFactory()
    a = BacklogItemFactory(workflow=wf, title="Discharge summary delay", status="triaged")
    b = BacklogItemFactory(patient_safety=True, priority=50)
    c = BacklogItemFactory()
    c.observations.add(ObservationFactory(unit=unit))

    def ids(query):
        r = clients["observer"].get("/api/backlog/" + query)
        assert r.status_code == 200, r.content
        return {row["id"] for row in r.json()["results"]}

    assert ids(f"?workflow={wf.pk}") == {a.pk}
    assert ids(f"?unit={unit.pk}") == {c.pk}
    assert ids("?status=triaged") == {a.pk}
    assert ids("?status=triaged,new") == {a.pk, b.pk, c.pk}
    assert ids("?status=triaged&status=new") == {a.pk, b.pk, c.pk}
    assert ids("?patient_safety=true") == {b.pk}
    assert ids("?q=discharge") == {a.pk}
    assert ids("?min_priority=10") == {b.pk}


@pytest.mark.parametrize(
    "query", ["?status=bogus", "?min_priority=abc", "?workflow=x", "?cursor=%%%"]
)
def test_bad_filters_are_4xx_json(clients, query):
    r = clients["product_owner"].get("/api/backlog/" + query)
    assert r.status_code in (400, 404)
    assert_error(r, r.status_code)


def walk(client, url):
    seen, pages = [], 0
    while url:
        r = client.get(url)
        assert r.status_code == 200
        seen += [row["id"] for row in r.json()["results"]]
        url, pages = r.json()["next"], pages + 1
    return seen, pages


def test_pages_follow_priority_then_id_across_equal_priorities(clients):
    items = [BacklogItemFactory(priority=p) for p in [5, 5, 5, 3, 3, 9, 5, 0, 0, 0, 5]]
    expected_order = [i.pk for i in sorted(items, key=lambda i: (-i.priority, -i.pk))]
    seen, pages = walk(clients["product_owner"], "/api/backlog/?page_size=2")
    assert seen == expected_order and pages == 6


def test_previous_link_walks_back_to_the_same_pages(clients):
    for p in [1, 1, 1, 2, 2, 3, 3]:
        BacklogItemFactory(priority=p)
    c = clients["product_owner"]
    first = c.get("/api/backlog/?page_size=3").json()
    second = c.get(first["next"]).json()
    back = c.get(second["previous"]).json()
    assert [r["id"] for r in back["results"]] == [r["id"] for r in first["results"]]
    assert first["previous"] is None


def test_list_changing_between_pages_neither_repeats_nor_skips(clients):
    stay = [BacklogItemFactory(priority=p % 4) for p in range(20)]
    gone = [BacklogItemFactory(priority=p % 4) for p in range(6)]
    c, url, seen = clients["product_owner"], "/api/backlog/?page_size=5", []
    toggle = 0
    while url:
        page = c.get(url).json()
        seen += [r["id"] for r in page["results"]]
        url = page["next"]
        # Between pages: new items at every priority arrive, others leave.
        for p in range(4):
            BacklogItemFactory(priority=p)
        if gone:
            gone.pop().delete()
        toggle += 1
    assert len(seen) == len(set(seen)), "an item was repeated"
    assert {i.pk for i in stay} <= set(seen), "an item present throughout was skipped"


def test_list_query_count_does_not_grow_with_items(clients, django_assert_max_num_queries):
    for _ in range(30):
        item = BacklogItemFactory()
        item.observations.add(ObservationFactory())
        item.followers.add(item.created_by)
    with django_assert_max_num_queries(5):
        r = clients["product_owner"].get("/api/backlog/?status=new")
    assert len(r.json()["results"]) == 30
    assert all(row["evidence_counts"]["observations"] == 1 for row in r.json()["results"])


def test_detail_query_count_is_constant(clients, django_assert_max_num_queries):
    item = BacklogItemFactory()
    for _ in range(10):
        item.observations.add(ObservationFactory())
        item.ratings.add(RatingFactory())
        item.comments.add(CommentFactory())
    # 9 reads + the audit row (its insert, the chain head's read, PostgreSQL's chain lock)
    with django_assert_max_num_queries(12):
        r = clients["observer"].get(f"/api/backlog/{item.pk}/")
    assert len(r.json()["evidence"]["observations"]) == 10


def test_similar_ranks_likely_duplicates_and_skips_closed_items(clients):
    a = BacklogItemFactory(title="Sepsis BPA fires too often on med rec")
    BacklogItemFactory(
        title="Sepsis BPA fires too often during medication reconciliation", status="declined"
    )
    BacklogItemFactory(title="Printer on 4 West jams")
    r = clients["product_owner"].get(
        "/api/backlog/similar/?text=sepsis alert fires too often med rec"
    )
    assert r.status_code == 200
    results = r.json()["results"]
    assert [row["id"] for row in results][:1] == [a.pk]
    assert 0 < results[0]["similarity"] <= 1
    assert_error(clients["product_owner"].get("/api/backlog/similar/"), 400, "invalid")


@pytest.mark.parametrize(
    "query",
    [
        "?workflow=99999999999999999999999",
        "?tool=99999999999999999999999",
        "?unit=99999999999999999999999",
        "?tool=1.5",
        "?workflow=1e5",
        "?patient_safety=maybe",
    ],
)
def test_out_of_range_or_malformed_filters_are_400(clients, query):
    for url in ("/api/backlog/", "/api/backlog/export.csv"):
        body = assert_error(clients["product_owner"].get(url + query), 400, "invalid")
        assert set(body["errors"]) == {query[1:].split("=")[0]}


def _cursor(data):
    import base64
    import json

    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode()


@pytest.mark.parametrize(
    "data",
    [
        {"p": "nan", "i": 1, "r": False},
        {"p": "inf", "i": 1, "r": False},
        {"p": 1, "i": 99999999999999999999999, "r": False},
        {"p": 1, "i": -(2**70), "r": True},
    ],
)
def test_forged_cursor_is_404_not_500(clients, data):
    BacklogItemFactory()
    r = clients["product_owner"].get("/api/backlog/?cursor=" + _cursor(data))
    assert_error(r, 404, "not_found")


@pytest.mark.parametrize(
    "ids", [["a"], [0], [None], [99999999999999999999999], [1.5], [[1]], [{"id": 1}]]
)
def test_malformed_evidence_ids_are_400_with_field_errors(clients, ids):
    item = BacklogItemFactory()
    for name in ("observations", "ratings", "comments"):
        r = clients["product_owner"].post(
            "/api/backlog/", {"title": "Alert fatigue", name: ids}, format="json"
        )
        assert name in assert_error(r, 400, "invalid")["errors"]
        r = clients["product_owner"].post(
            f"/api/backlog/{item.pk}/evidence/", {name: ids}, format="json"
        )
        assert name in assert_error(r, 400, "invalid")["errors"]
    assert BacklogItem.objects.count() == 1


def test_merge_into_a_huge_id_is_400(clients):
    item = BacklogItemFactory()
    r = clients["product_owner"].post(
        f"/api/backlog/{item.pk}/merge/", {"into": 99999999999999999999999}, format="json"
    )
    assert "into" in assert_error(r, 400, "invalid")["errors"]


def test_reading_an_item_is_audited_but_listing_is_not(clients, observer):
    from feedback.models import AuditEntry

    item = BacklogItemFactory()
    clients["observer"].get("/api/backlog/")
    assert not AuditEntry.objects.filter(action="view").exists()
    clients["observer"].get(f"/api/backlog/{item.pk}/")
    entry = AuditEntry.objects.get(action="view")
    assert (entry.actor_id, entry.object_type, entry.object_id) == (
        observer.pk,
        "feedback.backlogitem",
        str(item.pk),
    )


def test_title_too_long_once_masked_is_a_400_saying_how_to_fix_it(clients):
    title = ("Call 555-867-5309 " * 11)[:200]
    r = clients["product_owner"].post("/api/backlog/", {"title": title}, format="json")
    body = assert_error(r, 400, "invalid")
    assert "PHI" in body["errors"]["title"][0] and "555" not in r.content.decode()
    assert not BacklogItem.objects.exists()


@pytest.mark.parametrize("status", ["shipped", "declined"])
def test_a_closed_item_cannot_be_merged(clients, status):
    source, into = BacklogItemFactory(status=status), BacklogItemFactory()
    r = clients["product_owner"].post(
        f"/api/backlog/{source.pk}/merge/", {"into": into.pk}, format="json"
    )
    assert_error(r, 409, "invalid_transition")
    source.refresh_from_db()
    assert source.status == status and source.merged_into_id is None
