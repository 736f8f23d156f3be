"""In Chromium: the facilitator shows the join code and QR full screen for a huddle room; Escape
or Close brings the console back."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import PASSWORD
from tests.pwa.conftest import SCREENS, VIEWPORTS, axe_violations, login
from tests.pwa.test_live_session import _api_session

pytestmark = pytest.mark.browser


def test_join_code_and_qr_fill_the_screen_and_escape_returns(
    live_server_url: str, watched: Any, make_user: Any
) -> None:
    session = _api_session(make_user("product_owner", username="fran"))
    for name, viewport in VIEWPORTS.items():
        page = watched(viewport)
        login(page, live_server_url, "fran", PASSWORD)
        page.goto(f"{live_server_url}/facilitate/{session['id']}")
        page.wait_for_selector("#c-status[data-state=live]")
        for close in ("Escape", "button"):
            page.click("#c-fullscreen")
            page.wait_for_selector("#fs-code[open]")
            page.wait_for_function("() => document.querySelector('#fs-code .fs-code-qr').complete")
            assert page.inner_text("#fs-code-value") == session["code"]
            qr = page.locator("#fs-code .fs-code-qr").bounding_box()
            short_side = min(viewport["width"], viewport["height"])
            assert qr is not None and qr["width"] >= 0.6 * short_side, (name, qr)
            assert qr["y"] + qr["height"] <= viewport["height"]  # all of it on the screen
            code = page.locator("#fs-code-value").bounding_box()
            assert code is not None and code["height"] >= 48  # readable across the room
            if close == "Escape":
                assert axe_violations(page) == []
                SCREENS.mkdir(parents=True, exist_ok=True)  # what the room sees: the viewport
                page.screenshot(path=str(SCREENS / f"facilitate-room-code-{name}.png"))
                page.keyboard.press("Escape")
            else:
                page.click("#fs-code-close")
            page.wait_for_selector("#fs-code", state="detached")
            assert page.evaluate("() => document.activeElement.id") == "c-fullscreen"
            assert page.is_visible("#c-picker")
        page.close()
