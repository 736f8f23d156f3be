"""Device heartbeats from the PWA (unsynced counts only) and the admins' devices list."""

from __future__ import annotations

import pytest

from feedback.models import Device
from tests.conftest import assert_error

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", ["observer", "clinician", "product_owner", "admin", "outsider"])
def test_any_signed_in_user_reports_their_device(clients, personas, persona):
    r = clients[persona].post("/api/devices/heartbeat/", {"device_id": "tab-4w-01", "unsynced": 3},
                              format="json", HTTP_USER_AGENT="ward-tablet/1.0")  # fmt: skip
    assert r.status_code == 200, r.content
    device = Device.objects.get(user=personas[persona])
    assert (device.device_id, device.unsynced, device.user_agent) == (
        "tab-4w-01",
        3,
        "ward-tablet/1.0",
    )


def test_anonymous_heartbeats_are_401():
    from rest_framework.test import APIClient

    r = APIClient().post(
        "/api/devices/heartbeat/", {"device_id": "x", "unsynced": 1}, format="json"
    )
    assert_error(r, 401)
    assert not Device.objects.exists()


def test_heartbeats_update_one_row_per_device_and_user(clients, observer, clinician):
    for n in (5, 2):
        clients["observer"].post("/api/devices/heartbeat/", {"device_id": "tab-1", "unsynced": n},
                                 format="json")  # fmt: skip
    clients["clinician"].post("/api/devices/heartbeat/", {"device_id": "tab-1", "unsynced": 1},
                              format="json")  # fmt: skip
    rows = {(d.user_id, d.unsynced) for d in Device.objects.filter(device_id="tab-1")}
    assert rows == {(observer.pk, 2), (clinician.pk, 1)}


@pytest.mark.parametrize(
    "body",
    [
        {"device_id": "", "unsynced": 1},
        {"device_id": "x" * 65, "unsynced": 1},
        {"device_id": "tab", "unsynced": -1},
        {"device_id": "tab", "unsynced": "lots"},
        {"unsynced": 1},
        {"device_id": "tab"},
    ],
)
def test_bad_heartbeats_are_400(clients, body):
    assert_error(clients["observer"].post("/api/devices/heartbeat/", body, format="json"), 400)


def test_admin_lists_devices_with_unsynced_counts_only(
    clients, observer, django_assert_max_num_queries
):
    for i in range(5):
        clients["observer"].post("/api/devices/heartbeat/", {"device_id": f"t{i}", "unsynced": i},
                                 format="json")  # fmt: skip
    with django_assert_max_num_queries(3):
        r = clients["admin"].get("/api/devices/?unsynced_min=3")
    assert r.status_code == 200
    rows = r.json()["results"]
    assert sorted(row["device_id"] for row in rows) == ["t3", "t4"]
    assert set(rows[0]) == {"device_id", "user", "username", "unsynced", "user_agent",
                            "first_seen_at", "last_seen_at"}  # fmt: skip
    assert rows[0]["username"] == observer.username


NOT_ADMIN = [("observer", 403), ("clinician", 403), ("product_owner", 403), ("outsider", 403),
             ("anon", 401)]  # fmt: skip


@pytest.mark.parametrize("persona,status", NOT_ADMIN)
def test_only_admins_list_devices(clients, persona, status):
    assert_error(clients[persona].get("/api/devices/"), status)


@pytest.mark.parametrize("persona", ["observer", "clinician", "product_owner", "admin", "outsider"])
def test_each_user_gets_their_own_stable_queue_key(clients, persona):
    import base64

    first = clients[persona].get("/api/me/queue-key/")
    assert first.status_code == 200 and first["Cache-Control"] == "no-store"
    key = base64.b64decode(first.json()["key"])
    assert len(key) == 32 and first.json()["idle_seconds"] > 0
    assert clients[persona].get("/api/me/queue-key/").json()["key"] == first.json()["key"]
    others = {clients[p].get("/api/me/queue-key/").json()["key"] for p in ("observer", "admin")}
    assert len(others) == 2  # never someone else's


def test_anonymous_callers_get_no_queue_key():
    from rest_framework.test import APIClient

    assert_error(APIClient().get("/api/me/queue-key/"), 401)
