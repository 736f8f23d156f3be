"""Admin-only user management; everyone else is refused."""

from __future__ import annotations

import pytest

from feedback.models import AuditEntry, Notification, User
from tests.conftest import ADMIN_ONLY, assert_error
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW = {
    "username": "nina",
    "password": "long-synthetic-pass-9",
    "display_name": "Nina N.",
    "roles": ["clinician", "observer"],
}


@pytest.mark.parametrize("persona,status", ADMIN_ONLY)
def test_who_may_list_users(clients, persona, status):
    response = clients[persona].get("/api/users/")
    if status == 200:
        assert response.status_code == 200
        assert {"results", "next", "previous"} <= set(response.json())
    else:
        assert_error(response, status)


@pytest.mark.parametrize(
    "persona,status",
    [
        ("admin", 201),
        ("observer", 403),
        ("clinician", 403),
        ("product_owner", 403),
        ("outsider", 403),
        ("anon", 401),
    ],
)
def test_who_may_create_users(clients, persona, status):
    response = clients[persona].post("/api/users/", NEW, format="json")
    if status == 201:
        assert response.status_code == 201
        body = response.json()
        assert body["roles"] == ["clinician", "observer"]
        assert "password" not in body
        assert User.objects.get(username="nina").check_password(NEW["password"])
    else:
        assert_error(response, status)
        assert not User.objects.filter(username="nina").exists()


def test_create_user_validation(clients):
    body = assert_error(
        clients["admin"].post(
            "/api/users/", {**NEW, "roles": ["wizard"], "password": "x"}, format="json"
        ),
        400,
        "invalid",
    )
    assert "roles" in body["errors"]
    body = assert_error(
        clients["admin"].post("/api/users/", {**NEW, "password": "short"}, format="json"),
        400,
        "invalid",
    )
    assert "password" in body["errors"]


def test_duplicate_username_is_409(clients):
    clients["admin"].post("/api/users/", NEW, format="json")
    assert_error(
        clients["admin"].post("/api/users/", {**NEW, "username": "NINA"}, format="json"),
        409,
        "conflict",
    )


def test_role_change_is_audited_and_notifies_the_user(clients, clinician, admin_user):
    response = clients["admin"].patch(
        f"/api/users/{clinician.pk}/", {"roles": ["clinician", "observer"]}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["roles"] == ["clinician", "observer"]
    assert AuditEntry.objects.filter(
        action="change", object_id=str(clinician.pk), actor=admin_user
    ).exists()
    note = Notification.objects.get(user=clinician)
    assert note.kind == "roles_changed"
    assert clients["clinician"].get("/api/me/").json()["roles"] == ["clinician", "observer"]


def test_user_list_query_count_is_flat(clients, make_user, django_assert_max_num_queries):
    for _ in range(30):
        make_user("observer", "clinician")
    with django_assert_max_num_queries(6):
        response = clients["admin"].get("/api/users/")
    assert len(response.json()["results"]) >= 30


@pytest.mark.parametrize("password", ["12345678901234", "password", "short"])
def test_weak_passwords_are_400_on_the_password_field(clients, password):
    body = assert_error(
        clients["admin"].post("/api/users/", {**NEW, "password": password}, format="json"),
        400,
        "invalid",
    )
    assert list(body["errors"]) == ["password"]
    assert not User.objects.filter(username="nina").exists()


def test_password_is_never_returned(clients):
    created = clients["admin"].post("/api/users/", NEW, format="json").json()
    listed = clients["admin"].get("/api/users/").json()["results"]
    detail = clients["admin"].get(f"/api/users/{created['id']}/").json()
    for body in (created, detail, *listed):
        assert not {"password", "password_hash"} & set(body)
    assert NEW["password"] not in str(listed)


@pytest.mark.parametrize("persona,status", ADMIN_ONLY)
def test_who_may_read_the_roles_and_what_they_allow(clients, persona, status):
    response = clients[persona].get("/api/users/roles/")
    if status != 200:
        assert_error(response, status)
        return
    rows = {r["name"]: [p["name"] for p in r["permissions"]] for r in response.json()}
    assert list(rows) == ["observer", "clinician", "product_owner", "admin"]
    assert "administer" in rows["admin"] and "administer" not in rows["product_owner"]
    assert "triage" in rows["product_owner"] and "capture" in rows["clinician"]


def test_users_filter_by_text_role_and_state(clients, make_user):
    make_user("clinician", username="cleo.ward", display_name="Cleo Ward")
    make_user("observer", username="obi", display_name="Obi", is_active=False)

    def names(query):
        page = clients["admin"].get(f"/api/users/?{query}").json()
        return [u["username"] for u in page["results"]]

    assert names("q=ward") == ["cleo.ward"]
    assert names("q=WARD&role=observer") == []
    assert set(names("role=clinician")) == {"cleo.ward", "casey"}
    assert names("is_active=false") == ["obi"]
    assert "ada" in names("role=admin")
    assert_error(clients["admin"].get("/api/users/?role=wizard"), 400, "invalid")


def test_deactivating_a_user_locks_them_out_and_is_audited(clients, clinician, admin_user):
    response = clients["admin"].patch(
        f"/api/users/{clinician.pk}/", {"is_active": False}, format="json"
    )
    assert response.status_code == 200 and response.json()["is_active"] is False
    assert_error(clients["clinician"].get("/api/me/"), 401)
    assert AuditEntry.objects.filter(
        action="change", object_id=str(clinician.pk), detail={"fields": ["is_active"]}
    ).exists()


@pytest.mark.parametrize(
    "body", [{"is_active": False}, {"roles": ["observer"]}, {"roles": []}], ids=str
)
def test_an_admin_cannot_lock_themselves_out(clients, admin_user, body):
    assert_error(
        clients["admin"].patch(f"/api/users/{admin_user.pk}/", body, format="json"), 409, "conflict"
    )
    admin_user.refresh_from_db()
    assert admin_user.is_active and admin_user.role_names() == ["admin"]


def test_an_admin_may_still_rename_themselves_and_add_roles(clients, admin_user):
    body = {"display_name": "Ada A.", "roles": ["admin", "observer"]}
    response = clients["admin"].patch(f"/api/users/{admin_user.pk}/", body, format="json")
    assert response.status_code == 200 and response.json()["roles"] == ["admin", "observer"]


@pytest.mark.parametrize("persona", ["observer", "clinician", "product_owner", "outsider"])
def test_non_admins_cannot_change_users(clients, personas, persona):
    target = personas["clinician"]
    response = clients[persona].patch(
        f"/api/users/{target.pk}/", {"roles": ["admin"], "is_active": False}, format="json"
    )
    assert_error(response, 403)
    target.refresh_from_db()
    assert target.is_active and target.role_names() == ["clinician"]


def test_users_show_their_last_sign_in(clients, clinician):
    from rest_framework.test import APIClient

    def row():
        listed = clients["admin"].get("/api/users/").json()["results"]
        return next(u for u in listed if u["id"] == clinician.pk)

    assert row()["last_login"] is None
    browser = APIClient()
    browser.get("/api/auth/csrf/")
    signed_in = browser.post(
        "/api/auth/login/", {"username": "casey", "password": PASSWORD}, format="json"
    )
    assert signed_in.status_code == 200
    assert row()["last_login"] is not None
