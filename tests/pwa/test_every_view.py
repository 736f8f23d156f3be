"""In Chromium, with the demo data a fresh install shows: every main view at tablet (1024x768),
portrait tablet (768x1024) and phone (390x844) size loads without page or console errors, with no
serious or critical axe violations, no raw identifiers or "1 observations" in its text, touch
targets of at least 44 px where participants and observers tap, nothing wider than the screen,
and a screenshot in /tmp/rounds-screens/ for a person to look at."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from feedback.context import Actor
from feedback.management.commands.load_demo import DEMO_PASSWORD
from feedback.models import BacklogItem, CodesignSession, Participant, Screen, User
from feedback.services import retention
from feedback.services import sessions as session_svc
from tests.pwa.conftest import (
    VIEWPORTS,
    PageErrors,
    axe_violations,
    login,
    screenshot,
    small_targets,
)

pytestmark = pytest.mark.browser

# What a person should never read: identifiers from the code, raw JSON, a thing by its bare id
# ("Screen 3"; the audit log's "Screen #3" names a record on purpose), and "1 observations".
SNAKE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")
RAW = re.compile(r"\{\"|\bScreen \d+\b")
ONE_MANY = re.compile(r"(?<![\d.,])\b1 [a-z]+s\b")
# Visually hidden radios and checkboxes are tapped through their labels, which are measured.
TAPPED = (
    "main button, main a.button, main select, main textarea, main label.choice, main .check label,"
    " main input:not([type=hidden]):not([type=radio]):not([type=checkbox]):not(.sr-only)"
)


@dataclass(frozen=True)
class Visit:
    name: str
    persona: str
    path: str
    ready: str  # a selector present once the view has loaded its data
    touch: bool = False  # participants and observers tap it on the floor: 44 px targets


def demo_world() -> dict[str, Any]:
    """The demo data, plus an open session showing its first screen (for Join and the console)."""
    call_command("load_demo")
    retention.purge()  # as the worker does on a first run: its audit entry has nested counts
    observer = User.objects.get(username="observer")
    screens = list(Screen.objects.filter(tool__name="Sepsis Early Warning").order_by("id"))
    live = session_svc.session_create(
        actor=Actor(user=observer),
        title="Sepsis alert redesign: huddle 2 (demo)",
        tool=screens[0].tool,
        screen_ids=[s.pk for s in screens],
    )
    host = Participant.objects.get(session=live, is_facilitator=True)
    session_svc.session_show_screen(participant=host, screen_id=screens[0].pk)
    ended = CodesignSession.objects.get(state=CodesignSession.ENDED)
    item = BacklogItem.objects.get(status="in_progress")
    return {"live": live, "ended": ended, "item": item}


def visits(world: dict[str, Any]) -> list[Visit]:
    live, ended, item = world["live"], world["ended"], world["item"]
    return [
        Visit("home-observer", "observer", "/", "#notifications li"),
        Visit("capture", "observer", "/capture", "#queue-list li", touch=True),
        Visit("facilitate-setup", "observer", "/facilitate", "#screen-picks input"),
        Visit(
            "facilitate-console", "observer", f"/facilitate/{live.pk}", "#c-status[data-state=live]"
        ),
        Visit("dashboard", "observer", "/dashboard", "#pain-chart svg"),
        Visit("join-entry", "clinician", "/join", "#join-form", touch=True),
        Visit(
            "join-participant", "clinician", f"/join/{live.code}", "#rate-view:not([hidden])", True
        ),
        Visit("you-said-we-did", "clinician", "/units", "#loop-page > *"),
        Visit("home-owner", "owner", "/", "#notifications li"),
        Visit("evidence", "owner", "/evidence", "#ev-obs li"),
        Visit("backlog", "owner", "/backlog", "#backlog-list li"),
        Visit("backlog-item", "owner", f"/backlog/{item.pk}", "#item-detail:not([hidden]) h2"),
        Visit("results", "owner", f"/sessions/{ended.pk}", "#results-view"),
        Visit("tools", "owner", "/tools", "#tool-admin section"),
        Visit("audit-log", "admin", "/admin/audit", "#audit-table tbody tr"),
    ]


def words_problems(text: str) -> list[str]:
    found = [f"identifier {m!r}" for m in SNAKE.findall(text)]
    found += [f"raw {m!r}" for m in RAW.findall(text)]
    found += [f"plural {m!r}" for m in ONE_MANY.findall(text)]
    return found


def check_view(page: Any, errors: PageErrors, visit: Visit, size: str) -> list[str]:
    problems: list[str] = []
    try:
        page.wait_for_selector(visit.ready, state="attached", timeout=20000)
    except PlaywrightTimeout:
        problems.append(f"never showed {visit.ready}")
    page.wait_for_timeout(400)  # charts and late lists settle
    problems += errors.errors
    errors.errors.clear()
    problems += axe_violations(page)
    wide, width = page.evaluate("document.documentElement.scrollWidth"), page.viewport_size["width"]
    if wide > width:
        problems.append(f"page is {wide} px wide in a {width} px viewport (sideways scrolling)")
    problems += words_problems(page.inner_text("main"))
    if visit.touch:
        problems += [f"small target {t}" for t in small_targets(page, TAPPED)]
    screenshot(page, f"{visit.name}-{size}")
    return [f"{visit.name} @ {size}: {p}" for p in problems]


def sign_in(new_context: Callable[..., Any], base: str, persona: str, viewport: Any) -> Any:
    page = new_context().new_page()
    page.set_viewport_size(viewport)
    errors = PageErrors(page)
    login(page, base, persona, DEMO_PASSWORD)
    return page, errors


def test_every_main_view_at_tablet_and_phone_size(
    live_server_url: str, new_context: Any, transactional_db: Any
) -> None:
    world = demo_world()
    problems: list[str] = []
    for size, viewport in VIEWPORTS.items():
        pages: dict[str, tuple[Any, PageErrors]] = {}
        for visit in visits(world):
            if visit.persona not in pages:
                pages[visit.persona] = sign_in(
                    new_context, live_server_url, visit.persona, viewport
                )
            page, errors = pages[visit.persona]
            page.goto(live_server_url + visit.path)
            problems += check_view(page, errors, visit, size)
        for page, _ in pages.values():
            page.close()
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)
