"""In Chromium, the way a ward tablet reaches `HOST=0.0.0.0 make run`: plain HTTP at a LAN name,
which browsers do not count as a secure context (no WebCrypto, no service worker). Capture still
saves and syncs, says what it cannot do there, and writes nothing to the device's storage."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from feedback.models import Observation
from tests.conftest import need
from tests.factories import PASSWORD, UnitFactory, WorkflowFactory
from tests.live import launch, process_env, stop
from tests.pwa.conftest import ARGS, CHROMIUM, PageErrors, login

pytestmark = pytest.mark.browser
LAN_NAME = "ward-pilot.test"  # resolved to 127.0.0.1 by this browser only


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """This module's Chromium resolves LAN_NAME to this machine (what a ward's DNS would do)."""
    need(bool(shutil.which(CHROMIUM)), f"Chromium not found at {CHROMIUM}")
    # Playwright's sync API runs an event loop in this thread; the ORM calls in tests are safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        rules = f"--host-resolver-rules=MAP {LAN_NAME} 127.0.0.1"
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=[*ARGS, rules], headless=True)
        yield chromium
        chromium.close()


def test_capture_over_plain_http_saves_and_syncs_from_memory(
    transactional_db: Any, tmp_path: Path, new_context: Any, make_user: Any
) -> None:
    make_user("observer", username="oscar")
    unit, workflow = UnitFactory(name="4 West"), WorkflowFactory(name="medication reconciliation")
    env = process_env({"ALLOWED_HOSTS": f"127.0.0.1,localhost,{LAN_NAME}"})
    proc, port = launch(env, tmp_path / "daphne.log")
    try:
        page = new_context().new_page()
        errors = PageErrors(page)
        login(page, f"http://{LAN_NAME}:{port}", "oscar", PASSWORD)
        assert page.evaluate("() => window.isSecureContext") is False
        page.click("#nav a[data-area='capture']")
        page.wait_for_selector(f"#unit option[value='{unit.id}']", state="attached")
        assert "plain HTTP" in page.inner_text("#capture-memory")
        page.select_option("#unit", str(unit.id))
        page.select_option("#workflow", str(workflow.id))
        page.fill("#description", "Pump library update not on the ward tablets")
        page.click("label[for='severity-2']")
        page.click("#save")
        page.wait_for_selector("#synced-list li >> text=Pump library update", timeout=20000)
        assert Observation.objects.filter(description__startswith="Pump library").count() == 1
        stored = page.evaluate(
            "async () => (await indexedDB.databases()).map((d) => d.name)"
            ".filter((n) => n.startsWith('rounds-capture'))"
        )
        assert stored == []  # nothing written to the device

        page.context.set_offline(True)  # an item that cannot sync yet: signing out warns
        page.fill("#description", "Label printer offline at the nurses' station")
        page.click("label[for='severity-1']")
        page.click("#save")
        page.wait_for_selector("#queue-list li[data-client-id]")
        page.click("#logout")
        dialog = page.wait_for_selector("dialog#logout-confirm[open]")
        assert "this page only" in dialog.inner_text()
        page.click("#logout-confirm-no")
        page.context.set_offline(False)  # back online: it syncs by itself
        page.wait_for_selector("#synced-list li >> text=Label printer offline", timeout=30000)
        errors.check()
    finally:
        stop(proc)
