"""Single sign-on in Chromium against real identity providers on 127.0.0.1: an OIDC provider
(django-oauth-toolkit) and a SAML IdP (pysaml2), each in its own process, and a Rounds process
trusting both. Sign-ins, role mapping at every login, each refusal, and break-glass password
sign-in (password sign-in is limited to the account named in ROUNDS_BREAK_GLASS_ACCOUNTS)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from feedback.models import AuditEntry, User
from tests.conftest import need
from tests.idp.harness import OIDC_ID, PASSWORD, SAML_ID, World, sso_world

pytestmark = [pytest.mark.browser, pytest.mark.slow]
ROUNDS: list[str] = []
BREAK_GLASS = "glass-admin"
LOCAL_PASSWORD = "local-test-pass-2026"


@pytest.fixture(scope="module")
def world(django_db_setup: Any, tmp_path_factory: Any) -> Iterator[World]:
    need(bool(shutil.which("xmlsec1")), "xmlsec1 not found: apt-get install xmlsec1 (SAML IdP)")
    with sso_world(Path(tmp_path_factory.mktemp("sso")), break_glass=BREAK_GLASS) as w:
        ROUNDS[:] = [w.rounds]
        yield w


def start(page: Any, world: World, kind: str) -> None:
    """What the PWA's SSO button does: POST (with CSRF) to the provider's login URL."""
    provider = OIDC_ID if kind == "oidc" else SAML_ID
    page.goto(f"{world.rounds}/accounts/{kind}/{provider}/login/")
    page.click("form button[type=submit], form input[type=submit]")
    page.wait_for_selector("#idp-username")


def sign_in(page: Any, world: World, kind: str, username: str) -> str:
    """The whole redirect dance; returns the URL Rounds lands on."""
    start(page, world, kind)
    page.fill("#idp-username", username)
    page.fill("#idp-password", PASSWORD)
    page.click("#idp-submit")
    page.wait_for_url(f"{world.rounds}/**", wait_until="load")
    page.wait_for_load_state("load")
    return str(page.url)


def fresh(new_context: Any) -> Any:
    """A browser without the PWA's service worker, so every navigation reaches the server."""
    return new_context(service_workers="block").new_page()


def sign_out_browser(page: Any) -> None:
    """Forget every cookie, after leaving the PWA (its requests would set the session again)."""
    page.goto("about:blank")
    page.context.clear_cookies()


def me(page: Any) -> tuple[int, Any]:
    """/api/me/ with the browser's cookies, straight to the server (no service worker)."""
    response = page.context.request.get(f"{ROUNDS[0]}/api/me/")
    return response.status, response.json()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", ["oidc", "saml"])
def test_sign_in_creates_the_user_just_in_time_with_mapped_roles(world, new_context, kind):
    page = fresh(new_context)
    landed = sign_in(page, world, kind, "omar")
    assert "sso_error" not in landed, landed
    status, body = me(page)
    assert status == 200, body
    assert body["roles"] == ["observer", "product_owner"]
    user = User.objects.get(pk=body["id"])
    assert user.display_name == "Omar Owner" and not user.has_usable_password()
    assert user.socialaccount_set.get().provider == (OIDC_ID if kind == "oidc" else SAML_ID)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", ["oidc", "saml"])
def test_roles_follow_the_idp_groups_at_every_login(world, new_context, kind):
    page = fresh(new_context)
    sign_in(page, world, kind, "nina")
    status, body = me(page)
    assert body["roles"] == ["observer"]
    # An admin (or an earlier group) gave her more; the IdP's groups decide at the next login.
    from django.contrib.auth.models import Group

    user = User.objects.get(pk=body["id"])
    user.groups.add(Group.objects.get_or_create(name="admin")[0])
    sign_out_browser(page)
    sign_in(page, world, kind, "nina")
    status, body = me(page)
    assert status == 200 and body["roles"] == ["observer"]
    assert User.objects.filter(username__startswith="nina").count() == 1  # the same account
    assert AuditEntry.objects.filter(object_id=str(user.pk), detail__via__isnull=False).exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", ["oidc", "saml"])
def test_a_person_in_no_mapped_group_is_refused_and_gets_no_account(world, new_context, kind):
    page = fresh(new_context)
    landed = sign_in(page, world, kind, "vera")
    assert "sso_error=no_role" in landed
    assert me(page)[0] in (401, 403)
    assert not User.objects.filter(username__startswith="vera").exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "kind,username,error",
    [
        ("oidc", "aud", "failed"),  # ID token for another client (wrong audience)
        ("oidc", "late", "failed"),  # expired ID token
        ("oidc", "replay", "nonce"),  # a nonce from another sign-in
        ("saml", "aud", "failed"),  # assertion addressed to another SP
        ("saml", "late", "failed"),  # expired assertion
        ("saml", "bare", "failed"),  # unsigned assertion
    ],
)
def test_bad_tokens_and_assertions_are_refused(world, new_context, kind, username, error):
    page = fresh(new_context)
    landed = sign_in(page, world, kind, username)
    assert f"sso_error={error}" in landed, landed
    assert me(page)[0] in (401, 403)
    assert not User.objects.filter(username__startswith=username).exists()


