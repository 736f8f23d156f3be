"""In Chromium, a product owner's whole job without the API: pick three observations and a session
comment, see the server's similar item before making a duplicate, create the item anyway, merge
the older duplicate into it, then ship it with a resolution note."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.utils import timezone

from feedback.models import BacklogItem, Comment, Participant
from tests.conftest import token_client
from tests.factories import PASSWORD, ToolFactory, UnitFactory, WorkflowFactory
from tests.pwa.conftest import PHONE, TABLET, axe_violations, login, screenshot
from tests.pwa.test_live_session import _api_session

pytestmark = pytest.mark.browser

SCANNER = "Barcode scanner fails to read wristbands on night shift"


def _observations(observer: Any, unit: Any, workflow: Any) -> list[int]:
    api = token_client(observer)
    texts = [
        SCANNER,
        "Scanner cannot read the wristband in low light, nurse types the MRN by hand",
        "Wristband scan fails after the label gets wet, had to rescan three times",
        "Printer jams at discharge",  # not picked
    ]
    ids = []
    for i, text in enumerate(texts):
        body = {
            "client_id": str(uuid.uuid4()),
            "captured_at": timezone.now().isoformat(),
            "unit": unit.pk,
            "workflow": workflow.pk,
            "role_observed": "nurse",
            "description": text,
            "severity": 3 if i < 3 else 1,
            "frequency": "every_shift",
        }
        made = api.post("/api/observations/", body, format="json")
        assert made.status_code == 201, made.content
        ids.append(made.json()["id"])
    return ids[:3]


@pytest.mark.parametrize("viewport", [TABLET, PHONE], ids=["tablet", "phone"])
def test_product_owner_turns_evidence_into_an_item_merges_and_ships_it(
    live_server_url: str, watched: Any, make_user: Any, viewport: dict[str, int]
) -> None:
    base = live_server_url
    pat = make_user("product_owner", username="pat", display_name="Pat Owner")
    observer = make_user("observer", username="oscar")
    unit, workflow = UnitFactory(name="5 North"), WorkflowFactory(name="medication administration")
    picked = _observations(observer, unit, workflow)
    session = _api_session(pat)
    host = Participant.objects.get(session_id=session["id"], is_facilitator=True)
    comment = Comment.objects.create(
        session_id=session["id"],
        screen_id=session["screens"][0]["id"],
        participant=host,
        text="Show a scan-failed banner instead of a silent beep",
        pin_x=0.4,
        pin_y=0.2,
    )
    older = token_client(pat).post("/api/backlog/", {"title": SCANNER}, format="json")
    assert older.status_code == 201, older.content
    older_id = older.json()["id"]

    page = watched(viewport)
    login(page, base, "pat", PASSWORD)
    page.click("#nav a[data-area=evidence]")
    page.wait_for_selector("#ev-obs li.ev-row")
    page.fill("#ev-q", "wristband")
    page.click("#ev-filters button[type=submit]")
    page.wait_for_function("document.querySelectorAll('#ev-obs li.ev-row').length === 3")
    for obs in picked:
        page.check(f"#pick-observations-{obs}")
    page.select_option("#ev-session", str(session["id"]))
    page.check(f"#pick-comments-{comment.pk}")
    assert page.inner_text("#ev-picked") == "Selected: 3 observations, 1 comment"
    assert axe_violations(page) == []
    screenshot(page, f"evidence-{'tablet' if viewport is TABLET else 'phone'}")

    page.click("#ev-new")
    assert page.input_value("#ni-title") == SCANNER
    assert page.inner_text("#ni-create") == "Create item"  # it creates when nothing is similar
    page.click("#ni-create")  # first: what the server thinks this duplicates
    page.wait_for_selector(f"#ni-similar li[data-id='{older_id}']")
    assert page.inner_text("#ni-create") == "Create the new item anyway"
    page.fill("#ni-title", "Wristband scanning fails at the bedside")
    page.click("#ni-create")
    page.wait_for_selector("#ev-done")
    item = BacklogItem.objects.exclude(pk=older_id).get()
    assert sorted(item.evidenceobservation_set.values_list("observation_id", flat=True)) == sorted(
        picked
    )
    assert list(item.evidencecomment_set.values_list("comment_id", flat=True)) == [comment.pk]

    page.click("#ev-open-item")
    page.wait_for_selector(f"#item-detail[data-id='{item.pk}']")
    title = session["screens"][0]["title"]  # the screen by its title, not its number
    assert page.inner_text("#ev-comments").startswith(f"Screen “{title}” (pinned):")
    page.wait_for_selector(f"#duplicates li[data-id='{older_id}'] button.merge")
    page.click(f"#duplicates li[data-id='{older_id}'] button.merge")
    page.click("#confirm-merge")
    page.wait_for_selector("#toast:has-text('Merged')")
    BacklogItem.objects.get(pk=older_id, status="duplicate")

    for step in ("triaged", "planned", "in_progress"):
        page.click(f"#item-detail [data-next='{step}']")
        page.wait_for_selector(f"#item-detail [data-next]:not([data-next='{step}'])")
    page.click("#item-detail [data-next='shipped']")
    page.wait_for_selector("#resolution-dialog[open]")
    page.click("#resolution-yes")  # empty note: refused in place
    assert "Write one line" in page.inner_text("#resolution-dialog")
    page.fill("#resolution-note", "Scanner firmware updated; failed scans now show a banner")
    page.click("#resolution-yes")
    page.wait_for_function("document.querySelector('#detail-status').textContent === 'shipped'")
    item.refresh_from_db()
    assert item.status == "shipped"
    assert item.resolution_note == "Scanner firmware updated; failed scans now show a banner"
    screenshot(page, f"backlog-item-{'tablet' if viewport is TABLET else 'phone'}")


def test_evidence_filters_by_ai_tool_and_the_new_item_takes_the_workflow_and_tool_it_shares(
    live_server_url: str, watched: Any, make_user: Any
) -> None:
    """The walk could not gather one AI tool's evidence (no tool filter, no tool on the rows), and
    the new-item form said "No workflow", "No AI tool" for evidence that all named the same."""
    base = live_server_url
    make_user("product_owner", username="pat")
    api = token_client(make_user("observer", username="oscar"))
    unit = UnitFactory(name="5 North")
    sepsis, meds = WorkflowFactory(name="sepsis screening"), WorkflowFactory(name="med rec")
    alert, scanner = ToolFactory(name="Sepsis early warning"), ToolFactory(name="Scan assist")
    made = {}
    for text, workflow, tool in [
        ("Alert fires after the lactate is back", sepsis, alert),
        ("Alert text hides the trend line", sepsis, alert),
        ("Alert repeats on the med rec screen", meds, alert),
        ("Scanner misses wet wristbands", meds, scanner),
    ]:
        body = {"client_id": str(uuid.uuid4()), "captured_at": timezone.now().isoformat(),
                "unit": unit.pk, "workflow": workflow.pk, "tool": tool.pk,
                "role_observed": "nurse", "description": text, "severity": 2,
                "frequency": "daily"}  # fmt: skip
        response = api.post("/api/observations/", body, format="json")
        assert response.status_code == 201, response.content
        made[text] = response.json()["id"]

    page = watched(TABLET)
    login(page, base, "pat", PASSWORD)
    page.goto(f"{base}/evidence")
    page.wait_for_selector("#ev-obs li.ev-row")
    page.select_option("#ev-tool", label="Sepsis early warning")
    page.wait_for_function("document.querySelectorAll('#ev-obs li.ev-row').length === 3")
    rows = page.inner_text("#ev-obs")
    assert "Scanner misses wet wristbands" not in rows and "Sepsis early warning" in rows

    for text in ("Alert fires after the lactate is back", "Alert text hides the trend line"):
        page.check(f"#pick-observations-{made[text]}")
    page.click("#ev-new")
    selected = "el => el.options[el.selectedIndex].text"
    assert page.eval_on_selector("#ni-workflow", selected) == "sepsis screening"
    assert page.eval_on_selector("#ni-tool", selected) == "Sepsis early warning"

    page.click("#new-item-form button.secondary")  # Cancel: evidence of two workflows names none
    page.check(f"#pick-observations-{made['Alert repeats on the med rec screen']}")
    page.click("#ev-new")
    assert page.eval_on_selector("#ni-workflow", selected) == "No workflow"
    assert page.eval_on_selector("#ni-tool", selected) == "Sepsis early warning"
