"""In Chromium: an anonymous visitor's page opens on sign-in without asking /api/me/ (whose 401
the browser logs as a console error); a signed-in session is still found on every start, also
when this device remembers no one (as after a single sign-on redirect)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import PASSWORD
from tests.pwa.conftest import login

pytestmark = pytest.mark.browser


def _listen(page: Any) -> tuple[list[str], list[str]]:
    errors: list[str] = []  # every console error, the browser's own network ones included
    refused: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("response", lambda r: refused.append(r.url) if r.status in (401, 403) else None)
    return errors, refused


def _started(page: Any) -> None:
    page.wait_for_selector("body[data-ready='1']", state="attached")


def test_anonymous_visitor_gets_no_401_and_sessions_are_still_found(
    live_server_url: str, new_context: Any, make_user: Any
) -> None:
    base = live_server_url
    make_user("observer", username="olive", display_name="Olive Observer")
    page = new_context().new_page()
    errors, refused = _listen(page)
    page.goto(base + "/")
    _started(page)
    page.wait_for_selector("#login-form")
    page.goto(base + "/capture")  # a deep link, signed out
    _started(page)
    page.wait_for_selector("#login-form")
    assert refused == [] and errors == [], (refused, errors)

    login(page, base, "olive", PASSWORD)
    page.reload()
    _started(page)
    page.wait_for_selector("#logout")
    # A device that remembers no one while the server's session lives (a single sign-on return).
    page.evaluate("localStorage.clear()")
    page.reload()
    _started(page)
    page.wait_for_selector("#logout")
    assert "Olive Observer" in page.inner_text("#who")
    assert refused == [] and errors == [], (refused, errors)
