"""The audit trail: admins read it; nobody can change or delete it."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from feedback.context import Actor
from feedback.models import AuditEntry
from feedback.services.audit import audit_record
from tests.conftest import ADMIN_ONLY, assert_error

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona,status", ADMIN_ONLY)
def test_who_may_read_the_audit_trail(clients, persona, status):
    response = clients[persona].get("/api/audit/")
    if status == 200:
        assert response.status_code == 200
    else:
        assert_error(response, status)


def test_audit_rows_record_who_what_where(clients, admin_user):
    clients["admin"].post(
        "/api/units/",
        {"name": "6 North"},
        format="json",
        HTTP_USER_AGENT="ward-tablet/1.0",
        REMOTE_ADDR="10.1.2.3",
    )
    row = (
        clients["admin"]
        .get("/api/audit/?action=create&object_type=feedback.unit")
        .json()["results"][0]
    )
    assert row["actor"] == admin_user.pk and row["actor_name"] == "ada"
    assert row["ip"] == "10.1.2.3" and row["user_agent"] == "ward-tablet/1.0"
    assert row["at"].endswith("Z") or "+" in row["at"]


def test_no_api_path_edits_or_deletes(clients, admin_user):
    entry = audit_record(actor=Actor(admin_user), action="view", object_type="x", object_id=1)
    for method in ("put", "patch", "delete"):
        response = getattr(clients["admin"], method)(f"/api/audit/{entry.pk}/", {}, format="json")
        assert_error(response, 405)
    assert_error(clients["admin"].post("/api/audit/", {}, format="json"), 405)


def test_model_refuses_update_and_delete(admin_user):
    entry = audit_record(actor=Actor(admin_user), action="view", object_type="x", object_id=1)
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="forged")
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).action == "view"


def test_postgres_itself_refuses_tampering(admin_user):
    if connection.vendor != "postgresql":
        pytest.skip("the trigger exists on PostgreSQL; this runs in the PostgreSQL leg")
    entry = audit_record(actor=Actor(admin_user), action="view", object_type="x", object_id=1)
    with (
        pytest.raises(Exception, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cur,
    ):
        cur.execute("UPDATE feedback_auditentry SET action='x' WHERE id=%s", [entry.pk])
    with (
        pytest.raises(Exception, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cur,
    ):
        cur.execute("DELETE FROM feedback_auditentry WHERE id=%s", [entry.pk])


@pytest.mark.parametrize("persona,status", ADMIN_ONLY)
def test_who_may_read_the_audit_vocabulary(clients, persona, status):
    clients["admin"].post("/api/units/", {"name": "6 North"}, format="json")
    response = clients[persona].get("/api/audit/vocabulary/")
    if status != 200:
        assert_error(response, status)
        return
    body = response.json()
    assert {"create", "change", "delete", "export", "view"} <= set(body["actions"])
    types = {t["value"]: t["label"] for t in body["object_types"]}
    assert types["feedback.unit"] == "unit" and len(types) == len(body["object_types"])


def test_audit_filters_combine(clients, admin_user, product_owner):
    clients["admin"].post("/api/units/", {"name": "6 North"}, format="json")
    clients["product_owner"].post("/api/units/", {"name": "7 South"}, format="json")
    clients["admin"].post("/api/workflows/", {"name": "discharge"}, format="json")
    rows = (
        clients["admin"]
        .get(f"/api/audit/?actor={product_owner.pk}&action=create&object_type=feedback.unit")
        .json()["results"]
    )
    assert [r["actor_name"] for r in rows] == ["parker"]
    since = rows[0]["at"]
    later = clients["admin"].get("/api/audit/", {"since": since}).json()["results"]
    assert {r["object_type"] for r in later} == {"feedback.unit", "feedback.workflow"}
    assert_error(clients["admin"].get("/api/audit/?since=yesterday"), 400, "invalid")
