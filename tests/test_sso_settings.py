"""SSO configuration from the environment: several providers, checked at start-up."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ImproperlyConfigured

from backend.settings import sso


def test_several_providers_become_allauth_apps(monkeypatch, tmp_path):
    entries = [
        {"kind": "oidc", "id": "entra", "name": "Entra", "server_url": "https://login/v2.0",
         "client_id": "c", "secret": "s"},
        {"kind": "oidc", "id": "okta", "name": "Okta", "server_url": "https://okta/",
         "client_id": "c2", "secret": "s2"},
        {"kind": "saml", "id": "adfs", "name": "ADFS", "idp_entity_id": "https://adfs/",
         "metadata_url": "https://adfs/metadata.xml"},
    ]  # fmt: skip
    path = tmp_path / "sso.json"
    path.write_text(json.dumps(entries))
    monkeypatch.setenv("ROUNDS_SSO_PROVIDERS", f"@{path}")
    config = sso.socialaccount_providers(sso.providers())
    oidc = config["openid_connect"]["APPS"]
    assert [a["provider_id"] for a in oidc] == ["entra", "okta"]
    assert all(a["settings"]["oauth_pkce_enabled"] for a in oidc)
    (saml,) = config["saml"]["APPS"]
    assert saml["settings"]["advanced"]["want_assertion_signed"] is True
    assert saml["settings"]["advanced"]["reject_idp_initiated_sso"] is True


@pytest.mark.parametrize(
    "value",
    [
        "{not json",
        json.dumps({"kind": "oidc"}),
        json.dumps([{"kind": "ldap", "id": "x", "name": "x"}]),
        json.dumps([{"kind": "oidc", "id": "x", "name": "x"}]),
        json.dumps([{"kind": "saml", "id": "x", "name": "x", "idp_entity_id": "e"}]),
        json.dumps(
            [
                {
                    "kind": "oidc",
                    "id": "local",
                    "name": "x",
                    "server_url": "u",
                    "client_id": "c",
                    "secret": "s",
                }
            ]
        ),
    ],
)
def test_a_broken_provider_list_stops_start_up_with_a_reason(monkeypatch, value):
    monkeypatch.setenv("ROUNDS_SSO_PROVIDERS", value)
    with pytest.raises(ImproperlyConfigured):
        sso.socialaccount_providers(sso.providers())
