"""Sign-in choices (`/api/auth/providers/`), break-glass password sign-in, and the pure role map."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from feedback.sso import roles_for_groups
from tests.conftest import assert_error

PASSWORD = "synthetic-pass-2026"
PROVIDERS = [
    {"kind": "oidc", "id": "entra", "name": "Contoso Entra ID", "server_url": "https://idp/o",
     "client_id": "c", "secret": "s"},
    {"kind": "saml", "id": "adfs", "name": "Contoso ADFS", "idp_entity_id": "https://adfs/",
     "sso_url": "https://adfs/sso", "x509cert": "MIIB"},
]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["anon", "observer", "outsider", "admin"])
def test_anyone_lists_the_sign_in_providers(clients, settings, persona):
    settings.ROUNDS_SSO_PROVIDERS = PROVIDERS
    r = clients[persona].get("/api/auth/providers/")
    assert r.status_code == 200
    assert r.json() == [
        {"id": "entra", "name": "Contoso Entra ID", "kind": "oidc",
         "login_url": "/accounts/oidc/entra/login/"},
        {"id": "adfs", "name": "Contoso ADFS", "kind": "saml",
         "login_url": "/accounts/saml/adfs/login/"},
        {"id": "local", "name": "Username and password", "kind": "local",
         "login_url": "/api/auth/login/"},
    ]  # fmt: skip


@pytest.fixture
def staff(make_user):
    users = {}
    for name, role in (("glass", "admin"), ("olive", "observer")):
        user = make_user(role, username=name)
        user.set_password(PASSWORD)
        user.save()
        users[name] = user
    return users


def _login(path, username):
    return APIClient().post(path, {"username": username, "password": PASSWORD}, format="json")


@pytest.mark.django_db
def test_with_break_glass_accounts_only_they_sign_in_with_a_password(staff, settings):
    old_token = Token.objects.create(user=staff["olive"])
    settings.ROUNDS_BREAK_GLASS_ACCOUNTS = ["glass"]
    for path in ("/api/auth/login/", "/api/auth/token/"):
        assert _login(path, "glass").status_code == 200
        assert_error(_login(path, "olive"), 403, "forbidden")
        assert_error(_login(path, "OLIVE"), 403, "forbidden")
    # Tokens already issued (tablets, scripts) keep working.
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {old_token.key}")
    assert client.get("/api/me/").status_code == 200
    names = [p["name"] for p in APIClient().get("/api/auth/providers/").json()]
    assert names[-1] == "Username and password (break-glass accounts only)"


@pytest.mark.django_db
def test_the_refusal_does_not_reveal_whether_the_password_was_right(staff, settings):
    settings.ROUNDS_BREAK_GLASS_ACCOUNTS = ["glass"]
    wrong = APIClient().post("/api/auth/login/", {"username": "olive", "password": "nope-nope"},
                             format="json")  # fmt: skip
    assert assert_error(wrong, 403)["detail"] == assert_error(_login("/api/auth/login/", "olive"),
                                                              403)["detail"]  # fmt: skip


@pytest.mark.django_db
def test_without_break_glass_accounts_everyone_may_use_a_password(staff, settings):
    settings.ROUNDS_BREAK_GLASS_ACCOUNTS = []
    assert _login("/api/auth/login/", "olive").status_code == 200


def test_groups_map_to_roles_per_provider_and_unknown_groups_grant_nothing():
    role_map = {"obs": ["observer"], "po": ["product_owner"], "adfs:clin": ["clinician"],
                "bad": ["wizard"]}  # fmt: skip
    assert roles_for_groups(["obs", "po", "x"], role_map, "entra") == {"observer", "product_owner"}
    assert roles_for_groups(["clin"], role_map, "entra") == set()
    assert roles_for_groups(["clin"], role_map, "adfs") == {"clinician"}
    assert roles_for_groups(["bad", "visitors"], role_map, "adfs") == set()
