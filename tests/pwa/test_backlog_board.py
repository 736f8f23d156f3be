"""In Chromium: the backlog board updates live, merges a duplicate, moves status; followers hear."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

import pytest
from rest_framework.authtoken.models import Token

from feedback.models import BacklogItem
from tests.factories import PASSWORD, ToolFactory, UnitFactory, WorkflowFactory
from tests.factories_dashboard import ObservationFactory, RatingFactory, ScreenFactory
from tests.pwa.conftest import login

pytestmark = pytest.mark.browser


def call(base: str, user: Any, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    """The API as a script would use it: token auth against the live server."""
    token, _ = Token.objects.get_or_create(user=user)
    request = urllib.request.Request(
        base + path,
        method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"Token {token.key}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=15) as response:
        return json.loads(response.read())


def row_priority(page: Any, item_id: int) -> str:
    return page.inner_text(f"#backlog-list li[data-id='{item_id}'] .priority")


def watch_socket_hello(page: Any) -> list[str]:
    """Collects the 'hello' frames: a socket has joined its group once one arrives."""
    hellos: list[str] = []
    page.on(
        "websocket",
        lambda ws: ws.on(
            "framereceived", lambda f: hellos.append(f) if '"hello"' in str(f) else None
        ),
    )
    return hellos


def test_board_updates_live_merges_moves_status_and_notifies_the_follower(
    live_server_url, new_context, make_user
):
    base = live_server_url
    owner = make_user("product_owner", username="pia", display_name="Pia Owner")
    follower = make_user("observer", username="fern", display_name="Fern Follower")
    workflow, unit = WorkflowFactory(name="medication reconciliation"), UnitFactory()
    create = {"workflow": workflow.pk, "effort": 2, "confidence": 0.5}
    keep = call(
        base,
        owner,
        "POST",
        "/api/backlog/",
        {
            **create,
            "title": "Duplicate allergy alerts during med rec",
            "description": "Allergy alert fires repeatedly while reconciling home meds.",
        },
    )
    dup = call(
        base,
        owner,
        "POST",
        "/api/backlog/",
        {
            **create,
            "title": "Allergy alerts duplicated in med rec",
            "description": "Repeated allergy alert during home med reconciliation.",
        },
    )
    call(base, owner, "POST", "/api/backlog/", {**create, "title": "Discharge summary slow"})
    observation = ObservationFactory(
        observer=follower,
        workflow=workflow,
        unit=unit,
        severity=3,
        description="Allergy alert fired 4 times in one med rec",
    )

    follower_page = new_context().new_page()
    hellos = watch_socket_hello(follower_page)
    login(follower_page, base, "fern", PASSWORD)
    follower_page.wait_for_function("() => document.querySelector('#notifications')")

    page = new_context().new_page()
    login(page, base, "pia", PASSWORD)
    page.click("#nav a[data-area='backlog']")
    page.wait_for_selector(f"#backlog-list li[data-id='{keep['id']}']")
    page.wait_for_selector("body[data-backlog-live='1']")
    ids = page.eval_on_selector_all("#backlog-list li", "els => els.map(e => +e.dataset.id)")
    assert set(ids) >= {keep["id"], dup["id"]}
    before = row_priority(page, keep["id"])

    # New evidence linked by script: the open board re-ranks and flashes the row without reload.
    call(
        base,
        owner,
        "POST",
        f"/api/backlog/{keep['id']}/evidence/",
        {"observations": [observation.pk]},
    )
    page.wait_for_function(
        "([id, old]) => { const r = document.querySelector(`#backlog-list li[data-id='${id}']`);"
        " return r && r.querySelector('.priority').textContent !== old"
        " && r.classList.contains('flash'); }",
        arg=[keep["id"], before],
    )
    assert float(row_priority(page, keep["id"])) > float(before)
    first = page.eval_on_selector("#backlog-list li", "e => +e.dataset.id")
    assert first == keep["id"]  # it now has the most evidence, so it leads the board

    # Detail: evidence, breakdown, then merge the suggested duplicate into this item.
    page.click(f"#backlog-list li[data-id='{keep['id']}'] a.item-title")
    page.wait_for_selector(f"#item-detail[data-id='{keep['id']}']")
    assert "Allergy alert fired 4 times" in page.inner_text("#ev-observations")
    assert page.locator("#item-detail .stacked-bar rect[data-component]").count() >= 1
    page.wait_for_selector(f"#duplicates li[data-id='{dup['id']}'] button.merge")
    page.click(f"#duplicates li[data-id='{dup['id']}'] button.merge")
    page.click("#confirm-merge")
    page.wait_for_selector(f"#backlog-list li[data-id='{dup['id']}'][data-status='duplicate']")
    merged = BacklogItem.objects.get(pk=dup["id"])
    assert (merged.status, merged.merged_into_id) == ("duplicate", keep["id"])

    # Status: only legal next states are offered; moving one notifies the follower live.
    for _ in range(100):  # Playwright delivers socket frames while the page waits
        if hellos:
            break
        follower_page.wait_for_timeout(100)
    assert hellos, "the follower's notification socket never connected"
    offered = page.eval_on_selector_all(
        "#item-detail [data-next]", "els => els.map(e => e.dataset.next)"
    )
    assert offered == ["triaged", "declined"]
    page.click("#item-detail [data-next='triaged']")
    page.wait_for_selector("#detail-status:text('triaged')")
    assert BacklogItem.objects.get(pk=keep["id"]).status == "triaged"
    follower_page.wait_for_selector(f"#notifications li:has-text('#{keep['id']} moved to triaged')")


def test_dashboard_draws_pain_points_and_ratings_as_svg_with_tables(
    live_server_url, new_context, make_user
):
    make_user("observer", username="dana", display_name="Dana Dash")
    discharge, west = WorkflowFactory(name="discharge"), UnitFactory(name="4 West")
    ObservationFactory.create_batch(3, workflow=discharge, unit=west)
    ObservationFactory(workflow=discharge, unit=west, patient_safety=True)
    tool = ToolFactory(name="Sepsis early warning")
    v1, v2 = (ScreenFactory(tool=tool, title="Alert", version=v) for v in ("1", "2"))
    RatingFactory(screen=v1, scores={"usefulness": 2, "clarity": 3})
    RatingFactory(screen=v2, scores={"usefulness": 5, "clarity": 4})

    page = new_context().new_page()
    login(page, live_server_url, "dana", PASSWORD)
    page.click("#nav a[data-area='dashboard']")
    page.wait_for_selector("#pain-chart svg[role='img'] path")
    assert page.inner_text("#pain-chart .summary").startswith("4 pain points, 1 patient-safety")
    assert page.locator("#pain-chart svg circle.highlight").count() == 1
    table = page.inner_text("#pain-chart table")
    assert "discharge" in table and "4 (1)" in table

    page.check("input[name='pain-by'][value='unit']")
    page.wait_for_function(
        "() => document.querySelector('#pain-chart table')?.innerText.includes('4 West')"
    )

    page.select_option("#tool-picker", str(tool.pk))
    page.wait_for_selector("#ratings-chart svg rect")
    assert page.locator("#ratings-chart svg rect").count() == 4
    ratings = page.inner_text("#ratings-chart table")
    assert "Alert v1" in ratings and "Alert v2" in ratings and "5" in ratings
