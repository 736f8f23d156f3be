"""In Chromium: a guest opens the QR link and rates, only if guests are allowed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from feedback.models import CodesignSession, Rating
from tests.factories import PASSWORD, ToolFactory
from tests.imagedata import screen_png
from tests.pwa.conftest import login
from tests.pwa.test_live_session import ALL_FOUR, _rate, _start_session

pytestmark = pytest.mark.browser


def _allowing_guests(route: Any) -> None:
    """Checks what the form sends: the session is created with the checkbox the facilitator set."""
    body = route.request.post_data_json
    assert body["allow_guests"] is True, body
    route.continue_()


def _start_session_with_guests(base: str, page: Any, tmp_path: Path) -> str:
    image = tmp_path / "alert-banner.png"
    image.write_bytes(screen_png(400, 300))
    page.select_option("#s-tool", label="Sepsis early warning")
    page.set_input_files("#up-image", str(image))
    page.fill("#up-title", "Alert banner")
    page.click("#up-submit")
    page.wait_for_selector("#screen-picks input:checked")
    page.fill("#s-title", "Night huddle")
    page.check("#s-guests")
    page.click("#s-create")
    page.wait_for_selector("#c-code:not(:empty)")
    page.wait_for_selector("#c-status[data-state=live]")
    return str(page.inner_text("#c-code")).strip()


def test_guest_joins_by_qr_link_and_rates_when_allowed(
    live_server_url: str, new_context: Any, make_user: Any, tmp_path: Path
) -> None:
    make_user("product_owner", username="fran", display_name="Fran Facilitator")
    ToolFactory(name="Sepsis early warning")
    fac = new_context().new_page()
    login(fac, live_server_url, "fran", PASSWORD)
    fac.route("**/api/sessions/", _allowing_guests)
    fac.click("#nav a[data-area=facilitate]")
    fac.wait_for_selector("#s-guests")
    code = _start_session_with_guests(live_server_url, fac, tmp_path)
    fac.click("#c-picker button")

    guest = new_context().new_page()
    guest.goto(f"{live_server_url}/join/{code}")
    guest.wait_for_selector("#guest-form")
    assert guest.locator("#login-form").count() == 0
    guest.fill("#guest-name", "Float pool RN")
    guest.click("#guest-join")
    guest.wait_for_selector("#rate-view:not([hidden])")
    _rate(guest, (0.5, 0.5), ALL_FOUR, "Hard to read on a phone")

    session = CodesignSession.objects.get(code=code, state="open")
    rating = Rating.objects.get(session=session)
    assert rating.participant.user is None and rating.participant.display_name == "Float pool RN"


def test_guest_is_told_to_sign_in_when_guests_are_not_allowed(
    live_server_url: str, new_context: Any, make_user: Any, tmp_path: Path
) -> None:
    make_user("product_owner", username="fran", display_name="Fran Facilitator")
    ToolFactory(name="Sepsis early warning")
    fac = new_context().new_page()
    login(fac, live_server_url, "fran", PASSWORD)
    code = _start_session(live_server_url, fac, tmp_path)

    guest = new_context().new_page()
    guest.goto(f"{live_server_url}/join/{code}")
    guest.fill("#guest-name", "Visitor")
    guest.click("#guest-join")
    guest.wait_for_selector("#join-error:has-text('signed-in staff')")
    assert not CodesignSession.objects.get(code=code).participants.filter(user=None).exists()
