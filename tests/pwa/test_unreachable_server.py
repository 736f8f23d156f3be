"""In Chromium, against a real server that is stopped and started again: an observer captures while
the server is down (wifi up), the pill says the server is unreachable, and the queue syncs by
itself once the server is back (a reachability probe with back-off, no tap)."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest

from feedback.models import Observation
from tests.factories import PASSWORD, UnitFactory, WorkflowFactory
from tests.live import launch, process_env, stop
from tests.pwa.conftest import VIEWPORTS, axe_violations, login, screenshot, small_targets
from tests.pwa.test_offline_capture import wait_for_service_worker

pytestmark = pytest.mark.browser


def _capture(page: Any, unit: int, workflow: int, text: str) -> None:
    page.select_option("#unit", str(unit))
    page.select_option("#workflow", str(workflow))
    page.fill("#description", text)
    page.click("label[for='severity-2']")
    before = page.locator("#queue-list li[data-client-id]").count()
    page.click("#save")
    page.wait_for_function(
        f"document.querySelectorAll('#queue-list li[data-client-id]').length === {before + 1}"
    )


@pytest.mark.parametrize("size", ["tablet", "portrait", "phone"])
def test_capture_while_the_server_is_down_syncs_by_itself_when_it_is_back(
    transactional_db: Any, tmp_path: Path, watched: Any, make_user: Any, size: str
) -> None:
    make_user("observer", username="oscar", display_name="Oscar Observer")
    unit, workflow = UnitFactory(name="4 West"), WorkflowFactory(name="medication reconciliation")
    env = process_env()
    proc, port = launch(env, tmp_path / "daphne-1.log")
    base = f"http://127.0.0.1:{port}"
    try:
        page = watched(VIEWPORTS[size])
        login(page, base, "oscar", PASSWORD)
        page.click("#nav a[data-area='capture']")
        page.wait_for_selector(f"#unit option[value='{unit.id}']", state="attached")
        wait_for_service_worker(page)
        assert axe_violations(page) == []
        controls = "#capture-form button, #capture-form label.choice, #capture-form select"
        assert small_targets(page, controls) == []
        screenshot(page, f"capture-{size}")

        stop(proc)  # the server goes away; the browser's network stays up
        text = f"Scanner drops the wristband read {uuid.uuid4().hex[:4]}"
        _capture(page, unit.id, workflow.id, text)
        page.wait_for_function("document.querySelector('#net').dataset.state === 'unreachable'")
        assert page.inner_text("#net") == "server unreachable"
        assert "not answering" in page.inner_text("#capture-net")
        assert page.inner_text("#capture-unsynced") == "1"
        # The row's reason is written when the failed attempt is recorded, which can land a
        # moment after the header's state flips: wait for it rather than read it at once.
        page.wait_for_function(
            "(document.querySelector('#queue-list li[data-client-id] .reason')"
            " || {}).textContent?.length > 0",
            timeout=10000,
        )
        reason = page.inner_text("#queue-list li[data-client-id] .reason")
        assert "retrying by itself" in reason, reason
        screenshot(page, f"capture-unreachable-{size}")
        assert Observation.objects.count() == 0

        proc, _ = launch(env, tmp_path / "daphne-2.log", port=port)  # back, same address
        # No tap: the probe finds the server and the queue flushes (back-off capped at 15 s).
        page.wait_for_function(
            "document.querySelector('#capture-unsynced').textContent === '0'", timeout=40000
        )
        assert page.inner_text("#net") == "online"
        assert Observation.objects.count() == 1
    finally:
        stop(proc)
