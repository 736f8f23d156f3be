"""Browser fixtures: Debian's Chromium driven by Playwright (no browser downloads)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import need

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    need(
        bool(shutil.which(CHROMIUM)), f"Chromium not found at {CHROMIUM}: apt-get install chromium"
    )
    # Playwright's sync API runs an event loop in this thread; the ORM calls in tests are safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def new_context(browser: Any) -> Iterator[Any]:
    contexts: list[Any] = []

    def make(**kwargs: Any) -> Any:
        ctx = browser.new_context(viewport={"width": 1024, "height": 768}, **kwargs)
        ctx.set_default_timeout(15000)
        contexts.append(ctx)
        return ctx

    yield make
    for ctx in contexts:
        ctx.close()


def login(page: Any, base: str, username: str, password: str) -> None:
    page.goto(base + "/")
    page.wait_for_selector("#login-form")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("#login-form button[type=submit]")
    page.wait_for_selector("#logout")


def wait_for_service_worker(page: Any) -> None:
    page.evaluate("() => navigator.serviceWorker.ready")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
