"""Single sign-on settings built from the environment (docs/deployment.md, "Single sign-on").

`ROUNDS_SSO_PROVIDERS` is a JSON list (or `@/path/to/file.json`) of identity providers, each
`{"kind": "oidc"|"saml", "id", "name", ...}`; this turns it into django-allauth's
`SOCIALACCOUNT_PROVIDERS`. Wiring only: the policy (role mapping, refusals) is in `api/sso.py`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured

OIDC_REQUIRED = ("id", "name", "server_url", "client_id", "secret")
SAML_REQUIRED = ("id", "name", "idp_entity_id")
DEFAULT_SAML_ATTRIBUTES = {
    "uid": ["uid", "http://schemas.microsoft.com/identity/claims/objectidentifier"],
    "username": ["username", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name"],
    "email": ["email", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"],
    "first_name": ["givenName", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname"],
    "last_name": ["sn", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname"],
}


def _json_env(name: str, default: Any) -> Any:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if raw.startswith("@"):
        raw = Path(raw[1:]).read_text()
    try:
        return json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ImproperlyConfigured(f"{name} is not valid JSON: {exc}") from exc


def _require(entry: dict[str, Any], keys: tuple[str, ...]) -> None:
    missing = [k for k in keys if not entry.get(k)]
    if missing:
        raise ImproperlyConfigured(
            f"ROUNDS_SSO_PROVIDERS entry {entry.get('id', '?')!r} lacks {', '.join(missing)}."
        )


def _oidc_app(entry: dict[str, Any]) -> dict[str, Any]:
    _require(entry, OIDC_REQUIRED)
    return {
        "provider_id": entry["id"],
        "name": entry["name"],
        "client_id": entry["client_id"],
        "secret": entry["secret"],
        "settings": {
            "server_url": entry["server_url"],
            "oauth_pkce_enabled": True,
            "scope": entry.get("scope", ["openid", "profile", "email"]),
            "groups_claim": entry.get("groups_claim", "groups"),
            "fetch_userinfo": entry.get("fetch_userinfo", True),
        },
    }


def _saml_app(entry: dict[str, Any]) -> dict[str, Any]:
    _require(entry, SAML_REQUIRED)
    if not (entry.get("metadata_url") or (entry.get("sso_url") and entry.get("x509cert"))):
        raise ImproperlyConfigured(
            f"SAML provider {entry['id']!r}: give metadata_url, or sso_url and x509cert."
        )
    idp = {"entity_id": entry["idp_entity_id"]}
    for key in ("metadata_url", "sso_url", "x509cert", "slo_url"):
        if entry.get(key):
            idp[key] = entry[key]
    return {
        "provider_id": entry["id"],
        "name": entry["name"],
        "client_id": entry["id"],  # the organisation slug in /accounts/saml/<id>/...
        "settings": {
            "idp": idp,
            "sp": {"entity_id": entry["sp_entity_id"]} if entry.get("sp_entity_id") else {},
            "attribute_mapping": entry.get("attribute_mapping", DEFAULT_SAML_ATTRIBUTES),
            "groups_attribute": entry.get(
                "groups_attribute",
                ["groups", "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups"],
            ),
            # Signed assertions only, SP-initiated only, strict checks (audience, times).
            "advanced": {
                "strict": True,
                "want_assertion_signed": True,
                "reject_idp_initiated_sso": True,
                "allow_single_label_domains": bool(entry.get("allow_single_label_domains")),
            },
        },
    }


def providers() -> list[dict[str, Any]]:
    entries = _json_env("ROUNDS_SSO_PROVIDERS", [])
    if not isinstance(entries, list):
        raise ImproperlyConfigured("ROUNDS_SSO_PROVIDERS must be a JSON list of providers.")
    seen: set[str] = set()
    for entry in entries:
        if entry.get("kind") not in ("oidc", "saml"):
            raise ImproperlyConfigured(f"SSO provider {entry.get('id')!r}: kind oidc or saml.")
        if entry.get("id") in seen or entry.get("id") == "local":
            raise ImproperlyConfigured(f"SSO provider id {entry.get('id')!r} is used twice.")
        seen.add(entry["id"])
    return entries


def socialaccount_providers(entries: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "openid_connect": {
            "provider_class": "api.sso.NonceOpenIDConnectProvider",
            "OAUTH_PKCE_ENABLED": True,
            "APPS": [_oidc_app(e) for e in entries if e["kind"] == "oidc"],
        },
        "saml": {"APPS": [_saml_app(e) for e in entries if e["kind"] == "saml"]},
    }


def role_map() -> dict[str, list[str]]:
    """`{"<group>" or "<provider id>:<group>": ["observer", ...]}` (a single role as a string)."""
    raw = _json_env("ROUNDS_SSO_ROLE_MAP", {})
    if not isinstance(raw, dict):
        raise ImproperlyConfigured("ROUNDS_SSO_ROLE_MAP must be a JSON object: group -> roles.")
    return {str(k): [v] if isinstance(v, str) else list(v) for k, v in raw.items()}


def break_glass() -> list[str]:
    return [
        u.strip() for u in os.environ.get("ROUNDS_BREAK_GLASS_ACCOUNTS", "").split(",") if u.strip()
    ]
