"""Single sign-on through django-allauth: OIDC (code + PKCE + nonce) and SAML 2.0 (signed,
SP-initiated), IdP groups mapped to roles at every login, just-in-time accounts, refusals shown
to the person, and password sign-in limited to break-glass accounts when configured."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlencode

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialLogin
from allauth.socialaccount.providers.base import AuthProcess
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from django.conf import settings
from django.http import HttpRequest, HttpResponseRedirect
from django.utils.crypto import constant_time_compare, get_random_string

from api.context import actor_from_request
from feedback.context import Actor
from feedback.services.audit import audit_record
from feedback.services.users import user_sync_sso_roles
from feedback.sso import groups_from_claim, roles_for_groups

log = logging.getLogger(__name__)


def local_login_allowed(username: str) -> bool:
    """Password sign-in: everyone, unless break-glass accounts are named; then only those."""
    names = settings.ROUNDS_BREAK_GLASS_ACCOUNTS
    return not names or username.strip().lower() in {n.lower() for n in names}


def providers() -> list[dict[str, str]]:
    """What the sign-in screen offers, for `/api/auth/providers/`."""
    rows = [
        {
            "id": p["id"],
            "name": p["name"],
            "kind": p["kind"],
            "login_url": (
                f"/accounts/oidc/{p['id']}/login/"
                if p["kind"] == "oidc"
                else f"/accounts/saml/{p['id']}/login/"
            ),
        }
        for p in settings.ROUNDS_SSO_PROVIDERS
    ]
    name = "Username and password"
    if settings.ROUNDS_BREAK_GLASS_ACCOUNTS:
        name += " (break-glass accounts only)"
    rows.append({"id": "local", "name": name, "kind": "local", "login_url": "/api/auth/login/"})
    return rows


class NonceOpenIDConnectProvider(OpenIDConnectProvider):
    """allauth's OIDC provider plus a `nonce`: kept with the (one-use) state, sent in the
    authorization request, and required back in the ID token (checked in the adapter)."""

    def redirect(self, request: HttpRequest, process: Any, next_url: Any = None,
                 data: Any = None, **kwargs: Any) -> Any:  # fmt: skip
        nonce = get_random_string(32)
        auth_params = dict(kwargs.pop("auth_params", None) or self.get_auth_params())
        auth_params["nonce"] = nonce
        return super().redirect(
            request, process, next_url, data, auth_params=auth_params, nonce=nonce, **kwargs
        )


class Refused(Exception):
    """An SSO login Rounds will not complete; `code` goes to the PWA, `detail` to the log."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code, self.detail = code, detail


def _provider_id(sociallogin: SocialLogin) -> str:
    return str(sociallogin.account.get_provider().app.provider_id or sociallogin.account.provider)


def _groups(sociallogin: SocialLogin) -> list[str]:
    account = sociallogin.account
    provider = account.get_provider()
    data = account.extra_data or {}
    if provider.id == "saml":
        names = provider.app.settings.get("groups_attribute", ["groups"])
        names = [names] if isinstance(names, str) else names
        return [g for n in names for g in groups_from_claim(data.get(n))]
    claim = provider.app.settings.get("groups_claim", "groups")
    merged = {**(data.get("id_token") or {}), **(data.get("userinfo") or {})}
    return groups_from_claim(merged.get(claim))


def _check_nonce(sociallogin: SocialLogin) -> None:
    if sociallogin.account.get_provider().id != "openid_connect":
        return
    expected = (sociallogin.state or {}).get("nonce")
    got = ((sociallogin.account.extra_data or {}).get("id_token") or {}).get("nonce")
    if not expected or not got or not constant_time_compare(str(expected), str(got)):
        raise Refused("nonce", "the ID token's nonce does not match this sign-in (a replay?)")


