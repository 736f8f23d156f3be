"""In Chromium: sign in, lose the network, reload: the app shell still renders for that user."""

from __future__ import annotations

import pytest

from tests.factories import PASSWORD
from tests.pwa.conftest import login, wait_for_service_worker

pytestmark = pytest.mark.browser


def test_shell_renders_offline_after_first_visit(live_server_url, new_context, make_user):
    make_user("observer", "product_owner", username="wanda", display_name="Wanda Ward")
    ctx = new_context()
    page = ctx.new_page()
    login(page, live_server_url, "wanda", PASSWORD)
    assert page.inner_text("#hello-name") == "Wanda Ward"
    nav = page.locator("#nav a").all_inner_texts()
    assert "Home" in nav
    wait_for_service_worker(page)

    ctx.set_offline(True)
    page.reload()
    page.wait_for_selector("body[data-ready='1']")
    assert page.inner_text("#hello-name") == "Wanda Ward"
    assert page.inner_text("#net") == "offline"
    assert page.locator("#nav a").all_inner_texts() == nav

    ctx.set_offline(False)
    page.click("#logout")
    page.wait_for_selector("#login-form")


def test_role_aware_navigation_hides_areas(live_server_url, new_context, make_user):
    make_user(username="nobody", display_name="No Role")
    page = new_context().new_page()
    login(page, live_server_url, "nobody", PASSWORD)
    assert page.locator("#nav a").all_inner_texts() == ["Home"]
    assert "No areas are open" in page.inner_text("main")
