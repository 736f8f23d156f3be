"""In Chromium, at tablet and phone size: the admin area does every admin job without the API
(users, units, workflows, AI tools and their screens, webhooks and their delivery log, the audit
log with filters, data and devices); non-admins see no admin area and the server refuses them.
Every admin screen is checked with axe-core and photographed into /tmp/rounds-screens/."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.utils import timezone
from PIL import Image

from feedback.context import Actor
from feedback.models import AuditEntry, Tool, Unit, User, Webhook, WebhookDelivery, Workflow
from feedback.services import reference as reference_svc
from feedback.services.webhooks import webhook_create
from tests.factories import PASSWORD, UnitFactory, WorkflowFactory
from tests.pwa.conftest import PHONE, TABLET, axe_violations, login, screenshot

pytestmark = pytest.mark.browser

SIZES = [TABLET, PHONE]
SIZE_IDS = ["tablet", "phone"]


def _name(viewport: dict[str, int]) -> str:
    return "tablet" if viewport == TABLET else "phone"


def _check(page: Any, name: str) -> None:
    """axe: no serious or critical violation, nothing wider than the screen; then a full-page
    screenshot to look at."""
    assert axe_violations(page) == [], name
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), name
    page.evaluate("document.getElementById('toast').hidden = true")  # a passing toast hides content
    screenshot(page, name)


def _tab(page: Any, section: str) -> None:
    page.click(f"#admin-nav a[data-tab={section}]")
    page.wait_for_selector(f"#admin-{section} h1")


def _confirm(page: Any, dialog: str) -> None:
    page.wait_for_selector(f"dialog#{dialog}[open]")
    page.click(f"#{dialog}-yes")
    page.wait_for_selector(f"dialog#{dialog}", state="detached")


@pytest.mark.parametrize("viewport", SIZES, ids=SIZE_IDS)
def test_admin_creates_a_user_and_a_unit_and_reads_the_filtered_audit_log(
    live_server_url: str, watched: Any, make_user: Any, viewport: dict[str, int]
) -> None:
    make_user("admin", username="adele", display_name="Adele Admin")
    make_user("observer", username="olga")
    page = watched(viewport)
    login(page, live_server_url, "adele", PASSWORD)
    assert page.locator("#nav a[data-area=admin]").count() == 1
    for area in ("tools", "reference"):  # under Admin for admins
        assert page.locator(f"#nav a[data-area={area}]").count() == 0

    page.click("#nav a[data-area=admin]")
    page.wait_for_selector("#new-user-form")
    assert page.evaluate("location.pathname") == "/admin"
    page.wait_for_selector("#user-list li:has-text('olga')")
    page.fill("#new-username", "nina.k")
    page.fill("#new-display-name", "Nina K.")
    page.fill("#new-password", "short")
    page.check("#new-user-roles input[value=clinician]")
    page.click("#new-user-form button[type=submit]")
    page.wait_for_function(
        "document.getElementById('new-user-error').textContent.includes('Password')"
    )
    assert not User.objects.filter(username="nina.k").exists()
    page.fill("#new-password", "long-synthetic-pass-9")
    page.click("#new-user-form button[type=submit]")
    page.wait_for_selector("#user-list li:has-text('nina.k')")
    nina = User.objects.get(username="nina.k")
    assert nina.role_names() == ["clinician"] and nina.display_name == "Nina K."
    assert nina.check_password("long-synthetic-pass-9")

    # Give her a second role, then deactivate her (asked first).
    item = f"#user-{nina.pk}"
    page.click(f"{item} details.change summary")
    page.check(f"{item} input[value=observer]")
    page.click(f"{item} .save-roles")
    page.wait_for_selector(f"{item} .badges:has-text('Observer')")
    assert User.objects.get(pk=nina.pk).role_names() == ["clinician", "observer"]
    page.click(f"{item} details.change summary")
    page.click(f"{item} .deactivate")
    page.click("#deactivate-confirm-no")  # changed her mind: nothing happens
    assert User.objects.get(pk=nina.pk).is_active
    page.click(f"{item} .deactivate")
    _confirm(page, "deactivate-confirm")
    page.wait_for_selector(f"{item} .badge-off")
    assert not User.objects.get(pk=nina.pk).is_active
    page.click(f"{item} details.change summary")  # her history, from her row
    page.click(f"{item} a.history")
    page.wait_for_function("[...document.querySelectorAll('#audit-table tbody tr')].length === 3")
    assert page.inner_text("#audit-table tbody").count(f"#{nina.pk}") == 3
    assert page.input_value("#audit-id") == str(nina.pk)
    page.go_back()
    page.wait_for_selector(f"{item} .badge-off")
    me = User.objects.get(username="adele")
    page.click(f"#user-{me.pk} details.change summary")
    assert page.is_disabled(f"#user-{me.pk} .deactivate")  # no locking yourself out
    _check(page, f"admin-users-{_name(viewport)}")

    _tab(page, "units")
    assert page.evaluate("location.pathname") == "/admin/units"
    page.fill("#new-unit-name", "5 East Cardiac")
    page.fill("#new-unit-site", "North Campus")
    page.click("#new-unit-form button[type=submit]")
    page.wait_for_selector("#unit-list li:has-text('5 East Cardiac')")
    unit = Unit.objects.get(name="5 East Cardiac")
    assert unit.site == "North Campus"
    page.fill("#new-unit-name", "5 East Cardiac")
    page.fill("#new-unit-site", "North Campus")
    page.click("#new-unit-form button[type=submit]")  # a duplicate: the server's 409, said plainly
    page.wait_for_function("document.getElementById('new-unit-error').textContent.length > 10")
    assert Unit.objects.filter(name="5 East Cardiac").count() == 1

    _tab(page, "audit")
    page.wait_for_selector("#audit-table tbody tr")
    page.select_option("#audit-action", "create")
    page.select_option("#audit-type", "feedback.unit")
    page.select_option("#audit-actor", str(me.pk))
    page.click("#audit-filter button[type=submit]")
    page.wait_for_function("[...document.querySelectorAll('#audit-table tbody tr')].length === 1")
    text = page.inner_text("#audit-table tbody")
    assert f"#{unit.pk}" in text and "adele" in text.lower()
    assert "Create" in text and "Unit" in text
    assert re.search(r"action=create", page.evaluate("location.search"))
    assert AuditEntry.objects.filter(action="create", object_type="feedback.unit").count() == 1
    _check(page, f"admin-audit-{_name(viewport)}")

    # The filtered address reopens the same view.
    page.reload()
    page.wait_for_function("[...document.querySelectorAll('#audit-table tbody tr')].length === 1")
    assert page.input_value("#audit-action") == "create"


def _png(colour: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (640, 400), colour).save(out, "PNG")
    return out.getvalue()


def _seed() -> dict[str, Any]:
    admin = User.objects.get(username="adele")
    actor = Actor(user=admin)
    for name in ("4 West Med-Surg", "6 North Oncology"):
        reference_svc.reference_create(
            actor=actor, model=Unit, data={"name": name, "site": "Synthetic Campus"}
        )
    WorkflowFactory(name="medication reconciliation", description="Admission and transfer med rec.")
    hook = webhook_create(
        actor=actor, url="https://hooks.example.org/rounds", secret="synthetic-secret",
        events=["backlog.item.created", "backlog.item.status_changed"],
    )  # fmt: skip
    WebhookDelivery.objects.create(
        webhook=hook, event="backlog.item.created", body="{}", status="delivered", attempts=1,
        last_status_code=200, delivered_at=timezone.now(),
    )  # fmt: skip
    WebhookDelivery.objects.create(
        webhook=hook, event="backlog.item.status_changed", body="{}", status="failed",
        attempts=8, last_status_code=503, last_error="HTTP 503",
    )  # fmt: skip
    return {"hook": hook}


def _name_two_regions(page: Any, screen_id: int) -> None:
    """One region dragged on the picture, one typed in percent (the keyboard way); then saved."""
    editor = f"#reg-{screen_id}"
    page.click(f"#screen-{screen_id} details.regions summary")
    page.wait_for_function(
        f"document.querySelector('{editor} .region-stage img')?.naturalWidth > 0"
    )
    pad = page.locator(f"{editor}-pad").bounding_box()
    picture = page.locator(f"{editor} .region-stage img").bounding_box()
    assert pad is not None and picture is not None
    # Boxes are drawn where they land on the picture: the drawing pad covers exactly the picture.
    assert all(abs(pad[k] - picture[k]) < 2 for k in ("x", "y", "width", "height")), (pad, picture)

    def at(fx: float, fy: float) -> tuple[float, float]:
        return pad["x"] + pad["width"] * fx, pad["y"] + pad["height"] * fy

    page.mouse.move(*at(0.1, 0.1))
    page.mouse.down()
    page.mouse.move(*at(0.3, 0.25), steps=4)
    page.mouse.move(*at(0.5, 0.4), steps=4)
    page.mouse.up()
    page.fill(f"{editor}-label", "Alert banner text")
    page.click(f"{editor} .add-region")
    page.fill(f"{editor}-label", "Lactate trend")
    for name, value in (("x", "60"), ("y", "50"), ("w", "30"), ("h", "20")):
        page.fill(f"{editor}-{name}", value)
    page.click(f"{editor} .add-region")
    page.click(f"{editor} .save-regions")
    page.wait_for_selector(f"{editor}-status:has-text('Saved 2')")


@pytest.mark.parametrize("viewport", SIZES, ids=SIZE_IDS)
def test_admin_runs_tools_webhooks_and_every_screen_passes_axe(
    live_server_url: str, watched: Any, make_user: Any, viewport: dict[str, int], tmp_path: Any
) -> None:
    make_user("admin", username="adele", display_name="Adele Admin")
    make_user("product_owner", username="pia", display_name="Pia Owner")
    seeded = _seed()
    hook = seeded["hook"]
    size = _name(viewport)
    page = watched(viewport)
    login(page, live_server_url, "adele", PASSWORD)
    page.goto(f"{live_server_url}/admin/workflows")
    page.wait_for_selector("#workflow-list li:has-text('medication reconciliation')")
    page.fill("#new-workflow-name", "discharge")
    page.fill("#new-workflow-description", "Discharge planning and teaching.")
    page.click("#new-workflow-form button[type=submit]")
    page.wait_for_selector("#workflow-list li:has-text('discharge')")
    _check(page, f"admin-workflows-{size}")
    _tab(page, "units")
    page.wait_for_selector("#unit-list li:has-text('6 North Oncology')")
    _check(page, f"admin-units-{size}")

    _tab(page, "tools")
    page.wait_for_selector("#no-tools")
    page.click("#new-tool summary")
    page.fill("#new-tool-name", "Sepsis early warning")
    page.fill("#new-tool-description", "Flags possible sepsis from vitals and labs.")
    page.click("#new-tool-form button[type=submit]")
    page.wait_for_selector("#screen-form")
    tool = Tool.objects.get(name="Sepsis early warning")
    picture = tmp_path / "alert.png"
    picture.write_bytes(_png("#2a6f97"))
    page.set_input_files("#scr-image", str(picture))
    page.fill("#scr-title", "Alert banner")
    page.click("#screen-form button[type=submit]")
    page.wait_for_selector("#screen-list img[alt^='Screen: Alert banner']")
    page.wait_for_function(
        "() => { const i = document.querySelector('#screen-list img');"
        " return i.complete && i.naturalWidth > 0; }"
    )
    (shown,) = tool.screens.all()
    _name_two_regions(page, shown.pk)
    shown.refresh_from_db()
    assert [r["label"] for r in shown.regions] == ["Alert banner text", "Lactate trend"]
    assert [round(v, 2) for v in shown.regions[1]["box"]] == [0.6, 0.5, 0.3, 0.2]
    dragged = zip(shown.regions[0]["box"], [0.1, 0.1, 0.4, 0.3], strict=True)
    assert all(abs(got - want) < 0.03 for got, want in dragged), shown.regions[0]
    _check(page, f"admin-tools-{size}")

    _tab(page, "webhooks")
    row = f"#hook-{hook.pk}"
    page.click(f"{row} .delivery-log summary")
    page.wait_for_selector(f"#deliveries-{hook.pk} tbody tr >> nth=1")
    log = page.inner_text(f"#deliveries-{hook.pk}")
    assert "Gave up" in log and "HTTP 503" in log and "Delivered" in log
    failed = WebhookDelivery.objects.get(webhook=hook, status="failed")
    page.click(f"#delivery-{failed.pk} .retry")  # the receiver is fixed: send it again
    page.wait_for_selector(f"#delivery-{failed.pk}:has-text('Waiting to send')")
    failed.refresh_from_db()
    assert failed.status == "pending" and failed.attempts == 0
    page.click(f"{row} .pause")
    page.wait_for_selector(f"{row} .badge-off")
    assert not Webhook.objects.get(pk=hook.pk).active
    page.fill("#hook-url", "https://ops.example.org/in")
    page.fill("#hook-secret", "another-synthetic-secret")
    page.check("#hook-events input[value='*']")
    page.click("#new-hook-form button[type=submit]")
    page.wait_for_selector("#hook-list li:has-text('ops.example.org')")
    page.click(f"{row} details.delivery-log summary")
    _check(page, f"admin-webhooks-{size}")
    page.click(f"{row} .delete")
    _confirm(page, "hook-delete-confirm")
    page.wait_for_selector(row, state="detached")
    assert not Webhook.objects.filter(pk=hook.pk).exists()

    _tab(page, "lifecycle")
    page.wait_for_selector("#retention-form")
    page.wait_for_selector("#devices")
    _check(page, f"admin-lifecycle-{size}")
    _tab(page, "audit")
    page.wait_for_selector("#audit-table tbody tr")
    _tab(page, "users")
    page.wait_for_selector("#user-list li:has-text('pia')")
    page.click("#role-guide summary")
    assert "backlog" in page.inner_text("#role-guide").lower()


@pytest.mark.parametrize("viewport", SIZES, ids=SIZE_IDS)
@pytest.mark.parametrize("role", ["product_owner", "observer", "clinician"])
def test_non_admins_see_no_admin_area_and_the_server_refuses_them(
    live_server_url: str, watched: Any, make_user: Any, viewport: dict[str, int], role: str
) -> None:
    make_user(role, username="nadia")
    target = make_user("clinician", username="cleo")
    UnitFactory(name="4 West")
    page = watched(viewport)
    login(page, live_server_url, "nadia", PASSWORD)
    assert page.locator("#nav a[data-area=admin]").count() == 0
    assert "Admin" not in page.inner_text("#main")  # no Home tile either
    page.goto(f"{live_server_url}/admin/users")
    page.wait_for_selector("#not-allowed")
    assert "not open to you" in page.inner_text("#not-allowed")
    assert page.locator("#admin-nav").count() == 0
    if viewport == PHONE:
        screenshot(page, f"admin-refused-{role}-phone")
    token = page.evaluate("document.cookie.match(/csrftoken=([^;]+)/)[1]")
    headers = {"X-CSRFToken": token, "Content-Type": "application/json"}
    base = live_server_url
    for path in ("/api/users/", "/api/users/roles/", "/api/audit/", "/api/webhooks/"):
        assert page.request.get(base + path).status == 403, path
    created = page.request.post(
        base + "/api/users/",
        headers=headers,
        data='{"username": "mallory", "password": "long-synthetic-pass-9", "roles": ["admin"]}',
    )
    assert created.status == 403 and created.json()["code"] == "forbidden"
    patched = page.request.patch(
        f"{base}/api/users/{target.pk}/", headers=headers, data='{"is_active": false}'
    )
    assert patched.status == 403
    assert not User.objects.filter(username="mallory").exists()
    assert User.objects.get(pk=target.pk).is_active


def test_offline_the_admin_area_says_it_needs_the_server_and_reopens_when_back(
    live_server_url: str, watched: Any, make_user: Any
) -> None:
    make_user("admin", username="adele")
    page = watched(PHONE)
    login(page, live_server_url, "adele", PASSWORD)
    page.goto(f"{live_server_url}/admin/users")
    page.wait_for_selector("#new-user-form")
    page.context.set_offline(True)
    page.wait_for_selector("#net.offline")
    _tab(page, "units")
    text = page.inner_text("#admin-offline")
    assert "You are offline" in text and "Capture still works offline" in text
    assert page.locator("#new-unit-form").count() == 0
    _check(page, "admin-offline-phone")
    page.context.set_offline(False)  # back online: the section opens by itself, no tap
    page.wait_for_selector("#new-unit-form", timeout=30000)
    assert page.evaluate("location.pathname") == "/admin/units"


@pytest.mark.parametrize("viewport", SIZES, ids=SIZE_IDS)
def test_a_product_owner_adds_a_unit_and_a_workflow_without_the_admin_area(
    live_server_url: str, watched: Any, make_user: Any, viewport: dict[str, int]
) -> None:
    make_user("product_owner", username="pia")
    page = watched(viewport)
    login(page, live_server_url, "pia", PASSWORD)
    assert page.locator("#nav a[data-area=admin]").count() == 0
    page.click("#nav a[data-area=reference]")
    page.wait_for_selector("#new-unit-form")
    page.fill("#new-unit-name", "3 South Step-down")
    page.click("#new-unit-form button[type=submit]")
    page.wait_for_selector("#unit-list li:has-text('3 South Step-down')")
    page.click("#reference-nav a[data-tab=workflows]")
    page.fill("#new-workflow-name", "handoff")
    page.click("#new-workflow-form button[type=submit]")
    page.wait_for_selector("#workflow-list li:has-text('handoff')")
    assert Unit.objects.filter(name="3 South Step-down").exists()
    assert Workflow.objects.filter(name="handoff").exists()
    _check(page, f"reference-workflows-{_name(viewport)}")


def test_devices_still_holding_unsynced_items_are_counted_and_listed_first(
    live_server_url: str, watched: Any, make_user: Any
) -> None:
    """An admin looking for the tablet that must sync before it is handed over finds it first,
    and is told how many of the devices seen hold items (the walk found a long list of zeros)."""
    from datetime import timedelta

    from feedback.models import Device

    make_user("admin", username="adele")
    oscar = make_user("observer", username="oscar")
    now = timezone.now()
    for n, (unsynced, age) in enumerate([(0, 1), (0, 2), (3, 30), (0, 5)]):
        Device.objects.create(
            device_id=f"tablet-{n}", user=oscar, unsynced=unsynced,
            last_seen_at=now - timedelta(minutes=age), user_agent="Synthetic tablet browser",
        )  # fmt: skip
    page = watched(TABLET)
    login(page, live_server_url, "adele", PASSWORD)
    page.goto(f"{live_server_url}/admin/lifecycle")
    page.wait_for_selector("#devices tbody tr")
    # The admin's own browser may register itself as a device at any moment after signing in
    # (CI once saw it between the two loads): count the rows the page drew.
    rows = page.locator("#devices tbody tr").all_inner_texts()
    summary = page.inner_text("#devices-summary")
    assert summary == f"1 of {len(rows)} devices holds unsynced items: listed first."
    first = page.locator("#devices tbody tr").first
    assert "tablet-2" in first.inner_text() and first.get_attribute("class") == "warn"
    order = [r.split()[0] for r in rows if r.startswith("tablet-")]
    assert order == ["tablet-2", "tablet-0", "tablet-1", "tablet-3"]

    Device.objects.filter(device_id="tablet-2").update(unsynced=0)
    page.reload()
    page.wait_for_selector("#devices tbody tr")
    seen = page.locator("#devices tbody tr").count()
    assert seen >= 4
    assert page.inner_text("#devices-summary") == f"No device holds unsynced items ({seen} seen)."
