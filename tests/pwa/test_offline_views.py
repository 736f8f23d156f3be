"""In Chromium: offline, or with the server not answering, every main view says so and what still
works (never "Failed to fetch" or "no screens yet"), and opens by itself once the server answers."""

from __future__ import annotations

from typing import Any

import pytest

from feedback.models import CodesignSession
from tests.factories import PASSWORD
from tests.pwa.conftest import PHONE, TABLET, login
from tests.pwa.test_live_session import _api_session

pytestmark = pytest.mark.browser

NEEDS_SERVER = [
    "/facilitate",
    "/evidence",
    "/backlog",
    "/dashboard",
    "/units",
    "/tools",
]
WRONG_WORDS = ("Failed to fetch", "no screens yet", "No tools yet", "No units yet", "NetworkError")


def go(page: Any, path: str) -> None:
    """Client-side navigation, as the app's own links do (the shell stays loaded offline)."""
    page.evaluate(
        "(p) => { history.pushState({}, '', p);"
        " window.dispatchEvent(new PopStateEvent('popstate')); }",
        path,
    )


def main_text(page: Any) -> str:
    return str(page.inner_text("main"))


def assert_says_offline(page: Any, path: str, words: str) -> None:
    page.wait_for_selector("#offline-page .offline-note")
    text = main_text(page)
    assert words in text and "What still works: Capture" in text, (path, text)
    assert not any(w.lower() in text.lower() for w in WRONG_WORDS), (path, text)


@pytest.fixture
def everyone(make_user: Any) -> Any:
    return make_user("observer", "product_owner", "admin", username="ada")


def test_offline_every_view_that_needs_the_server_says_so_and_reopens(
    live_server_url: str, watched: Any, everyone: Any
) -> None:
    session = _api_session(everyone)
    paths = [*NEEDS_SERVER, f"/facilitate/{session['id']}", f"/sessions/{session['id']}"]
    CodesignSession.objects.filter(pk=session["id"]).update(state=CodesignSession.ENDED)
    page = watched(TABLET)
    login(page, live_server_url, "ada", PASSWORD)
    page.context.set_offline(True)
    page.wait_for_selector("#net[data-state=offline]")
    for path in paths:
        go(page, path)
        assert_says_offline(page, path, "You are offline.")
    go(page, "/")
    page.wait_for_selector("#home-offline")
    assert "Capture still works" in page.inner_text("#home-offline")
    go(page, "/join")
    page.wait_for_selector("#join-offline:not([hidden])")
    go(page, "/admin/lifecycle")  # the admin area keeps its tabs and says it itself
    assert "Capture still works" in page.wait_for_selector("#admin-offline").inner_text()
    go(page, "/capture")
    page.wait_for_selector("#description")
    assert "saving still works" in main_text(page)

    go(page, "/backlog")
    page.wait_for_selector("#offline-page")
    page.context.set_offline(False)  # back online: the page opens by itself
    page.wait_for_selector("#backlog-list", state="attached", timeout=20000)
    assert page.locator("#offline-page").count() == 0


def test_server_not_answering_is_said_so_and_a_loaded_page_warns(
    live_server_url: str, watched: Any, everyone: Any
) -> None:
    page = watched(TABLET)
    login(page, live_server_url, "ada", PASSWORD)
    go(page, "/backlog")
    page.wait_for_selector("#backlog-list", state="attached")
    page.route("**/api/**", lambda route: route.abort())  # wifi up, Rounds gone
    page.evaluate("() => window.dispatchEvent(new Event('online'))")  # makes the app probe
    page.wait_for_selector("#net[data-state=unreachable]")
    note = page.wait_for_selector("#net-note")
    assert "not answering" in note.inner_text() and "Capture still works" in note.inner_text()
    assert page.locator("#backlog-list").count() == 1  # what was loaded stays readable
    for path in ("/dashboard", "/facilitate"):
        go(page, path)
        assert_says_offline(page, path, "The Rounds server is not answering.")
    page.unroute("**/api/**")
    page.wait_for_selector("#net[data-state=online]", timeout=30000)  # the probe's back-off
    page.wait_for_selector("#s-tool", state="attached", timeout=20000)
    assert page.locator("#offline-page, #net-note").count() == 0


def test_phone_top_bar_shows_every_pill_whole_offline_with_items_waiting(
    live_server_url: str, watched: Any, everyone: Any
) -> None:
    page = watched(PHONE)
    login(page, live_server_url, "ada", PASSWORD)
    page.context.set_offline(True)
    page.wait_for_selector("#net[data-state=offline]")
    # The pills shown with items waiting and persistent storage refused (tablet.js, sync.js).
    page.evaluate(
        """() => { const status = document.querySelector('.topbar .status');
          let note = document.getElementById('storage-note');
          if (!note) { note = document.createElement('span'); note.id = 'storage-note';
            note.className = 'pill warn'; status.prepend(note); }
          note.textContent = 'Sync before closing'; note.hidden = false;
          const n = document.getElementById('unsynced');
          n.textContent = '12 unsynced'; n.hidden = false; }"""
    )
    cut = page.evaluate(
        """() => [...document.querySelectorAll('.topbar .status .pill, #logout')]
          .filter((el) => el.scrollWidth > el.clientWidth + 1
            || el.getBoundingClientRect().height > 50
            || el.getBoundingClientRect().right > document.documentElement.clientWidth)
          .map((el) => el.id || el.textContent)"""
    )
    assert cut == [], f"cut off or wrapped in the phone top bar: {cut}"
