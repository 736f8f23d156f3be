"""In Chromium: backlog lists longer than one page reach every item through "Load more", which
follows the API's cursor `next`: the Evidence view's "Add to an open item" list (20 a page) and the
Backlog board (50 a page)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import PASSWORD
from tests.factories_backlog import BacklogItemFactory, ObservationFactory
from tests.pwa.conftest import TABLET, login, screenshot

pytestmark = pytest.mark.browser


def test_add_to_an_open_item_lists_every_open_item(
    live_server_url: str, watched: Any, make_user: Any
) -> None:
    owner = make_user("product_owner", username="pat")
    items = BacklogItemFactory.create_batch(39, created_by=owner)  # two pages of 20
    seen = ObservationFactory()
    page = watched(TABLET)
    login(page, live_server_url, "pat", PASSWORD)
    page.goto(live_server_url + "/evidence")
    page.check(f"#pick-observations-{seen.pk}")
    page.click("#ev-add")
    page.wait_for_function("document.querySelectorAll('#pi-list li[data-id]').length === 20")
    page.click("#pi-more")
    page.wait_for_function("document.querySelectorAll('#pi-list li[data-id]').length === 39")
    assert page.locator("#pi-more").is_hidden()
    shown = {
        int(i) for i in page.eval_on_selector_all("#pi-list li", "l => l.map(e => e.dataset.id)")
    }
    assert shown == {item.pk for item in items}
    screenshot(page, "evidence-pick-item-all-pages")
    # The oldest item, only on the second page, takes the evidence.
    page.click(f"#pi-list li[data-id='{items[0].pk}'] button")
    page.wait_for_selector("#ev-done")
    assert list(items[0].evidenceobservation_set.values_list("observation_id", flat=True)) == [
        seen.pk
    ]


def test_backlog_board_loads_the_items_past_the_first_page(
    live_server_url: str, watched: Any, make_user: Any
) -> None:
    owner = make_user("product_owner", username="pat")
    items = BacklogItemFactory.create_batch(62, created_by=owner)
    page = watched(TABLET)
    login(page, live_server_url, "pat", PASSWORD)
    page.goto(live_server_url + "/backlog")
    page.wait_for_function("document.querySelectorAll('#backlog-list li').length === 50")
    page.click("#load-more")
    page.wait_for_function("document.querySelectorAll('#backlog-list li').length === 62")
    assert page.locator("#load-more").is_hidden()
    assert page.locator(f"#backlog-list a[href^='/backlog/{items[0].pk}']").count() == 1
