"""In Chromium: the dashboard's themes affinity view, and a backlog item made from one theme."""

from __future__ import annotations

from typing import Any

import pytest

from feedback.models import BacklogItem, EvidenceComment, EvidenceObservation
from feedback.services.themes import themes_recompute
from tests.factories import PASSWORD, UnitFactory
from tests.factories_backlog import CommentFactory, ObservationFactory
from tests.feedback.theme_mix import generate
from tests.pwa.conftest import login

pytestmark = pytest.mark.browser


def seed_floor() -> None:
    unit = UnitFactory(name="4 West Med-Surg")
    for i, (text, _) in enumerate(generate(per_problem=5, seed=7)):
        if i % 4 == 0:
            CommentFactory(text=text)
        else:
            ObservationFactory(description=text, unit=unit, patient_safety=i % 7 == 0)
    themes_recompute()


def watch_errors(page: Any) -> list[str]:
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    return errors


TABLET, PHONE = {"width": 1024, "height": 768}, {"width": 390, "height": 844}


@pytest.mark.parametrize("viewport", [TABLET, PHONE])
def test_product_owner_turns_a_theme_into_one_backlog_item(
    live_server_url, new_context, make_user, viewport, tmp_path
):
    owner = make_user("product_owner", username="pia", display_name="Pia Owner")
    seed_floor()
    page = new_context().new_page()
    page.set_viewport_size(viewport)
    login(page, live_server_url, "pia", PASSWORD)
    errors = watch_errors(page)  # after sign-in: the signed-out /api/me/ 401 is expected
    page.goto(live_server_url + "/dashboard")
    page.wait_for_selector(".themes-grid .theme")
    cards = page.locator(".themes-grid .theme")
    assert cards.count() >= 5
    first = cards.first
    label = first.locator("h3").inner_text()
    assert " · " not in label and len(label.split()) >= 3, label  # words, not a word list
    assert "4 West Med-Surg" in first.inner_text() or "Session comment" in first.inner_text()
    page.screenshot(path=str(tmp_path / f"themes-{viewport['width']}.png"), full_page=True)
    first.get_by_role("button", name="Create backlog item").click()
    title = first.locator("input[id$='-title']")
    assert title.input_value() == label
    title.fill("Barcode scanning on wristbands")
    first.locator("form button[type=submit]").click()
    first.get_by_text("Created").wait_for()
    item = BacklogItem.objects.get(title="Barcode scanning on wristbands")
    assert item.created_by == owner
    theme_size = int(first.locator(".summary strong").first.inner_text())
    linked = (
        EvidenceObservation.objects.filter(item=item).count()
        + EvidenceComment.objects.filter(item=item).count()
    )
    assert linked == theme_size
    first.get_by_role("link", name=f"backlog item #{item.pk}").click()
    page.wait_for_url(f"**/backlog/{item.pk}")
    assert errors == []


def test_observer_sees_themes_but_no_create_button(live_server_url, new_context, make_user):
    make_user("observer", username="olive", display_name="Olive Observer")
    seed_floor()
    page = new_context().new_page()
    login(page, live_server_url, "olive", PASSWORD)
    errors = watch_errors(page)
    page.goto(live_server_url + "/dashboard")
    page.wait_for_selector(".themes-grid .theme")
    assert page.get_by_role("button", name="Create backlog item").count() == 0
    page.select_option("#themes-unit", label="4 West Med-Surg")
    page.wait_for_function(
        "() => !document.querySelector('#themes').textContent.includes('Session comment')"
    )
    assert errors == []


def test_theme_reads_as_words_and_its_evidence_opens_from_a_real_button(
    live_server_url, new_context, make_user
):
    make_user("product_owner", username="pia", display_name="Pia Owner")
    seed_floor()
    page = new_context().new_page()
    login(page, live_server_url, "pia", PASSWORD)
    page.goto(live_server_url + "/dashboard")
    page.wait_for_selector(".themes-grid .theme")
    for card in page.locator(".themes-grid .theme").all():
        heading = card.locator("h3").inner_text()
        assert " · " not in heading and heading[0].isupper(), heading
        assert card.locator(".key-words").inner_text().startswith("Key words: ")
    first = page.locator(".themes-grid .theme").first
    toggle = first.get_by_role("button", name="Evidence")
    assert toggle.get_attribute("aria-expanded") == "false"
    listed = first.locator(f"#{toggle.get_attribute('aria-controls')}")
    assert listed.is_hidden()
    looks = toggle.evaluate(
        "b => { const s = getComputedStyle(b); return [s.cursor, parseFloat(s.borderTopWidth)]; }"
    )
    assert looks[0] == "pointer" and looks[1] > 0, looks  # it looks like something to press
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert listed.is_visible() and listed.locator("li").count() >= 2
    toggle.press("Enter")  # and the keyboard closes it again
    assert toggle.get_attribute("aria-expanded") == "false" and listed.is_hidden()
