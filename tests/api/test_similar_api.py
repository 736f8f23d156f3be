"""GET /api/backlog/similar/: one search over the backlog and all evidence, by meaning and words."""

from __future__ import annotations

import pytest

from feedback.selectors.similar import similar
from feedback.selectors.vectors import forget_shared
from feedback.services.embeddings import embed_pending
from tests.conftest import assert_error
from tests.factories_backlog import (
    BacklogItemFactory,
    CommentFactory,
    ObservationFactory,
    RatingFactory,
)

URL = "/api/backlog/similar/"


@pytest.fixture(autouse=True)
def _fresh_index(db):
    forget_shared()
    yield
    forget_shared()


@pytest.fixture
def backlog(db):
    items = {
        "scanner": BacklogItemFactory(
            title="Barcode scanner fails on patient wristbands",
            description="BCMA scanning needs several attempts before the band is read.",
        ),
        "sepsis": BacklogItemFactory(
            title="Sepsis alert fires for patients already on antibiotics", description=""
        ),
        "transport": BacklogItemFactory(
            title="Transport request status not visible to nurses", description=""
        ),
        "closed": BacklogItemFactory(
            title="Scanner cannot read wristbands", description="", status="shipped"
        ),
    }
    embed_pending()
    return items


def ids(response) -> list[int]:
    return [row["id"] for row in response.json()["results"]]


def test_paraphrase_with_no_shared_words_finds_the_item(clients, backlog) -> None:
    r = clients["product_owner"].get(
        URL, {"text": "have to wave the gun at the armband two or three times"}
    )
    assert r.status_code == 200
    rows = r.json()["results"]
    assert ids(r)[:1] == [backlog["scanner"].pk]
    assert rows[0]["kind"] == "backlog" and 0 < rows[0]["similarity"] <= 1
    assert {"title", "status", "priority", "evidence_counts"} <= set(rows[0])  # same shape
    assert backlog["closed"].pk not in ids(r)  # shipped items are not duplicates


def test_unrelated_text_is_offered_nothing(clients, backlog) -> None:
    r = clients["product_owner"].get(URL, {"text": "the parking garage elevator is out again"})
    assert r.json()["results"] == []


def test_text_stored_after_the_job_ran_is_found_by_its_words(clients, backlog) -> None:
    fresh = BacklogItemFactory(title="Epic Haiku photo upload crashes on rotate", description="")
    r = clients["product_owner"].get(URL, {"text": "Epic Haiku photo upload crashes on rotate"})
    assert ids(r)[:1] == [fresh.pk]


PARAPHRASE = "have to wave the gun at the armband two or three times"  # no word in common


def test_vectors_made_after_the_index_loaded_are_used_at_once(clients, backlog) -> None:
    assert ids(clients["product_owner"].get(URL, {"text": PARAPHRASE}))[:1] == [
        backlog["scanner"].pk
    ]  # this process's index is loaded now
    backlog["scanner"].status = "declined"
    backlog["scanner"].save()
    again = BacklogItemFactory(title=backlog["scanner"].title, description="")
    embed_pending()  # its vector has a higher id than any the index holds
    r = clients["product_owner"].get(URL, {"text": PARAPHRASE})
    assert ids(r)[:1] == [again.pk]  # by meaning: its words alone would not reach the bar
    assert backlog["scanner"].pk not in ids(r)


def test_a_deleted_or_edited_item_is_not_served_from_the_loaded_index(clients, backlog) -> None:
    clients["product_owner"].get(URL, {"text": PARAPHRASE})  # index loaded
    scanner = backlog["scanner"]
    scanner.delete()  # its vector stays in the index until the job's reconcile
    assert scanner.pk not in ids(clients["product_owner"].get(URL, {"text": PARAPHRASE}))
    transport = backlog["transport"]
    transport.title = "Transport request status now shows on the whiteboard"
    transport.save()
    rows = clients["product_owner"].get(URL, {"text": transport.title}).json()["results"]
    assert rows[0]["id"] == transport.pk and rows[0]["title"] == transport.title


def test_an_up_to_date_search_makes_one_query_per_kind(
    personas, backlog, django_assert_num_queries
) -> None:
    user = personas["product_owner"]
    similar(user=user, text=PARAPHRASE)  # loads the index
    with django_assert_num_queries(1):  # texts, waiting texts and MAX(id) together
        assert [m.id for m in similar(user=user, text=PARAPHRASE)][:1] == [backlog["scanner"].pk]
    with django_assert_num_queries(2):
        similar(user=user, text=PARAPHRASE, kinds=("backlog", "comment"))


def test_searches_evidence_kinds_and_starts_from_stored_evidence(clients, backlog) -> None:
    armband = ObservationFactory(description="Scanned the armband 4 times before it beeped")
    other = ObservationFactory(description="Discharge summary left out the pending labs")
    comment = CommentFactory(text="I can never tell if transport is actually coming")
    embed_pending()
    r = clients["product_owner"].get(URL, {"observation": armband.pk, "kind": "all"})
    assert r.status_code == 200
    found = {(row["kind"], row["id"]) for row in r.json()["results"]}
    assert ("backlog", backlog["scanner"].pk) in found
    assert ("observation", armband.pk) not in found  # not itself
    assert ("observation", other.pk) not in found
    r = clients["product_owner"].get(
        URL, {"text": "no way to know when transport will come", "kind": "comment"}
    )
    assert [(row["kind"], row["id"]) for row in r.json()["results"]] == [("comment", comment.pk)]
    assert r.json()["results"][0]["text"] == comment.text


def test_clinicians_find_only_their_own_evidence_and_followed_items(
    clients, personas, backlog
) -> None:
    clinician = personas["clinician"]
    mine = CommentFactory(participant__user=clinician, text="Armband scanning takes three tries")
    theirs = CommentFactory(text="The wristband barcode will not scan")
    other_obs = ObservationFactory(description="Scanner won't read the wristband")
    own_obs = ObservationFactory(observer=clinician, description="Scanner gun misses the band")
    RatingFactory(comment="Wristband scanning is painfully slow")
    embed_pending()
    r = clients["clinician"].get(URL, {"text": "wristband scanning fails", "kind": "all"})
    assert r.status_code == 200
    found = {(row["kind"], row["id"]) for row in r.json()["results"]}
    assert found <= {("comment", mine.pk), ("observation", own_obs.pk)}
    assert ("comment", mine.pk) in found
    assert_error(clients["clinician"].get(URL, {"observation": other_obs.pk}), 404, "not_found")
    assert_error(clients["clinician"].get(URL, {"comment": theirs.pk}), 404, "not_found")
    backlog["scanner"].followers.add(clinician)
    r = clients["clinician"].get(URL, {"text": "wristband scanning fails"})
    assert ids(r) == [backlog["scanner"].pk]


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"text": ""},
        {"text": "x" * 5001},
        {"text": "scanner", "observation": 1},
        {"text": "scanner", "kind": "photos"},
        {"text": "scanner", "limit": "many"},
        {"observation": "99999999999999999999999"},
    ],
)
def test_bad_queries_are_400(clients, params) -> None:
    assert_error(clients["product_owner"].get(URL, params), 400, "invalid")


def test_who_may_search(clients, backlog) -> None:
    assert_error(clients["anon"].get(URL, {"text": "scanner"}), 401)
    assert_error(clients["outsider"].get(URL, {"text": "scanner"}), 403)
    for role in ("observer", "clinician", "product_owner", "admin"):
        assert clients[role].get(URL, {"text": "scanner"}).status_code == 200