def _check(sociallogin: SocialLogin) -> set[str]:
    """Refuse what Rounds will not accept; return the roles this login grants."""
    state = sociallogin.state or {}
    if state.get("process") not in (AuthProcess.LOGIN, None) or not state:
        raise Refused("state", "no matching sign-in was started here (replayed or expired)")
    _check_nonce(sociallogin)
    roles = roles_for_groups(_groups(sociallogin), settings.ROUNDS_SSO_ROLE_MAP,
                             _provider_id(sociallogin))  # fmt: skip
    if not roles:
        raise Refused("no_role", "none of the identity provider's groups maps to a Rounds role")
    return roles


def _refuse(request: HttpRequest, sociallogin: SocialLogin, exc: Refused) -> None:
    provider = _provider_id(sociallogin)
    log.warning("SSO sign-in refused (%s, %s): %s", provider, exc.code, exc.detail)
    audit_record(
        actor=actor_from_request(request),
        action="login",
        object_type="sso",
        object_id=provider,
        detail={"refused": exc.code},
    )
    query = urlencode({"sso_error": exc.code, "provider": provider})
    raise ImmediateHttpResponse(HttpResponseRedirect(f"/?{query}#/login"))


def _audit_login(request: HttpRequest, sociallogin: SocialLogin, user: Any) -> None:
    where = actor_from_request(request)
    audit_record(
        actor=Actor(user=user, ip=where.ip, user_agent=where.user_agent),
        action="login",
        obj=user,
        detail={"method": "sso", "provider": _provider_id(sociallogin)},
    )


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        try:
            roles = _check(sociallogin)
        except Refused as exc:
            _refuse(request, sociallogin, exc)
        sociallogin._rounds_roles = roles  # type: ignore[attr-defined]
        if sociallogin.is_existing:
            user = sociallogin.user
            if not user.is_active:
                _refuse(request, sociallogin, Refused("inactive", "the account is deactivated"))
            user_sync_sso_roles(user=user, roles=roles, provider_id=_provider_id(sociallogin))
            _audit_login(request, sociallogin, user)

    def is_auto_signup_allowed(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        return True

    def is_open_for_signup(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        return True  # just-in-time accounts for people the IdP vouches for (and maps a role)

    def populate_user(self, request: HttpRequest, sociallogin: SocialLogin, data: Any) -> Any:
        user = super().populate_user(request, sociallogin, data)
        name = data.get("name") or " ".join(
            p for p in (data.get("first_name"), data.get("last_name")) if p
        )
        user.display_name = (name or "")[:150]
        return user

    def save_user(self, request: HttpRequest, sociallogin: SocialLogin, form: Any = None) -> Any:
        user = super().save_user(request, sociallogin, form)
        user.set_unusable_password()
        user.save(update_fields=["password"])
        roles: set[str] = getattr(sociallogin, "_rounds_roles", set())
        user_sync_sso_roles(user=user, roles=roles, provider_id=_provider_id(sociallogin))
        _audit_login(request, sociallogin, user)
        return user

    def on_authentication_error(
        self,
        request: HttpRequest,
        provider: Any,
        error: Any = None,
        exception: Any = None,
        extra_context: Any = None,
    ) -> None:
        """Wrong audience, expired or unsigned assertions, a replayed state: back to the PWA."""
        reason = (extra_context or {}).get("saml_last_error_reason") or exception or error
        log.warning("SSO sign-in failed (%s): %s", getattr(provider, "id", "?"), reason)
        query = urlencode({"sso_error": "failed", "provider": getattr(provider, "sub_id", "")})
        raise ImmediateHttpResponse(HttpResponseRedirect(f"/?{query}#/login"))


class AccountAdapter(DefaultAccountAdapter):
    """allauth's own password pages obey the break-glass rule too; nobody signs up locally."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def authenticate(self, request: HttpRequest, **credentials: Any) -> Any:
        if not local_login_allowed(str(credentials.get("username", ""))):
            return None
        return super().authenticate(request, **credentials)
