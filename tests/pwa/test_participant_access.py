"""In Chromium: the participant view passes axe-core with no serious or critical violation, and a
participant pins a comment to a named region, rates and answers a questionnaire by keyboard only."""

from __future__ import annotations

from typing import Any

import pytest

from feedback.models import Comment, InstrumentResponse, Rating, Screen
from feedback.services import sessions as svc
from tests.factories import PASSWORD, UnitFactory, UserFactory
from tests.factories_sessions import make_session, screen_ids
from tests.pwa.conftest import login

pytestmark = pytest.mark.browser
REGIONS = [
    {"id": "dose", "label": "Suggested dose", "box": [0.1, 0.2, 0.4, 0.2]},
    {"id": "why", "label": "Why this alert fired", "box": [0.5, 0.6, 0.5, 0.4]},
]
SERIOUS = ("serious", "critical")


def axe_violations(page: Any) -> list[dict[str, Any]]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [v for v in results.response["violations"] if v.get("impact") in SERIOUS]


def tab_to(page: Any, condition: str, limit: int = 80) -> None:
    """Press Tab until `condition` (JS on document.activeElement as `el`) holds."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return {condition}; }})()"):
            return
    raise AssertionError(f"Tab never reached: {condition}")


def shown_session(facilitator: Any) -> Any:
    session = make_session(facilitator, instruments=["umux_lite", "seq"])
    first = screen_ids(session)[0]
    Screen.objects.filter(pk=first).update(regions=REGIONS)
    me = session.participants.get(is_facilitator=True)
    svc.session_show_screen(participant=me, screen_id=first)
    return session, first


def test_participant_view_has_no_serious_axe_violations_and_pins_by_keyboard(
    live_server_url, new_context, make_user
):
    facilitator = UserFactory(roles=["observer"])
    make_user("clinician", username="kim", display_name="Kim Nurse")
    UnitFactory(name="4 West")
    session, first = shown_session(facilitator)
    page = new_context().new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    login(page, live_server_url, "kim", PASSWORD)
    page.goto(f"{live_server_url}/join/{session.code}")
    page.wait_for_selector("#rate-view:not([hidden])")
    page.wait_for_selector("#questionnaires:not([hidden]) details")
    page.wait_for_selector("#seq-box:not([hidden]) form")
    page.evaluate(
        "document.querySelectorAll('#questionnaires details').forEach(d => d.open = true)"
    )
    assert axe_violations(page) == []

    # Keyboard only from here: choose the region, score every dimension 4, send.
    tab_to(page, "el.id === 'pin-region'")
    page.keyboard.press("ArrowDown")  # "Suggested dose"
    page.wait_for_function(
        "document.querySelector('#pin-state').textContent.includes('Suggested dose')"
    )
    assert page.is_visible("#region-box")
    for dimension in ("Usefulness", "Clarity", "Trust", "Workflow fit"):
        tab_to(page, f"el.getAttribute('aria-label') === '{dimension} 4 of 5'")
        page.keyboard.press("Space")
    tab_to(page, "el.id === 'rate-comment'")
    page.keyboard.type("The dose suggestion ignores renal function.")
    tab_to(page, "el.id === 'rate-submit'")
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelector('#rate-status').textContent.includes('Sent')")
    rating = Rating.objects.get(session=session)
    note = Comment.objects.get(
        session=session
    )  # a rating's pin and words are a comment of their own
    assert note.region == "dose" and (round(note.pin_x, 6), round(note.pin_y, 6)) == (0.3, 0.3)
    assert rating.scores == {"usefulness": 4, "clarity": 4, "trust": 4, "workflow_fit": 4}

    # The per-task Single Ease Question, by keyboard: arrows move within the radio group.
    tab_to(page, "el.type === 'radio' && el.name.includes('seq')")
    for _ in range(5):
        page.keyboard.press("ArrowRight")  # 1 -> 6
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "document.querySelector('#seq-box .q-status').textContent.includes('Thank you')"
    )
    seq = InstrumentResponse.objects.get(session=session, instrument="seq")
    assert seq.screen_id == first and seq.score == 6.0
    assert errors == []
