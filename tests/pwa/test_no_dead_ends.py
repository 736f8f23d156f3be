"""In Chromium: hidden things stay hidden, leaving a view never errors, Join from inside a session
keeps the unsent rating, a QR code survives signing in, and sign-out warns about unsynced items."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from feedback.models import CodesignSession, Participant
from feedback.services import sessions as session_svc
from tests.factories import PASSWORD, UnitFactory, WorkflowFactory
from tests.pwa.conftest import PHONE, TABLET, TABLET_PORTRAIT, login, screenshot
from tests.pwa.test_live_session import _api_session, tap_screen

pytestmark = pytest.mark.browser

SHOWN_HIDDEN = (
    "() => [...document.querySelectorAll('[hidden]')]"
    ".filter((el) => getComputedStyle(el).display !== 'none').map((el) => el.id || el.className)"
)


def _rating_page(base: str, watched: Any, make_user: Any, viewport: dict[str, int]) -> Any:
    """A session showing its first screen, and Nina's page in it, ready to rate."""
    session = _api_session(make_user("product_owner", username="fran"))
    _show_first_screen(session)
    make_user("clinician", username="nina")
    page = watched(viewport)
    login(page, base, "nina", PASSWORD)
    page.goto(f"{base}/join/{session['code']}")
    page.wait_for_selector("#rate-view:not([hidden])")
    return session, page


def _show_first_screen(session: dict[str, Any]) -> None:
    host = Participant.objects.get(session_id=session["id"], is_facilitator=True)
    session_svc.session_show_screen(participant=host, screen_id=session["screens"][0]["id"])


@pytest.mark.parametrize("viewport", [TABLET, PHONE], ids=["tablet", "phone"])
def test_hidden_elements_stay_hidden_and_leaving_capture_logs_no_error(
    live_server_url: str, watched: Any, make_user: Any, viewport: dict[str, int]
) -> None:
    make_user("observer", username="oscar")
    UnitFactory(name="4 West")
    WorkflowFactory(name="medication reconciliation")
    page = watched(viewport)
    login(page, live_server_url, "oscar", PASSWORD)
    page.click("#nav a[data-area='capture']")
    page.wait_for_selector("#queue-list li")
    assert not page.is_visible("#redact-tools")  # the photo tools row, before any photo
    assert page.evaluate(SHOWN_HIDDEN) == []
    # Leave Capture from far down the page (a tap, no test-driver scrolling): Home opens at its top.
    # (Scrolled again until it holds: on a loaded machine the form may still be growing.)
    page.wait_for_function("() => { window.scrollTo(0, document.body.scrollHeight);"
                           " return window.scrollY > 0; }")  # fmt: skip
    page.evaluate("() => document.querySelector(\"#nav a[data-area='home']\").click()")
    page.wait_for_selector("#hello-name")
    page.wait_for_timeout(300)  # the notifications list lands
    assert page.evaluate("() => window.scrollY") == 0
    # Then make the events Capture listened to fire: nothing may touch its old page.
    page.evaluate(
        "() => { window.dispatchEvent(new CustomEvent('rounds:queue'));"
        " window.dispatchEvent(new CustomEvent('rounds:synced', {detail: {created: 0, duplicate: 0,"
        " conflict: 0, rejected: 0, failed: 0, photos: 0}}));"
        " window.dispatchEvent(new Event('offline')); window.dispatchEvent(new Event('online')); }"
    )
    page.wait_for_timeout(500)
    page.click("#nav a[data-area='capture']")
    page.wait_for_selector("#queue-list li")
    page.go_back()
    page.wait_for_selector("#hello-name")
    page.wait_for_timeout(300)


@pytest.mark.parametrize("viewport", [TABLET_PORTRAIT, PHONE], ids=["portrait", "phone"])
def test_join_from_inside_a_session_keeps_the_unsent_rating(
    live_server_url: str, watched: Any, make_user: Any, viewport: dict[str, int]
) -> None:
    session, page = _rating_page(live_server_url, watched, make_user, viewport)
    page.click("fieldset[data-dimension=trust] button[data-score='2']")
    page.fill("#rate-comment", "Alert hides the lactate trend")

    page.click("#nav a[data-area=join]")  # the top bar's Join, while in the session
    page.wait_for_selector("#join-form")
    assert page.is_visible("#return-room")
    assert session["code"] in page.inner_text("#return-room")

    page.click("#return-room a")
    page.wait_for_selector("#rate-view:not([hidden])")
    page.wait_for_selector("#room-status[data-state=live]")
    pressed = page.locator("fieldset[data-dimension=trust] button[aria-pressed=true]")
    assert pressed.inner_text() == "2"
    assert page.input_value("#rate-comment") == "Alert hides the lactate trend"
    page.click("#rate-submit")
    page.wait_for_function("document.querySelector('#rate-status').textContent.trim() === 'Sent ✓'")


