"""Browser fixtures: Debian's Chromium driven by Playwright (no browser downloads)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
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


# Console messages a browser logs by itself when a request gets no answer or a 4xx/5xx: expected
# while a test stops the server or takes the network away, and never the app's own errors.
EXPECTED_NETWORK = (
    "Failed to load resource",
    "net::ERR_",
    "WebSocket connection to",
    "Failed to fetch",
)

TABLET = {"width": 1024, "height": 768}
TABLET_PORTRAIT = {"width": 768, "height": 1024}
PHONE = {"width": 390, "height": 844}
VIEWPORTS = {"tablet": TABLET, "portrait": TABLET_PORTRAIT, "phone": PHONE}


class PageErrors:
    """Collects a page's uncaught errors and console errors; `check()` fails on any unexpected."""

    def __init__(self, page: Any) -> None:
        self.errors: list[str] = []
        page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))
        page.on("console", self._console)

    def _console(self, msg: Any) -> None:
        if msg.type == "error" and not any(s in msg.text for s in EXPECTED_NETWORK):
            self.errors.append(f"console.error: {msg.text}")

    def check(self) -> None:
        assert self.errors == [], self.errors


@pytest.fixture
def watched(new_context: Any) -> Iterator[Any]:
    """`watched(viewport=...)` → a page whose page and console errors fail the test at teardown."""
    watchers: list[PageErrors] = []

    def make(viewport: dict[str, int] | None = None, **kwargs: Any) -> Any:
        ctx = new_context(**kwargs)
        page = ctx.new_page()
        if viewport:
            page.set_viewport_size(viewport)
        watchers.append(PageErrors(page))
        return page

    yield make
    for w in watchers:
        w.check()


AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"


def axe_violations(page: Any, impacts: tuple[str, ...] = ("serious", "critical")) -> list[str]:
    """Runs axe-core (vendored, injected) on the page; the serious and critical violations."""
    if not page.evaluate("() => Boolean(window.axe)"):
        page.add_script_tag(content=AXE.read_text())
    result = page.evaluate(
        "async () => { const r = await axe.run(document, {resultTypes: ['violations']});"
        " return r.violations.map(v => ({id: v.id, impact: v.impact,"
        " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))})); }"
    )
    return [f"{v['id']} ({v['impact']}): {v['nodes']}" for v in result if v["impact"] in impacts]


def small_targets(page: Any, selector: str, minimum: int = 44) -> list[str]:
    """Visible, enabled controls under `selector` smaller than `minimum` CSS px either way."""
    return list(
        page.evaluate(
            """([sel, min]) => [...document.querySelectorAll(sel)]
              .filter((el) => el.offsetParent !== null && !el.disabled)
              .map((el) => [el, el.getBoundingClientRect()])
              .filter(([el, r]) => r.width < min || r.height < min)
              .map(([el, r]) => `${el.tagName.toLowerCase()}#${el.id}.${el.className}`
                + ` "${(el.textContent || el.value || '').trim().slice(0, 20)}"`
                + ` ${Math.round(r.width)}x${Math.round(r.height)}`)""",
            [selector, minimum],
        )
    )


SCREENS = Path("/tmp/rounds-screens")


def screenshot(page: Any, name: str) -> Path:
    """A full-page screenshot in /tmp/rounds-screens/ (outside the repository, for looking at)."""
    SCREENS.mkdir(parents=True, exist_ok=True)
    path = SCREENS / f"{name}.png"
    page.evaluate("() => window.scrollTo(0, 0)")  # else the sticky top bar lands mid-picture
    page.screenshot(path=str(path), full_page=True)
    return path
