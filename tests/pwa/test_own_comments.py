"""In Chromium: in a live session a participant sees their own comment listed as soon as it is
sent, and again after a reload, while results are hidden; other participants' comments stay hidden
until the facilitator reveals results, and one's own is never listed twice."""

from __future__ import annotations

from typing import Any

import pytest

from feedback.models import Participant
from feedback.services import sessions as session_svc
from tests.factories import PASSWORD
from tests.pwa.conftest import PHONE, login, screenshot
from tests.pwa.test_live_session import _api_session, _text_is, tap_screen

pytestmark = pytest.mark.browser

MINE = "Banner hides the lactate trend"
THEIRS = "Too many alerts on nights"


def _participant(base: str, watched: Any, username: str, code: str) -> Any:
    page = watched(PHONE)
    login(page, base, username, PASSWORD)
    page.goto(f"{base}/join/{code}")
    page.wait_for_selector("#rate-view:not([hidden])")
    return page


def _rate_with_comment(page: Any, comment: str) -> None:
    page.click("fieldset[data-dimension=usefulness] button[data-score='2']")
    page.fill("#rate-comment", comment)
    page.click("#rate-submit")
    _text_is(page, "#rate-status", "Sent ✓")


def _listed(page: Any, selector: str) -> list[str]:
    return [t.strip() for t in page.locator(selector).all_inner_texts()]


def test_participant_sees_own_comment_before_results_and_never_others_hidden_ones(
    live_server_url: str, watched: Any, make_user: Any
) -> None:
    base = live_server_url
    owner = make_user("product_owner", username="fran")
    make_user("clinician", username="nina")
    make_user("clinician", username="phil")
    session = _api_session(owner)
    host = Participant.objects.get(session_id=session["id"], is_facilitator=True)
    session_svc.session_show_screen(participant=host, screen_id=session["screens"][0]["id"])

    nina = _participant(base, watched, "nina", session["code"])
    phil = _participant(base, watched, "phil", session["code"])
    _rate_with_comment(nina, MINE)
    nina.wait_for_selector("#my-notes:not([hidden])")
    assert _listed(nina, "#my-comments li") == [MINE]
    assert nina.is_hidden("#results")
    screenshot(nina, "join-own-comment-phone")

    _rate_with_comment(phil, THEIRS)
    assert _listed(phil, "#my-comments li") == [THEIRS]
    nina.reload()  # the state frame brings her own comments back, and only hers
    nina.wait_for_selector("#my-notes:not([hidden])")
    nina.wait_for_timeout(500)
    assert _listed(nina, "#my-comments li") == [MINE]
    assert THEIRS not in nina.inner_text("main")

    # Revealed: Phil's next comment reaches Nina under the results; hers is not repeated there.
    fac = watched()
    login(fac, base, "fran", PASSWORD)
    fac.goto(f"{base}/facilitate/{session['id']}")
    fac.wait_for_selector("#c-status[data-state=live]")
    fac.click("#c-reveal")
    nina.wait_for_selector("#results:not([hidden])")
    phil.fill("#rate-comment", "Put the score next to the vitals")
    phil.click("#rate-submit")
    nina.wait_for_function(
        "document.querySelector('#room-comments').textContent.includes('next to the vitals')"
    )
    assert MINE not in nina.inner_text("#room-comments")
    assert _listed(nina, "#my-comments li") == [MINE]


def test_own_comment_is_listed_as_stored_with_the_name_hidden_and_says_so(
    live_server_url: str, watched: Any, make_user: Any
) -> None:
    """A clinician who types a patient's name sees at once what was stored (the name hidden) and
    is told so: before, the page listed the words as typed until a reload."""
    base = live_server_url
    session = _api_session(make_user("product_owner", username="fran"))
    make_user("clinician", username="nina")
    host = Participant.objects.get(session_id=session["id"], is_facilitator=True)
    session_svc.session_show_screen(participant=host, screen_id=session["screens"][0]["id"])
    nina = _participant(base, watched, "nina", session["code"])

    nina.click("fieldset[data-dimension=usefulness] button[data-score='2']")
    nina.fill("#rate-comment", "Maria Lopez could not find the banner")
    nina.click("#rate-submit")
    _text_is(
        nina, "#rate-status", "Sent ✓ Names and numbers in it were hidden before it was stored."
    )
    assert _listed(nina, "#my-comments li") == ["[REDACTED-NAME] could not find the banner"]
    assert "Maria" not in nina.inner_text("main")
    screenshot(nina, "join-own-comment-masked-phone")


def test_a_sent_pinned_comment_keeps_its_lettered_pin_on_the_screen_after_a_reload(
    live_server_url: str, watched: Any, make_user: Any
) -> None:
    """The walk found the participant's pin gone once the rating was sent ("No pin placed"), while
    the facilitator saw it: the pin stays, lettered like its line under "Your comments" (letters,
    because the console numbers everyone's pins and "pin 3" must name one pin)."""
    base = live_server_url
    owner = make_user("product_owner", username="fran")
    make_user("clinician", username="nina")
    session = _api_session(owner)
    host = Participant.objects.get(session_id=session["id"], is_facilitator=True)
    session_svc.session_show_screen(participant=host, screen_id=session["screens"][0]["id"])
    nina = _participant(base, watched, "nina", session["code"])
    tap_screen(nina, (0.25, 0.4))
    _rate_with_comment(nina, MINE)
    nina.wait_for_selector("#my-notes:not([hidden])")
    for attempt in ("sent", "reloaded"):
        nina.wait_for_selector("#sent-pins .pin-dot")
        dots = nina.locator("#sent-pins .pin-dot")
        assert dots.count() == 1, attempt
        left, top = dots.first.evaluate("d => [d.style.left, d.style.top]")
        left, top = float(left.rstrip("%")), float(top.rstrip("%"))
        assert abs(left - 25) < 2 and abs(top - 40) < 2, (attempt, left, top)
        assert dots.first.inner_text() == "A"  # lettered: the console numbers everyone's pins
        assert _listed(nina, "#my-comments li") == [f"A {MINE}"], attempt
        assert nina.is_hidden("#my-pin"), "the draft pin is cleared: the next comment starts fresh"
        pin_state = nina.inner_text("#pin-state")
        assert pin_state == "No new pin placed. The lettered pins are the ones you sent."
        if attempt == "sent":
            screenshot(nina, "join-sent-pin-phone")
            nina.reload()
            nina.wait_for_selector("#my-notes:not([hidden])")
