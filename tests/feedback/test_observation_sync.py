"""observation_sync: every per-item outcome, mixed batches, replays and PHI masking."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from feedback.context import Actor
from feedback.errors import Conflict, ValidationFailed
from feedback.models import AuditEntry, Observation
from feedback.services.observations import observation_create, observation_sync
from tests.factories import ToolFactory, UnitFactory, WorkflowFactory
from tests.factories_capture import payload

pytestmark = pytest.mark.django_db


@pytest.fixture
def refs() -> tuple[Any, Any]:
    return UnitFactory(), WorkflowFactory()


def sync(user: Any, items: list[Any]) -> list[dict[str, Any]]:
    return [r.as_dict() for r in observation_sync(actor=Actor(user=user), items=items)]


def test_new_items_are_created_with_ids_in_submission_order(observer, refs):
    items = [payload(*refs) for _ in range(3)]
    results = sync(observer, items)
    assert [r["status"] for r in results] == ["created"] * 3
    assert [r["client_id"] for r in results] == [i["client_id"] for i in items]
    stored = Observation.objects.in_bulk([r["id"] for r in results])
    assert [str(stored[r["id"]].client_id) for r in results] == [i["client_id"] for i in items]
    assert all(stored[r["id"]].observer == observer for r in results)


def test_replayed_batch_creates_no_duplicates(observer, refs):
    items = [payload(*refs) for _ in range(5)]
    first = sync(observer, items)
    again = sync(observer, items)
    assert [r["status"] for r in again] == ["duplicate"] * 5
    assert [r["id"] for r in again] == [r["id"] for r in first]
    assert Observation.objects.count() == 5


def test_same_client_id_with_different_content_is_a_conflict(observer, refs):
    item = payload(*refs)
    (first,) = sync(observer, [item])
    (again,) = sync(observer, [{**item, "severity": 4}])
    assert again["status"] == "conflict" and again["id"] == first["id"]
    assert Observation.objects.get().severity == item["severity"]


def test_same_client_id_from_another_user_is_a_conflict(observer, clinician, refs):
    item = payload(*refs)
    sync(observer, [item])
    (theirs,) = sync(clinician, [item])
    assert theirs["status"] == "conflict"
    assert "id" not in theirs  # someone else's record is not revealed
    assert Observation.objects.get().observer == observer


def test_mixed_batch_stores_every_valid_item_and_rejects_the_rest(observer, refs):
    old = payload(*refs)
    sync(observer, [old])
    items = [
        payload(*refs),
        payload(*refs, severity=7),
        old,
        {**old, "description": "changed"},
        "not an object",
        payload(*refs, client_id="not-a-uuid"),
        payload(*refs),
    ]
    results = sync(observer, items)
    statuses = [r["status"] for r in results]
    assert statuses == [
        "created", "rejected", "duplicate", "conflict", "rejected", "rejected", "created",
    ]  # fmt: skip
    assert results[1]["errors"] == {"severity": ["Send a whole number from 1 to 4."]}
    assert "client_id" in results[5]["errors"]
    assert "non_field_errors" in results[4]["errors"]
    assert Observation.objects.count() == 3


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("captured_at", "yesterday"),
        ("captured_at", "2026-03-01T07:15:00"),  # no zone
        ("captured_at", "2999-01-01T00:00:00Z"),
        ("captured_at", "0001-01-01T00:00:00+14:00"),
        ("captured_at", "2026-03-01T07:15:00+25:00"),
        ("unit", 999999),
        ("unit", None),
        ("workflow", "abc"),
        ("tool", 424242),
        ("role_observed", "surgeon"),
        ("description", ""),
        ("description", "   "),
        ("description", "x" * 5001),
        ("description", 12),
        ("description", "nul \x00 byte"),
        ("severity", 0),
        ("severity", True),
        ("frequency", "weekly"),
        ("minutes_lost", 601),
        ("minutes_lost", -1),
        ("patient_safety", "maybe"),
        ("tags", "bpa"),
        ("tags", [f"t{i}" for i in range(11)]),
        ("tags", ["x" * 41]),
        ("tags", [1, 2]),
        ("tags", ["a\x00b"]),
        ("unit", 2**70),
        ("unit", -3),
        # Unicode digits pass str.isdigit() but int() refuses (or misreads) them.
        ("severity", "\u00b2"),
        ("severity", "\u0662"),
        ("minutes_lost", "\u00b9"),
        ("unit", "\u00b3"),
        ("unit", "--3"),
        ("severity", "1" * 5000),  # past Python's int-parsing limit
        # JSON may carry lone surrogates; no database or JSON response can encode them.
        ("description", "waited \ud800 long"),
        ("tags", ["bpa", "\udc00"]),
    ],
)
def test_invalid_field_is_rejected_with_that_field_named(observer, refs, field, value):
    (result,) = sync(observer, [payload(*refs, **{field: value})])
    assert result["status"] == "rejected"
    assert list(result["errors"]) == [field]
    assert not Observation.objects.exists()


def test_rejected_client_id_is_echoed_encodable_and_long_values_shortened(observer, refs):
    (result,) = sync(observer, [payload(*refs, client_id="bad\udc00id", unit="9" * 300)])
    assert result["status"] == "rejected"
    assert result["client_id"].encode("utf-8") == b"bad?id"
    assert len(result["errors"]["unit"][0]) < 100


def test_replay_with_the_same_instant_in_another_zone_is_a_duplicate(observer, refs):
    item = payload(*refs, captured_at="2026-03-01T07:15:00Z")
    sync(observer, [item])
    (again,) = sync(observer, [{**item, "captured_at": "2026-03-01T08:15:00.000+01:00"}])
    assert again["status"] == "duplicate"


def test_repeated_client_id_within_one_batch_is_stored_once(observer, refs):
    item = payload(*refs)
    results = sync(observer, [item, item, {**item, "severity": 3}])
    assert [r["status"] for r in results] == ["created", "duplicate", "conflict"]
    assert len({r["id"] for r in results}) == 1
    assert Observation.objects.count() == 1


def test_description_and_tags_are_masked_before_storing(observer, refs):
    item = payload(
        *refs,
        description="Mr. John Smith MRN 12345678 waited; BPA fired 3 times in 4 West",
        tags=["bpa", "call 555-201-3344"],
    )
    (result,) = sync(observer, [item])
    stored = Observation.objects.get(pk=result["id"])
    assert "Smith" not in stored.description and "12345678" not in stored.description
    assert "BPA fired 3 times in 4 West" in stored.description
    assert stored.tags == ["bpa", "call [REDACTED-PHONE]"]
    assert stored.phi_redacted == ["MRN", "NAME", "PHONE"]


def test_replay_of_text_with_phi_is_a_duplicate_not_a_conflict(observer, refs):
    item = payload(*refs, description="Mrs. Jane Doe DOB 03/14/1952 had to wait")
    sync(observer, [item])
    (again,) = sync(observer, [item])
    assert again["status"] == "duplicate"


def test_tags_are_trimmed_and_deduplicated_keeping_order(observer, refs):
    (result,) = sync(observer, [payload(*refs, tags=[" bpa", "fall risk", "bpa ", " "])])
    assert Observation.objects.get(pk=result["id"]).tags == ["bpa", "fall risk"]


def test_optional_fields_default_sensibly(observer, refs):
    item = payload(*refs, tool=ToolFactory().pk)
    for key in ("minutes_lost", "patient_safety", "tags"):
        item.pop(key)
    (result,) = sync(observer, [item])
    stored = Observation.objects.get(pk=result["id"])
    assert (stored.minutes_lost, stored.patient_safety, stored.tags) == (None, False, [])
    assert stored.tool_id == item["tool"]


def test_batch_writes_one_audit_row_listing_created_ids(observer, refs):
    results = sync(observer, [payload(*refs) for _ in range(3)])
    (entry,) = AuditEntry.objects.filter(action="create", object_type="feedback.observation")
    assert entry.detail["ids"] == [r["id"] for r in results]
    sync(observer, [])
    assert AuditEntry.objects.filter(action="create").count() == 1


def test_create_one_returns_created_then_existing(observer, refs):
    item = payload(*refs)
    obj, created = observation_create(actor=Actor(user=observer), data=item)
    again, created_again = observation_create(actor=Actor(user=observer), data=item)
    assert (created, created_again) == (True, False) and again.pk == obj.pk


def test_create_one_raises_for_conflict_and_invalid(observer, refs):
    item = payload(*refs)
    observation_create(actor=Actor(user=observer), data=item)
    with pytest.raises(Conflict):
        observation_create(actor=Actor(user=observer), data={**item, "severity": 1})
    with pytest.raises(ValidationFailed) as err:
        observation_create(
            actor=Actor(user=observer), data={**item, "client_id": str(uuid.uuid4()), "unit": None}
        )
    assert err.value.errors is not None and "unit" in err.value.errors