@pytest.mark.django_db(transaction=True)
def test_a_replayed_oidc_callback_is_refused(world, new_context):
    page = fresh(new_context)
    callbacks: list[str] = []
    page.on("request", lambda r: callbacks.append(r.url) if "/login/callback/" in r.url else None)
    sign_in(page, world, "oidc", "nina")
    assert me(page)[0] == 200 and callbacks
    logins = AuditEntry.objects.filter(action="login").count()
    page.goto(callbacks[0])  # the same code and state again, in the same browser session
    assert "sso_error=failed" in page.url
    assert AuditEntry.objects.filter(action="login").count() == logins  # no second sign-in
    sign_out_browser(page)
    page.goto(callbacks[0])  # and from a fresh browser
    assert "sso_error=failed" in page.url
    assert me(page)[0] in (401, 403)


@pytest.mark.django_db(transaction=True)
def test_a_replayed_saml_response_is_refused(world, new_context):
    page = fresh(new_context)
    posted: list[str] = []
    page.on("request", lambda r: posted.append(r.post_data) if r.url.endswith("/acs/") else None)
    sign_in(page, world, "saml", "nina")
    assert me(page)[0] == 200 and posted
    sign_out_browser(page)
    page.goto(f"{world.rounds}/api/me/")
    page.evaluate(
        """([url, body]) => {
            const form = document.createElement('form');
            form.method = 'POST'; form.action = url;
            for (const [k, v] of new URLSearchParams(body)) {
              const i = document.createElement('input'); i.name = k; i.value = v; form.append(i);
            }
            document.body.append(form); form.submit();
        }""",
        [f"{world.rounds}/accounts/saml/{SAML_ID}/acs/", posted[0]],
    )
    # The response answered no sign-in this browser started (its InResponseTo state is gone).
    page.wait_for_url("**/acs/finish/")
    page.wait_for_load_state("load")
    assert "Forbidden" in page.content() or "sso_error" in page.url
    assert me(page)[0] in (401, 403)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind,provider", [("oidc", OIDC_ID), ("saml", SAML_ID)])
def test_the_pwa_sign_in_screen_offers_sso_and_shows_refusals(world, new_context, kind, provider):
    page = fresh(new_context)
    page.goto(f"{world.rounds}/")
    page.click(f"#sso button[data-provider='{provider}']")
    page.fill("#idp-username", "nina")
    page.fill("#idp-password", PASSWORD)
    page.click("#idp-submit")
    page.wait_for_selector("#logout")  # back in the PWA, signed in
    assert "Nina Observer" in page.inner_text("#who")
    assert page.locator("#nav a[data-area='capture']").count() == 1  # the observer's areas
    sign_out_browser(page)
    page.goto(f"{world.rounds}/")
    page.click(f"#sso button[data-provider='{provider}']")
    page.fill("#idp-username", "vera")
    page.fill("#idp-password", PASSWORD)
    page.click("#idp-submit")
    page.wait_for_selector("#login-form")
    assert "not in any group" in page.inner_text("#sso-error")


@pytest.mark.django_db(transaction=True)
def test_only_the_break_glass_account_signs_in_with_a_password(world, new_context, make_user):
    for username, role in ((BREAK_GLASS, "admin"), ("olga", "observer")):
        user = make_user(role, username=username)
        user.set_password(LOCAL_PASSWORD)
        user.save()
    page = fresh(new_context)
    page.goto(f"{world.rounds}/")
    page.wait_for_selector("#sso button")
    assert page.is_visible("#local-title")  # sighted users see what the password form is for
    assert "break-glass" in page.inner_text("#local-title")
    page.fill("#username", "olga")
    page.fill("#password", LOCAL_PASSWORD)  # the right password, still refused
    page.click("#login-form button[type=submit]")
    page.wait_for_function("document.querySelector('#login-error').textContent.length > 0")
    assert "use single sign-on" in page.inner_text("#login-error")
    assert me(page)[0] in (401, 403)
    page.fill("#username", BREAK_GLASS)
    page.fill("#password", LOCAL_PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_selector("#logout")
    assert page.locator("#nav a[data-area='admin']").count() == 1
    status, body = me(page)
    assert status == 200 and body["username"] == BREAK_GLASS