def test_a_qr_link_followed_while_signed_out_survives_signing_in(
    live_server_url: str, watched: Any, make_user: Any
) -> None:
    session = _api_session(make_user("product_owner", username="fran"))
    make_user("clinician", username="nina")
    page = watched(TABLET)
    page.goto(f"{live_server_url}/join/{session['code']}")
    page.wait_for_selector("#guest-form")
    page.click("#guest-sign-in")
    page.wait_for_selector("#login-form")
    page.fill("#username", "nina")
    page.fill("#password", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_selector("#room-code")
    assert page.inner_text("#room-code") == session["code"]
    assert page.url.endswith(f"/join/{session['code']}")


def test_ended_session_hides_console_controls_and_opens_on_results(
    live_server_url: str, watched: Any, make_user: Any, tmp_path: Path
) -> None:
    session = _api_session(make_user("product_owner", username="fran"))
    CodesignSession.objects.filter(pk=session["id"]).update(
        state=CodesignSession.ENDED, ended_at=timezone.now()
    )
    page = watched(TABLET)
    login(page, live_server_url, "fran", PASSWORD)
    page.goto(f"{live_server_url}/facilitate/{session['id']}")
    page.wait_for_selector("#results-view")
    assert page.url.endswith(f"/sessions/{session['id']}")
    assert page.locator("#c-reveal, #c-end").count() == 0
    assert page.evaluate(SHOWN_HIDDEN) == []


def test_changing_only_the_scores_sends_no_second_comment_and_a_reload_shows_the_rating(
    live_server_url: str, watched: Any, make_user: Any
) -> None:
    from feedback.models import Comment, Rating

    session, page = _rating_page(live_server_url, watched, make_user, TABLET)
    tap_screen(page, (0.3, 0.6))
    page.click("fieldset[data-dimension=trust] button[data-score='2']")
    page.fill("#rate-comment", "Alert hides the lactate trend")
    page.click("#rate-submit")
    page.wait_for_function("document.querySelector('#rate-status').textContent.trim() === 'Sent ✓'")
    # Sent: the words are stored on their own; the box and the pin are ready for a new note.
    assert page.input_value("#rate-comment") == "" and not page.is_visible("#my-pin")

    page.click("fieldset[data-dimension=trust] button[data-score='4']")  # scores only
    page.evaluate("document.querySelector('#rate-status').textContent = ''")
    page.click("#rate-submit")
    page.wait_for_function("document.querySelector('#rate-status').textContent.trim() === 'Sent ✓'")
    assert Comment.objects.filter(session_id=session["id"]).count() == 1
    assert Rating.objects.get(session_id=session["id"]).scores["trust"] == 4

    page.reload()  # resumes where it was: the rating is shown, nothing to redo
    page.wait_for_selector("#room-status[data-state=live]")
    pressed = page.locator("fieldset[data-dimension=trust] button[aria-pressed=true]")
    assert pressed.inner_text() == "4"
    assert "You rated this screen" in page.inner_text("#rate-status")


def test_the_screen_keeps_its_place_while_its_image_is_still_arriving(
    live_server_url: str, watched: Any, make_user: Any
) -> None:
    """On slow ward wifi the screen's image arrives after the page: its box is already the screen's
    shape (nothing jumps when it lands), it says it is loading, and a tap on it pins nothing until
    the picture is there; then a tap pins where the finger was."""
    held: list[Any] = []
    session = _api_session(make_user("product_owner", username="fran"))
    _show_first_screen(session)
    make_user("clinician", username="nina")
    page = watched(TABLET)
    page.route("**/media/screens/**", lambda route: held.append(route))
    login(page, live_server_url, "nina", PASSWORD)
    page.goto(f"{live_server_url}/join/{session['code']}")
    page.wait_for_selector("#rate-view:not([hidden])")
    page.wait_for_function("() => document.querySelector('#screen-img').src !== ''")
    assert not page.evaluate("document.querySelector('#screen-img').complete")

    before = page.locator("#screen-img").bounding_box()
    assert before["height"] == pytest.approx(before["width"] * 300 / 400, abs=2)
    assert page.inner_text("#stage-loading") == "Loading the screen…"
    screenshot(page, "join-screen-loading-tablet")
    at = {"x": before["width"] * 0.25, "y": before["height"] * 0.75}
    page.locator("#screen-img").click(position=at)
    page.keyboard.press("Enter")  # the keyboard way waits for the picture too
    page.wait_for_timeout(300)
    assert page.is_hidden("#my-pin") and page.inner_text("#pin-state") == "No pin placed."

    assert held, "the screen image was never requested"
    for route in held:
        route.continue_()
    page.wait_for_selector("#stage-loading", state="hidden")
    assert page.locator("#screen-img").bounding_box() == pytest.approx(before, abs=1)
    page.locator("#screen-img").click(position=at)
    page.wait_for_selector("#my-pin:not([hidden])")
    assert "25% across, 75% down" in page.inner_text("#pin-state")
