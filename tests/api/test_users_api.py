"""Admin-only user management; everyone else is refused."""

from __future__ import annotations

import pytest

from feedback.models import AuditEntry, Notification, User
from tests.conftest import assert_error

pytestmark = pytest.mark.django_db

NEW = {
    "username": "nina",
    "password": "long-synthetic-pass-9",
    "display_name": "Nina N.",
    "roles": ["clinician", "observer"],
}


@pytest.mark.parametrize(
    "persona,status",
    [
        ("admin", 200),
        ("observer", 403),
        ("clinician", 403),
        ("product_owner", 403),
        ("outsider", 403),
        ("anon", 401),
    ],
)
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
