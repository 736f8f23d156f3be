"""GET /api/backlog/export.csv: streamed, equal to the filtered list, and audited."""

from __future__ import annotations

import csv
import io

import pytest

from feedback.models import AuditEntry
from tests.conftest import assert_error
from tests.factories import WorkflowFactory
from tests.factories_backlog import BacklogItemFactory, ObservationFactory

pytestmark = pytest.mark.django_db


def read_csv(response):
    assert response.streaming
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_equals_the_filtered_list_and_writes_an_audit_row(clients, product_owner):
    wf = WorkflowFactory()
    for i in range(7):
        item = BacklogItemFactory(workflow=wf if i % 2 else None, priority=i % 3, status="new")
        item.observations.add(ObservationFactory())
    BacklogItemFactory(workflow=wf, status="declined")
    query = f"?workflow={wf.pk}&status=new"
    listed = clients["product_owner"].get("/api/backlog/" + query).json()["results"]
    r = clients["product_owner"].get("/api/backlog/export.csv" + query)
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    rows = read_csv(r)
    assert [int(row["id"]) for row in rows] == [item["id"] for item in listed]
    assert len(rows) == 3
    for row, item in zip(rows, listed, strict=True):
        assert row["title"] == item["title"] and float(row["priority"]) == item["priority"]
        assert row["workflow"] == str(wf.pk) and row["observations"] == "1"
    entry = AuditEntry.objects.get(action="export")
    assert entry.actor_id == product_owner.pk
    assert entry.detail["filters"]["workflow"] == [str(wf.pk)]


@pytest.mark.parametrize(
    "start", ["=", "+", "-", "@", "\t", "\r", " =", "\ufeff=", "\u200b@", "\uff1d"]
)
def test_formula_like_titles_are_neutralised(clients, start):
    BacklogItemFactory(title=start + 'HYPERLINK("http://x")')
    BacklogItemFactory(title="Reduce alerts by -20%: a=b")  # only the start matters
    rows = read_csv(clients["admin"].get("/api/backlog/export.csv"))
    titles = {row["title"] for row in rows}
    assert titles == {"'" + start + 'HYPERLINK("http://x")', "Reduce alerts by -20%: a=b"}


def test_export_audit_keeps_no_phi_from_the_search_text(clients):
    r = clients["product_owner"].get("/api/backlog/export.csv?q=call 555-867-5309")
    assert r.status_code == 200
    b"".join(r.streaming_content)
    stored = AuditEntry.objects.get(action="export").detail["filters"]["q"]
    assert stored == ["call [REDACTED-PHONE]"]


def test_bad_filter_is_400_and_not_audited(clients):
    assert_error(clients["product_owner"].get("/api/backlog/export.csv?status=bogus"), 400)
    assert not AuditEntry.objects.filter(action="export").exists()


@pytest.mark.parametrize("persona", ["observer", "clinician", "outsider"])
def test_others_may_not_export(clients, persona):
    assert_error(clients[persona].get("/api/backlog/export.csv"), 403)
    assert not AuditEntry.objects.filter(action="export").exists()


def test_anonymous_export_is_401(clients):
    assert_error(clients["anon"].get("/api/backlog/export.csv"), 401)
