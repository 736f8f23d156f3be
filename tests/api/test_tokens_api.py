"""API tokens expire and can be revoked, by their holder and by an admin."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.conftest import assert_error

pytestmark = pytest.mark.django_db
PASSWORD = "synthetic-pass-2026"


def _token(user):
    r = APIClient().post("/api/auth/token/", {"username": user.username, "password": PASSWORD},
                         format="json")  # fmt: skip
    assert r.status_code == 200, r.content
    return r.json()


def _client(key):
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return c


@pytest.fixture
def olive(make_user):
    user = make_user("observer", username="olive2")
    user.set_password(PASSWORD)
    user.save()
    return user


def test_a_token_says_when_it_expires(olive, settings):
    settings.ROUNDS_TOKEN_TTL_DAYS = 7
    body = _token(olive)
    expires = parse_datetime(body["expires_at"])
    assert abs((expires - timezone.now()) - timedelta(days=7)) < timedelta(minutes=1)
    assert _token(olive)["token"] == body["token"]  # the same token until it expires


def test_an_expired_token_is_401_and_a_new_login_gets_a_fresh_one(olive):
    key = _token(olive)["token"]
    Token.objects.filter(key=key).update(created=timezone.now() - timedelta(days=31))
    err = assert_error(_client(key).get("/api/me/"), 401)
    assert "expired" in err["detail"].lower()
    fresh = _token(olive)["token"]
    assert fresh != key and _client(fresh).get("/api/me/").status_code == 200


def test_the_holder_revokes_their_own_token(olive):
    key = _token(olive)["token"]
    client = _client(key)
    assert client.delete("/api/auth/token/").status_code == 204
    assert_error(client.get("/api/me/"), 401)
    assert not Token.objects.filter(user=olive).exists()


def test_revoking_needs_a_signed_in_caller():
    assert_error(APIClient().delete("/api/auth/token/"), 401)


def test_admin_revokes_a_users_tokens_and_sessions(clients, olive):
    key = _token(olive)["token"]
    browser = APIClient(enforce_csrf_checks=False)
    assert browser.login(username=olive.username, password=PASSWORD)
    assert browser.get("/api/me/").status_code == 200
    r = clients["admin"].post(f"/api/users/{olive.pk}/revoke-tokens/")
    assert r.status_code == 200 and r.json() == {"revoked_tokens": 1, "ended_sessions": 1}
    assert_error(_client(key).get("/api/me/"), 401)
    assert_error(browser.get("/api/me/"), 401)  # the session was ended too


@pytest.mark.parametrize("persona", ["observer", "clinician", "product_owner", "outsider"])
def test_non_admins_cannot_revoke_someone_elses_tokens(clients, personas, persona, olive):
    key = _token(olive)["token"]
    assert_error(clients[persona].post(f"/api/users/{olive.pk}/revoke-tokens/"), 403)
    assert _client(key).get("/api/me/").status_code == 200
