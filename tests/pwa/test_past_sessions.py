"""In Chromium: a facilitator's sessions from any device, readable results, and what a session's
end tells the people who joined it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from feedback.models import CodesignSession
from feedback.services import sessions as svc
from tests.factories import ToolFactory
from tests.factories_sessions import join, make_session, screen_ids
from tests.pwa.conftest import screenshot
from tests.pwa.test_live_session import _clinician as _signed_in  # any role: a page signed in
from tests.pwa.test_live_session import _start_session, _text_is, in_fake_room

pytestmark = pytest.mark.browser


def _end(session_id: int) -> None:
    CodesignSession.objects.filter(pk=session_id).update(
        state=CodesignSession.ENDED, ended_at=timezone.now()
    )


def test_a_facilitator_finds_their_sessions_in_a_fresh_browser(
    live_server_url: str, new_context: Any, make_user: Any, tmp_path: Path
) -> None:
    base = live_server_url
    omar = make_user("observer", username="omar")
    make_user("product_owner", username="fran")
    ToolFactory(name="Sepsis early warning")
    earlier = make_session(omar, title="Discharge huddle")
    _end(earlier.pk)

    first = _signed_in(base, new_context, "omar")
    code = _start_session(base, first, tmp_path)
    live_id = int(first.url.rstrip("/").rsplit("/", 1)[1])

    # Another device: nothing in its storage.
    other = _signed_in(base, new_context, "omar")
    other.click("#nav a[data-area=facilitate]")
    other.wait_for_selector("#recent:not([hidden]) li")
    screenshot(other, "facilitate-your-sessions")
    links = other.eval_on_selector_all(
        "#recent li a", "as => as.map(a => [a.textContent, a.getAttribute('href')])"
    )
    assert links == [
        ["4 West huddle", f"/facilitate/{live_id}"],  # live: the console
        ["Discharge huddle", f"/sessions/{earlier.pk}"],  # ended: its results
    ]
    other.click(f"#recent a[href='/facilitate/{live_id}']")
    _text_is(other, "#c-code", code)
    other.go_back()
    other.click(f"#recent a[href='/sessions/{earlier.pk}']")
    other.wait_for_selector("#results-view")

    # A product owner may read every session, but her list holds only the ones she ran.
    fran = _signed_in(base, new_context, "fran")
    fran.click("#nav a[data-area=facilitate]")
    fran.wait_for_selector("#session-form")
    fran.wait_for_load_state("networkidle")
    assert fran.locator("#recent li").count() == 0 and fran.is_hidden("#recent")


def test_the_list_falls_back_to_this_devices_sessions_when_the_server_does_not_answer(
    live_server_url: str, new_context: Any, make_user: Any
) -> None:
    make_user("observer", username="omar")
    page = _signed_in(live_server_url, new_context, "omar")
    me = page.evaluate("fetch('/api/me/').then(r => r.json())")
    page.evaluate(
        "([k, v]) => localStorage.setItem(k, v)",
        [f"rounds.sessions.{me['id']}", '[{"id": 41, "code": "ACD346", "title": "Kept here"}]'],
    )
    page.route("**/api/sessions/?*", lambda route: route.abort())
    page.click("#nav a[data-area=facilitate]")
    page.wait_for_selector("#recent:not([hidden]) li")
    assert page.get_attribute("#recent li a", "href") == "/facilitate/41"
    assert "ACD346" in page.inner_text("#recent li")


def test_counts_above_the_histogram_bars_are_readable(
    live_server_url: str, new_context: Any, make_user: Any
) -> None:
    fran = make_user("product_owner", username="fran")
    session = make_session(fran, screens=1)
    screen = screen_ids(session)[0]
    for i in range(3):
        who = join(session, make_user("clinician", username=f"nurse{i}"))
        svc.rating_submit(participant=who, screen_id=screen, scores={"trust": 4, "clarity": 2})
    _end(session.pk)

    page = _signed_in(live_server_url, new_context, "fran")
    page.goto(f"{live_server_url}/sessions/{session.pk}")
    page.wait_for_selector("#results-view .res-bar")
    screenshot(page, "results-histogram-counts")
    bars = page.eval_on_selector_all(
        "#results-view .res-bar",
        """bars => bars.map(b => {
          const n = b.querySelector('.res-n').getBoundingClientRect();
          const fill = b.querySelector('.res-fill').getBoundingClientRect();
          const box = b.getBoundingClientRect();
          return {text: b.querySelector('.res-n').textContent, nBottom: n.bottom, nTop: n.top,
                  fillTop: fill.top, boxTop: box.top, fillHeight: fill.height};
        })""",
    )
    full = [b for b in bars if b["text"] == "3"]
    assert full and all(b["fillHeight"] > 30 for b in full)
    for bar in bars:  # above its fill, inside the light track, never on the dark fill
        assert bar["nBottom"] <= bar["fillTop"] + 0.5, bar
        assert bar["nTop"] >= bar["boxTop"] - 0.5, bar


def test_who_never_rated_is_thanked_for_joining_and_who_rated_for_their_ratings(
    live_server_url: str, new_context: Any, make_user: Any
) -> None:
    page, room = in_fake_room(live_server_url, new_context, make_user)
    room.push({"type": "ended", "collect_sus": False})
    page.wait_for_selector("#room-ended:not([hidden])")
    assert page.inner_text("#room-thanks") == "Thank you for joining."

    page.goto(f"{live_server_url}/join/abc234")
    page.wait_for_selector("#room-status[data-state=live]")
    room.push({"type": "screen", "screen": room.screen})
    page.wait_for_selector("#rate-view:not([hidden])")
    page.click("fieldset[data-dimension=trust] button[data-score='4']")
    page.click("#rate-submit")
    _text_is(page, "#rate-status", "Sent ✓")
    room.push({"type": "ended", "collect_sus": False})
    page.wait_for_selector("#room-ended:not([hidden])")
    assert page.inner_text("#room-thanks") == "Thank you for your ratings."


def test_the_link_of_an_ended_session_says_it_has_ended(
    live_server_url: str, new_context: Any, make_user: Any
) -> None:
    session = make_session()
    _end(session.pk)
    make_user("clinician", username="nina")
    page = _signed_in(live_server_url, new_context, "nina")
    page.goto(f"{live_server_url}/join/{session.code}")
    page.wait_for_selector("#join-error:not(:empty)")
    assert page.inner_text("#join-error") == "This session has ended."


def test_results_without_a_session_number_point_to_your_sessions(
    live_server_url: str, new_context: Any, make_user: Any
) -> None:
    """`/sessions` typed without a number asked the API for session "NaN" twice, then said
    "Results unavailable" (second walk); it now points to the list of your sessions."""
    make_user("observer", username="omar")
    page = _signed_in(live_server_url, new_context, "omar")
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url) if "/api/sessions/" in r.url else None)
    page.goto(f"{live_server_url}/sessions")
    page.click("#to-facilitate")
    page.wait_for_selector("#session-form")
    assert not [url for url in asked if "NaN" in url], asked
