"""In Chromium: the service worker stands in for app pages only, never for API or media answers."""

from __future__ import annotations

import json

import pytest

from tests.pwa.conftest import wait_for_service_worker

pytestmark = pytest.mark.browser


def test_api_error_pages_are_not_replaced_by_the_app_shell(live_server_url, new_context):
    page = new_context().new_page()
    page.goto(live_server_url + "/")
    wait_for_service_worker(page)

    response = page.goto(live_server_url + "/api/no-such-thing/")
    assert response.status == 404
    assert json.loads(page.inner_text("body"))["code"] == "not_found"

    response = page.goto(live_server_url + "/api/me/")
    assert response.status == 401
    assert json.loads(page.inner_text("body"))["code"] == "not_authenticated"


def test_app_routes_still_open_offline(live_server_url, new_context):
    ctx = new_context()
    page = ctx.new_page()
    page.goto(live_server_url + "/")
    wait_for_service_worker(page)
    ctx.set_offline(True)
    page.goto(live_server_url + "/backlog")
    assert page.locator("#main").count() == 1
