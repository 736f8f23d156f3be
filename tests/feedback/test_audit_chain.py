"""The audit trail's hash chain: written by every audit_record, checked by `audit_verify`."""

from __future__ import annotations

import itertools
import json
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections

from feedback import audit_chain
from feedback.context import Actor
from feedback.models import AuditEntry
from feedback.services.audit import audit_record, chain_head


def _some_rows(user, n=5):
    actor = Actor(user=user, ip="2001:DB8:0:0::1", user_agent="ward-tablet/1.0")
    for i in range(n):
        audit_record(
            actor=actor,
            action="change",
            object_type="feedback.unit",
            object_id=i,
            detail={"fields": ["name"], "n": i, "ratio": 0.1 * i, "nested": {"b": 1, "a": [1]}},
        )


def _verify(*args):
    from io import StringIO

    out = StringIO()
    call_command("audit_verify", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_audit_verify_passes_on_a_clean_database(admin_user):
    _some_rows(admin_user)
    audit_record(actor=Actor(user=None), action="login", object_type="system")
    assert "6 row(s) verified" in _verify()
    rows = list(AuditEntry.objects.order_by("id"))
    assert rows[0].prev_hash == audit_chain.GENESIS
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(rows))


@pytest.mark.django_db
def test_audit_verify_passes_on_an_empty_trail():
    assert "0 row(s) verified" in _verify()


@pytest.mark.django_db
def test_audit_verify_names_the_row_changed_by_a_manual_update(admin_user):
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's trigger refuses the UPDATE itself (tested below)")
    _some_rows(admin_user)
    victim = AuditEntry.objects.order_by("id")[2]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE feedback_auditentry SET detail = %s WHERE id = %s",
            [json.dumps({"fields": ["nothing to see"]}), victim.pk],
        )
    with pytest.raises(CommandError, match=rf"row {victim.pk}: its content") as exc:
        _verify()
    assert exc.value.returncode == 1


@pytest.mark.django_db
def test_audit_verify_names_the_row_after_a_deleted_one(admin_user):
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's trigger refuses the DELETE itself")
    _some_rows(admin_user)
    ids = list(AuditEntry.objects.order_by("id").values_list("id", flat=True))
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM feedback_auditentry WHERE id = %s", [ids[1]])
    with pytest.raises(CommandError, match=rf"row {ids[2]}: its prev_hash"):
        _verify()


@pytest.mark.django_db
def test_an_anchor_catches_rows_cut_off_the_end(admin_user):
    _some_rows(admin_user, 3)
    head_id, head_hash = chain_head()
    assert "verified" in _verify("--anchor", f"{head_id}:{head_hash}")
    with pytest.raises(CommandError, match=rf"row {head_id}: it has a different hash"):
        _verify("--anchor", f"{head_id}:{'0' * 64}")
    with pytest.raises(CommandError, match=rf"row {head_id + 1}: it is missing"):
        _verify("--anchor", f"{head_id + 1}:{head_hash}")


@pytest.mark.django_db
def test_postgres_trigger_refuses_update_and_unflagged_delete(admin_user):
    if connection.vendor != "postgresql":
        pytest.skip("the trigger exists on PostgreSQL only")
    from django.db import transaction
    from django.db.utils import DatabaseError

    _some_rows(admin_user, 2)
    for sql in (
        "UPDATE feedback_auditentry SET action = 'view'",
        "DELETE FROM feedback_auditentry",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)
    assert AuditEntry.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_one_unbroken_chain(admin_user):
    """Eight threads, each with its own database connection, append at once."""
    errors: list[BaseException] = []

    def write():
        try:
            _some_rows(admin_user, 5)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert "40 row(s) verified" in _verify()


@pytest.mark.django_db
def test_export_writes_json_lines_with_hashes_and_the_chain_head(admin_user, tmp_path):
    _some_rows(admin_user, 3)
    out = tmp_path / "audit.jsonl"
    call_command("audit_export", "--output", str(out), stderr=open("/dev/null", "w"))  # noqa: SIM115
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert [line["type"] for line in lines] == ["audit"] * 3 + ["chain_head"]
    assert lines[-1]["hash"] == lines[2]["hash"] == chain_head()[1]
    assert lines[1]["prev_hash"] == lines[0]["hash"]
    assert lines[0]["ip"] == "2001:db8::1" and lines[0]["detail"]["nested"] == {"a": [1], "b": 1}


@pytest.mark.django_db
def test_export_ships_to_syslog_over_udp(admin_user):
    import socket

    _some_rows(admin_user, 2)
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    sock.settimeout(5)
    port = sock.getsockname()[1]
    call_command("audit_export", "--syslog", f"127.0.0.1:{port}", stderr=open("/dev/null", "w"))  # noqa: SIM115
    got = [sock.recv(65535).decode() for _ in range(3)]
    sock.close()
    assert all("rounds-audit: " in g for g in got)
    assert json.loads(got[-1].split("rounds-audit: ", 1)[1])["type"] == "chain_head"


@pytest.mark.django_db
def test_each_committed_row_and_the_head_go_to_the_siem_logger(
    admin_user, django_capture_on_commit_callbacks
):
    import logging

    from feedback.tasks import ship_audit_head

    lines: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: lines.append(record.getMessage())  # type: ignore[method-assign]
    siem = logging.getLogger("rounds.audit")
    old_level = siem.level
    siem.addHandler(handler)
    siem.setLevel(logging.INFO)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            _some_rows(admin_user, 2)
        head_id = ship_audit_head.call()
    finally:
        siem.removeHandler(handler)
        siem.setLevel(old_level)
    shipped = [json.loads(line) for line in lines]
    assert [s.get("type", "audit") for s in shipped] == ["audit", "audit", "chain_head"]
    assert shipped[1]["prev_hash"] == shipped[0]["hash"] == shipped[1]["prev_hash"]
    assert shipped[2] == {"type": "chain_head", "id": head_id, "hash": shipped[1]["hash"]}
