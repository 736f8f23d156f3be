"""In Chromium: Capture's "Synced" list keeps each item's status and severity whole on one line,
with a long description wrapping beside them on a tablet (not dropping below and leaving
"Severity 4" alone on its line), and under them on a phone."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import PASSWORD, UnitFactory, WorkflowFactory
from tests.factories_capture import ObservationFactory
from tests.pwa.conftest import PHONE, TABLET, TABLET_PORTRAIT, login, screenshot

pytestmark = pytest.mark.browser

LONG = (
    "Anticoagulant appeared on both the home list and the inpatient list after a transfer from "
    "the emergency department, and nobody could tell which one was current"
)

# Per synced item: how many lines its severity tag and status pill take, and where the
# description starts relative to the severity tag.
GEOMETRY = """() => [...document.querySelectorAll('#synced-list .obs-item')].map((li) => {
  const lines = (el) => { const r = document.createRange(); r.selectNodeContents(el);
    return new Set([...r.getClientRects()].map((b) => Math.round(b.top))).size; };
  const sev = li.querySelector('.sev-tag'), desc = li.querySelector('.desc');
  const s = sev.getBoundingClientRect(), d = desc.getBoundingClientRect();
  return {sev: sev.textContent, sevLines: lines(sev),
    pillLines: lines(li.querySelector('.status-pill')),
    descBeside: Math.abs(d.top - s.top) < 8 && d.left >= s.right,
    descBelow: d.top >= s.bottom - 1};
})"""


@pytest.mark.parametrize(
    "viewport", [TABLET, TABLET_PORTRAIT, PHONE], ids=["landscape", "portrait", "phone"]
)
def test_synced_items_keep_severity_on_one_line(
    live_server_url: str, watched: Any, make_user: Any, viewport: dict[str, int]
) -> None:
    olive = make_user("observer", username="olive")
    for severity in (3, 4):
        ObservationFactory(observer=olive, severity=severity, description=LONG)
    ObservationFactory(observer=olive, severity=2, description="Printer jams at discharge")
    page = watched(viewport)
    login(page, live_server_url, "olive", PASSWORD)
    page.goto(live_server_url + "/capture")
    page.wait_for_function("document.querySelectorAll('#synced-list .obs-item').length === 3")
    items = page.evaluate(GEOMETRY)
    screenshot(page, f"capture-synced-{viewport['width']}")
    phone = viewport is PHONE
    for item in items:
        assert item["sevLines"] == 1 and item["pillLines"] == 1, item
        assert item["descBelow"] if phone else item["descBeside"], item


def test_the_saved_note_goes_once_the_status_line_says_the_item_is_stored(
    live_server_url: str, watched: Any, make_user: Any
) -> None:
    """On a phone the "Saved. Syncing…" note sits over the first synced item; the walk found it
    still up after the status line said "Last sync: 1 stored". It goes when the sync answers."""
    make_user("observer", username="olive")
    unit, workflow = UnitFactory(name="4 West"), WorkflowFactory(name="med pass")
    page = watched(PHONE)
    login(page, live_server_url, "olive", PASSWORD)
    page.goto(live_server_url + "/capture")
    page.select_option("#unit", str(unit.pk))
    page.select_option("#workflow", str(workflow.pk))
    page.fill("#description", "Barcode scanner beeps twice for one scan")
    page.click("label[for='severity-2']")
    page.click("#save")
    page.wait_for_function(
        "document.querySelector('#sync-status').textContent.startsWith('Last sync: 1 stored')"
    )
    # Same task as the status line: hidden at once, not after its 4 s.
    assert page.evaluate("document.getElementById('toast').hidden"), page.inner_text("#toast")
    page.wait_for_selector("#synced-list .obs-item")
