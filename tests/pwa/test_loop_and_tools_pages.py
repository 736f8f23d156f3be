"""In Chromium: a unit's "You said, we did" page with its poster, and the AI tools admin page
(a widget key shown once and revoked, a model version, the model card)."""

from __future__ import annotations

import pytest

from feedback.context import Actor
from feedback.models import ModelVersion, Tool, ToolKey
from feedback.services import backlog as svc
from tests.factories import PASSWORD, ToolFactory, UnitFactory
from tests.factories_backlog import ObservationFactory
from tests.pwa.conftest import login

pytestmark = pytest.mark.browser


def test_unit_page_lists_what_was_done_and_links_the_poster(
    live_server_url, new_context, make_user
):
    owner = make_user("product_owner", username="pia")
    make_user("clinician", username="cora")
    unit = UnitFactory(name="4 West Med-Surg")
    actor = Actor(user=owner)
    item = svc.backlog_create(
        actor=actor, data={"title": "One sepsis alert per order"},
        evidence={"observations": [ObservationFactory(unit=unit).pk]},
    )  # fmt: skip
    svc.backlog_update(actor=actor, item=item, data={"status": "declined",
                       "resolution_note": "The vendor fixes it in the next release."})  # fmt: skip
    page = new_context().new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    login(page, live_server_url, "cora", PASSWORD)
    page.click("#nav a[data-area=loop]")
    page.wait_for_selector(f"#loop-{item.pk}")
    text = page.inner_text(f"#loop-{item.pk}")
    assert "One sepsis alert per order" in text and "next release" in text and "Not doing" in text
    href = page.get_attribute("#poster-link", "href")
    poster = page.request.get(live_server_url + href)
    assert poster.status == 200 and poster.headers["content-type"] == "application/pdf"
    assert poster.body().startswith(b"%PDF")
    assert errors == []


def test_tools_admin_issues_a_key_once_revokes_it_and_edits_versions_and_card(
    live_server_url, new_context, make_user
):
    make_user("product_owner", username="pia")
    tool = ToolFactory(name="Discharge summary drafter")
    page = new_context().new_page()
    login(page, live_server_url, "pia", PASSWORD)
    page.click("#nav a[data-area=tools]")
    page.wait_for_selector("#key-form")
    page.fill("#k-origins", "https://ehr.hospital.example")
    page.fill("#k-label", "Epic sidebar")
    page.click("#key-form button[type=submit]")
    page.wait_for_selector("#new-key-value")
    key = page.inner_text("#new-key-value")
    assert key.startswith("rtk_") and f'data-key="{key}"' in page.input_value("#new-key-snippet")
    row = ToolKey.objects.get(tool=tool)
    assert row.origins == ["https://ehr.hospital.example"] and key not in row.key_hash
    page.click(f"#key-{row.pk} button")
    page.click("#key-revoke-confirm-no")  # asked first: cancelling keeps the key
    row.refresh_from_db()
    assert row.revoked_at is None
    page.click(f"#key-{row.pk} button")
    page.click("#key-revoke-confirm-yes")
    page.wait_for_selector(f"#key-{row.pk}:has-text('revoked')")
    row.refresh_from_db()
    assert row.revoked_at is not None

    page.fill("#v-version", "2.4.0")
    page.fill("#v-notes", "New prompt")
    page.click("#version-form button[type=submit]")
    page.wait_for_selector("#version-list li:has-text('2.4.0')")
    assert ModelVersion.objects.filter(tool=tool, version="2.4.0").exists()
    page.click("#model-card summary")
    page.fill("#card-intended_use_and_workflow", "Drafts discharge summaries for review.")
    page.click("#card-form button[type=submit]")
    page.wait_for_selector("#card-status:has-text('saved')")
    assert Tool.objects.get(pk=tool.pk).model_card == {
        "intended_use_and_workflow": "Drafts discharge summaries for review."
    }
