"""In Chromium: the top bar shows every area the signed-in user may open, whole and tappable, on an
iPad in landscape (1024x768) and portrait (768x1024) with no sideways scrolling; on a phone it shows
Rounds and the signed-in name without overlapping anything."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import PASSWORD
from tests.pwa.conftest import PHONE, TABLET, TABLET_PORTRAIT, login, screenshot

pytestmark = pytest.mark.browser

# Role sets as the walk met them, and the areas each must see in the bar (areas.js `navAreas`).
PERSONAS = {
    "observer": (["observer"], ["Capture", "Facilitate", "Dashboard", "You said, we did"]),
    "clinician": (["clinician"], ["Capture", "Join session", "You said, we did"]),
    "owner": (
        ["product_owner"],
        ["Evidence", "Backlog", "Dashboard", "You said, we did", "AI tools", "Units & workflows"],
    ),
    "admin": (["admin"], ["Backlog", "Dashboard", "You said, we did", "Admin"]),
    "everything": (
        ["observer", "clinician", "product_owner", "admin"],
        ["Facilitate", "Evidence", "Backlog", "Dashboard", "You said, we did", "Admin"],
    ),
}

# Each nav link: whole inside the window and the nav's own box, and the thing a tap at its middle
# reaches (nothing covering it, nothing scrolled out of sight).
NAV_LINKS = """() => {
  const nav = document.getElementById('nav');
  const box = nav.getBoundingClientRect();
  return [...nav.querySelectorAll('a')].map((a) => {
    const r = a.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return {label: a.textContent, whole: r.width > 0 && r.left >= box.left - 1
      && r.right <= box.right + 1 && r.left >= 0 && r.right <= window.innerWidth,
      tappable: Boolean(hit && a.contains(hit))};
  });
}"""


def sign_in(new_context: Any, make_user: Any, base: str, key: str, viewport: Any, **kw: Any) -> Any:
    roles, _ = PERSONAS[key]
    make_user(*roles, username=f"{key}-bar", **kw)
    page = new_context().new_page()
    page.set_viewport_size(viewport)
    login(page, base, f"{key}-bar", PASSWORD)
    page.wait_for_selector("#nav a")
    return page


@pytest.mark.parametrize("viewport", [TABLET, TABLET_PORTRAIT], ids=["landscape", "portrait"])
def test_every_area_of_the_role_is_visible_and_tappable_on_a_tablet(
    live_server_url: str, new_context: Any, make_user: Any, viewport: dict[str, int]
) -> None:
    problems = []
    for key, (_, expected) in PERSONAS.items():
        page = sign_in(new_context, make_user, live_server_url, key, viewport)
        links = page.evaluate(NAV_LINKS)
        labels = [link["label"] for link in links]
        missing = [label for label in expected if label not in labels]
        assert not missing, (key, labels)
        problems += [
            f"{key}: {link['label']!r} cut off or out of sight"
            for link in links
            if not link["whole"]
        ]
        problems += [f"{key}: {link['label']!r} covered" for link in links if not link["tappable"]]
        wide = page.evaluate("document.documentElement.scrollWidth")
        if wide > viewport["width"]:
            problems.append(f"{key}: page is {wide} px wide")
        screenshot(page, f"top-bar-{key}-{viewport['width']}")
        # The last area opens from where it stands, without scrolling the bar first.
        last = page.locator("#nav a").last
        before = page.evaluate("document.getElementById('nav').scrollLeft")
        last.click()
        page.wait_for_selector(f"#nav a[data-area={last.get_attribute('data-area')}][aria-current]")
        if page.evaluate("document.getElementById('nav').scrollLeft") != before:
            problems.append(f"{key}: the bar scrolled sideways to reach {labels[-1]!r}")
        page.close()
    assert not problems, problems


def test_phone_bar_shows_rounds_and_the_signed_in_name_without_overlap(
    live_server_url: str, new_context: Any, make_user: Any
) -> None:
    page = sign_in(
        new_context, make_user, live_server_url, "owner", PHONE, display_name="Priya Nair-Castell"
    )
    screenshot(page, "top-bar-phone")
    parts = page.evaluate(
        """() => ['.brand', '#net', '.who-name', '#logout'].map((sel) => {
          const el = document.querySelector(sel);
          const r = el.getBoundingClientRect();
          return {sel, text: el.textContent, shown: r.width > 0 && r.height > 0 && r.left >= 0
            && r.right <= window.innerWidth, whole: el.scrollWidth <= el.clientWidth + 1,
            box: [r.left, r.top, r.right, r.bottom]};
        })"""
    )
    for part in parts:
        assert part["shown"] and part["whole"], part
    assert parts[0]["text"] == "Rounds" and parts[2]["text"] == "Priya Nair-Castell"
    for i, a in enumerate(parts):
        for b in parts[i + 1 :]:
            (al, at, ar, ab), (bl, bt, br, bb) = a["box"], b["box"]
            overlap = al < br - 1 and bl < ar - 1 and at < bb - 1 and bt < ab - 1
            assert not overlap, (a, b)


def test_the_bar_keeps_one_height_and_one_row_of_areas_on_every_page_of_a_landscape_tablet(
    live_server_url: str, new_context: Any, make_user: Any
) -> None:
    """The walk saw a product owner's bar change height on "You said, we did": the open area's bold
    label widened the row until it wrapped. At 1024 px the owner's ten areas fit one row."""
    page = sign_in(new_context, make_user, live_server_url, "owner", TABLET)
    heights = {}
    for href in page.eval_on_selector_all("#nav a", "as => as.map(a => a.getAttribute('href'))"):
        page.goto(live_server_url + href)
        page.wait_for_selector(f"#nav a[href='{href}'][aria-current=page]")
        rows = page.eval_on_selector_all(
            "#nav a", "as => new Set(as.map(a => Math.round(a.getBoundingClientRect().top))).size"
        )
        heights[href] = (rows, round(page.eval_on_selector(".topbar", "e => e.offsetHeight")))
    assert len(heights) == 10, heights
    assert {rows for rows, _ in heights.values()} == {1}, heights
    assert len({height for _, height in heights.values()}) == 1, heights
