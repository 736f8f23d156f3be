"""Sign-in: tokens, session login with CSRF, idle expiry, throttling, /api/me/."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone
from rest_framework.test import APIClient

from feedback.models import AuditEntry
from tests.conftest import assert_error
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_token_for_good_credentials(observer):
    response = APIClient().post(
        "/api/auth/token/", {"username": "olive", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200
    token = response.json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = client.get("/api/me/").json()
    assert me == {
        "id": observer.pk,
        "username": "olive",
        "display_name": observer.display_name,
        "roles": ["observer"],
        "permissions": [
            "capture",
            "observations_read_all",
            "join",
            "facilitate",
            "stats_read",
            "backlog_read",
            "backlog_follow",
            "themes_read",
            "output_feedback_read",
            "flag_output",
            "loop_read",
        ],
    }
    assert AuditEntry.objects.filter(action="login", actor=observer).exists()


def test_bad_credentials_are_400(observer):
    response = APIClient().post(
        "/api/auth/token/", {"username": "olive", "password": "wrong"}, format="json"
    )
    assert_error(response, 400, "invalid")
    assert "token" not in response.json()


def test_inactive_user_cannot_get_token(observer):
    observer.is_active = False
    observer.save()
    response = APIClient().post(
        "/api/auth/token/", {"username": "olive", "password": PASSWORD}, format="json"
    )
    assert_error(response, 400)


def test_failed_logins_throttle_that_account_only(observer, clinician):
    client = APIClient()
    for _ in range(5):
        client.post("/api/auth/token/", {"username": "olive", "password": "x"}, format="json")
    blocked = client.post(
        "/api/auth/token/", {"username": "olive", "password": PASSWORD}, format="json"
    )
    assert_error(blocked, 429, "throttled")
    assert blocked["Retry-After"]
    other = client.post(
        "/api/auth/token/", {"username": "casey", "password": PASSWORD}, format="json"
    )
    assert other.status_code == 200


def test_success_resets_failure_count(observer):
    client = APIClient()
    for _ in range(4):
        client.post("/api/auth/token/", {"username": "olive", "password": "x"}, format="json")
    ok = client.post("/api/auth/token/", {"username": "olive", "password": PASSWORD}, format="json")
    assert ok.status_code == 200
    for _ in range(4):
        client.post("/api/auth/token/", {"username": "olive", "password": "x"}, format="json")
    ok = client.post("/api/auth/token/", {"username": "olive", "password": PASSWORD}, format="json")
    assert ok.status_code == 200


def _csrf_client() -> APIClient:
    client = APIClient(enforce_csrf_checks=True)
    client.get("/api/auth/csrf/")
    return client


def test_session_login_requires_csrf(observer):
    client = APIClient(enforce_csrf_checks=True)
    response = client.post(
        "/api/auth/login/", {"username": "olive", "password": PASSWORD}, format="json"
    )
    assert_error(response, 403, "forbidden")


def test_session_login_logout_cycle(observer):
    client = _csrf_client()
    csrf = client.cookies["csrftoken"].value
    response = client.post(
        "/api/auth/login/",
        {"username": "olive", "password": PASSWORD},
        format="json",
        HTTP_X_CSRFTOKEN=csrf,
    )
    assert response.status_code == 200
    assert response.json()["roles"] == ["observer"]
    assert client.get("/api/me/").status_code == 200
    csrf = client.cookies["csrftoken"].value
    # Writes with the session cookie need the CSRF header.
    assert_error(client.post("/api/notifications/read-all/", {}, format="json"), 403)
    ok = client.post("/api/notifications/read-all/", {}, format="json", HTTP_X_CSRFTOKEN=csrf)
    assert ok.status_code == 200
    client.post("/api/auth/logout/", HTTP_X_CSRFTOKEN=csrf)
    assert_error(client.get("/api/me/"), 401)


def test_session_expires_after_idle_time(observer, settings):
    assert settings.SESSION_COOKIE_AGE == 15 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    client = APIClient()
    client.login(username="olive", password=PASSWORD)
    assert client.get("/api/me/").status_code == 200
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    session = Session.objects.get(session_key=key)
    assert session.expire_date > timezone.now() + timedelta(minutes=14)
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    assert_error(client.get("/api/me/"), 401)


def test_me_for_every_persona(clients, personas):
    for name, user in personas.items():
        response = clients[name].get("/api/me/")
        if user is None:
            assert_error(response, 401)
            continue
        assert response.status_code == 200
        expected = [] if name == "outsider" else [name]
        assert response.json()["roles"] == expected


def test_superuser_counts_as_admin(make_user):
    root = make_user(is_superuser=True, is_staff=True)
    client = APIClient()
    client.force_authenticate(root)
    assert client.get("/api/me/").json()["roles"] == ["admin"]
    assert client.get("/api/users/").status_code == 200


def test_retry_after_counts_down_to_the_end_of_the_window(observer, settings, monkeypatch):
    import api.auth

    now = [1_000_000.0]
    monkeypatch.setattr(api.auth.time, "time", lambda: now[0])
    client = APIClient()
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        client.post("/api/auth/token/", {"username": "olive", "password": "x"}, format="json")
    first = client.post("/api/auth/token/", {"username": "olive", "password": "x"}, format="json")
    assert_error(first, 429, "throttled")
    assert int(first["Retry-After"]) == settings.LOGIN_FAILURE_WINDOW
    now[0] += 600
    later = client.post("/api/auth/token/", {"username": "olive", "password": "x"}, format="json")
    assert_error(later, 429, "throttled")
    assert int(later["Retry-After"]) == settings.LOGIN_FAILURE_WINDOW - 600
    assert str(settings.LOGIN_FAILURE_WINDOW - 600) in later.json()["detail"]


def test_token_clients_need_no_csrf_even_with_a_session_cookie(observer, product_owner):
    from rest_framework.authtoken.models import Token

    client = APIClient(enforce_csrf_checks=True)
    client.login(username="olive", password=PASSWORD)  # a stale PWA session on the same tablet
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=product_owner).key}")
    response = client.post("/api/units/", {"name": "7 South"}, format="json")
    assert response.status_code == 201, response.content


def test_bad_token_with_a_valid_session_is_still_401(observer):
    client = APIClient()
    client.login(username="olive", password=PASSWORD)
    client.credentials(HTTP_AUTHORIZATION="Token 0000000000000000000000000000000000000000")
    assert_error(client.get("/api/me/"), 401, "not_authenticated")


def test_user_in_several_groups_lists_every_role(make_user):
    user = make_user("observer", "clinician", "product_owner")
    client = APIClient()
    client.force_authenticate(user)
    assert client.get("/api/me/").json()["roles"] == ["clinician", "observer", "product_owner"]


def test_superuser_with_groups_lists_admin_once(make_user):
    root = make_user("admin", "observer", is_superuser=True, is_staff=True)
    client = APIClient()
    client.force_authenticate(root)
    assert client.get("/api/me/").json()["roles"] == ["admin", "observer"]


def test_a_token_request_reads_the_user_and_roles_in_one_query(
    make_user, django_assert_num_queries
):
    from django.contrib.auth.models import Group

    from tests.conftest import token_client

    nurse = make_user("clinician", "observer")
    nurse.groups.add(Group.objects.create(name="x,admin"))  # not a role, and cannot forge one
    client = token_client(nurse)
    with django_assert_num_queries(1):
        assert client.get("/api/me/").json()["roles"] == ["clinician", "observer"]
    nurse.groups.remove(Group.objects.get(name="observer"))  # takes effect on the next request
    assert client.get("/api/me/").json()["roles"] == ["clinician"]
    root = make_user(is_superuser=True)
    assert token_client(root).get("/api/me/").json()["roles"] == ["admin"]
    assert token_client(make_user()).get("/api/me/").json()["roles"] == []
    inactive = make_user("admin", is_active=False)
    assert token_client(inactive).get("/api/me/").status_code == 401
