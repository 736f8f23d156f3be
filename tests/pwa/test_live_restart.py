"""In Chromium: a participant's page survives its Daphne process being killed and started again,
without the user touching it: it reconnects by itself, resumes from `state`, and a rating made
while the server was down is sent once it is back (stored once)."""

from __future__ import annotations

import signal
from pathlib import Path
from typing import Any

import pytest

from feedback.models import Rating, Screen
from feedback.services import sessions as svc
from tests.factories import PASSWORD
from tests.factories_sessions import join, make_session, screen_ids
from tests.live import launch, process_env, stop
from tests.pwa.conftest import login

pytestmark = pytest.mark.browser
SOCKET_MODULE = "document.querySelector('script[type=module]').src.replace('app.js', 'socket.js')"


def test_participant_page_survives_its_daphne_being_killed_and_restarted(
    transactional_db: Any, new_context: Any, make_user: Any, tmp_path: Path
) -> None:
    nina = make_user("clinician", username="nina")
    session = make_session()
    first, second = screen_ids(session)
    lead = join(session, session.facilitator)
    svc.session_show_screen(participant=lead, screen_id=first)
    env = process_env()
    proc, port = launch(env, tmp_path / "before.log")
    base = f"http://127.0.0.1:{port}"
    try:
        page = new_context().new_page()
        login(page, base, "nina", PASSWORD)
        page.goto(f"{base}/join/{session.code}")
        page.wait_for_selector("#room-status[data-state=live]")
        page.wait_for_selector("#rate-view:not([hidden])")
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        page.wait_for_selector("#room-status[data-state=reconnecting]")
        # While the server is down: the facilitator moves on, and Nina rates the first screen.
        svc.session_show_screen(participant=lead, screen_id=second)
        page.click("fieldset[data-dimension=usefulness] button[data-score='4']")
        page.click("#rate-submit")
        proc, _ = launch(env, tmp_path / "after.log", port=port)
        page.wait_for_selector("#room-status[data-state=live]", timeout=30000)
        page.wait_for_function(
            "() => document.querySelector('#rate-status').textContent === 'Sent ✓'"
        )
        connects = page.evaluate(
            f"async () => {{ const m = await import({SOCKET_MODULE});"
            " return [...m.active][0].connects; }"
        )
        assert connects >= 2  # the same page, reconnected by itself
        image = Screen.objects.get(pk=second).image.name
        page.wait_for_function(
            "(name) => document.querySelector('#screen-img').src.endsWith(name)", arg=image
        )  # resumed from `state`: the screen shown meanwhile
    finally:
        stop(proc)
    rated = Rating.objects.filter(session=session, participant__user=nina)
    assert [(r.screen_id, r.scores) for r in rated] == [(first, {"usefulness": 4})]
