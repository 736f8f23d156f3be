"""In Chromium: capture offline into the per-user IndexedDB queue, survive a reload, sync once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from feedback.models import Observation, Photo
from tests.conftest import token_client
from tests.factories import PASSWORD, UnitFactory, WorkflowFactory
from tests.imagedata import photographic
from tests.pwa.conftest import login, wait_for_service_worker

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("tesseract")]

BOX = (0.1, 0.2, 0.4, 0.3)  # the redaction box drawn on the photo: x, y, w, h as fractions


@pytest.fixture
def setup(make_user: Any, tmp_path: Path) -> dict[str, Any]:
    user = make_user("observer", username="oscar", display_name="Oscar Observer")
    photo = tmp_path / "ward-board.png"
    photographic(640, 480, seed=7).save(photo)
    unit = UnitFactory(name="4 West Med-Surg")
    workflow = WorkflowFactory(name="medication reconciliation")
    return {"user": user, "unit": unit, "workflow": workflow, "photo": photo}


def open_capture(page: Any, base: str, unit_id: int) -> None:
    login(page, base, "oscar", PASSWORD)
    page.click("#nav a[data-area='capture']")
    page.wait_for_selector(f"#unit option[value='{unit_id}']", state="attached")
    wait_for_service_worker(page)


def draw_box(page: Any, box: tuple[float, float, float, float]) -> None:
    canvas = page.wait_for_selector("canvas.redact-canvas")
    rect = canvas.bounding_box()
    x, y, w, h = box
    page.mouse.move(rect["x"] + x * rect["width"], rect["y"] + y * rect["height"])
    page.mouse.down()
    end = (rect["x"] + (x + w) * rect["width"], rect["y"] + (y + h) * rect["height"])
    page.mouse.move(*end, steps=6)
    page.mouse.up()
    page.wait_for_function("document.querySelector('#redact-count').textContent.startsWith('1 ')")


def capture(page: Any, s: dict[str, Any], text: str, severity: int, photo: bool = False) -> None:
    page.select_option("#unit", str(s["unit"].id))
    page.select_option("#workflow", str(s["workflow"].id))
    page.fill("#description", text)
    page.click(f"label[for='severity-{severity}']")
    if photo:
        page.set_input_files("#photo-file", str(s["photo"]))
        draw_box(page, BOX)
    before = page.locator("#queue-list li[data-client-id]").count()
    page.click("#save")
    page.wait_for_function(
        f"document.querySelectorAll('#queue-list li[data-client-id]').length === {before + 1}"
    )


def wait_count(page: Any, selector: str, n: int) -> None:
    page.wait_for_function(
        "([sel, n]) => document.querySelectorAll(sel).length === n", arg=[selector, n]
    )


def unsynced(page: Any) -> tuple[str, str]:
    return page.inner_text("#capture-unsynced"), page.inner_text("#unsynced")


def queued_photo_pixels(page: Any) -> dict[str, Any]:
    """Decode the photo blob kept in IndexedDB; sample a pixel inside and outside the box."""
    return page.evaluate(
        """async ([x, y, w, h]) => {
          const q = await import('/static/pwa/js/queue.js');
          const me = JSON.parse(localStorage.getItem('rounds.me'));
          const r = (await q.all(me.id)).find((rec) => rec.photo);
          const bmp = await createImageBitmap(r.photo);
          const c = new OffscreenCanvas(bmp.width, bmp.height);
          const ctx = c.getContext('2d');
          ctx.drawImage(bmp, 0, 0);
          const px = (fx, fy) => [...ctx.getImageData(
            Math.floor(fx * bmp.width), Math.floor(fy * bmp.height), 1, 1).data];
          return {type: r.photo.type, redact: r.redact.length,
                  inside: px(x + w / 2, y + h / 2), outside: px(0.9, 0.9)};
        }""",
        list(BOX),
    )


def assert_region_black(photo: Photo) -> None:
    with photo.full.open("rb") as f:
        im = Image.open(f).convert("L")
        im.load()
    x, y, w, h = BOX
    width, height = im.size
    # Inset by 2% so the check ignores JPEG ringing at the box edge.
    inner = im.crop(
        (
            int((x + 0.02) * width),
            int((y + 0.02) * height),
            int((x + w - 0.02) * width),
            int((y + h - 0.02) * height),
        )
    )
    outer = im.crop((int(0.6 * width), int(0.6 * height), width, height))
    assert inner.getextrema()[1] <= 24, "the redacted region must be solid black"
    assert outer.getextrema()[1] > 100, "outside the box the photo must still be visible"


def test_offline_captures_survive_reload_and_sync_exactly_once(
    live_server_url: str, new_context: Any, setup: dict[str, Any]
) -> None:
    ctx = new_context()
    page = ctx.new_page()
    sync_bodies: list[Any] = []
    page.on(
        "request",
        lambda r: sync_bodies.append(r.post_data_json) if r.url.endswith("/sync/") else None,
    )
    open_capture(page, live_server_url, setup["unit"].id)

    ctx.set_offline(True)
    capture(page, setup, "Barcode scanner loses wifi at the med cart", 2)
    capture(page, setup, "Whiteboard photo of the discharge huddle board", 3, photo=True)
    capture(page, setup, "BPA fired 3 times during med rec at 0700", 4)
    assert unsynced(page) == ("3", "3 unsynced")
    assert Observation.objects.count() == 0
    tags = page.evaluate("async () => (await navigator.serviceWorker.ready).sync.getTags()")
    assert "rounds-sync" in tags, "saving offline asks for a Background Sync"

    page.reload()
    page.wait_for_selector("body[data-ready='1']")
    page.wait_for_selector("#queue-list li[data-status='pending']")
    assert page.locator("#queue-list li[data-status='pending']").count() == 3
    assert unsynced(page) == ("3", "3 unsynced")
    assert "1 photo (redacted)" in page.inner_text("#queue-list")
    assert page.input_value("#unit") == str(setup["unit"].id)  # remembered for the next capture
    stored_blob = queued_photo_pixels(page)
    assert stored_blob["type"] == "image/jpeg" and stored_blob["redact"] == 1
    assert max(stored_blob["inside"][:3]) <= 24, "IndexedDB must hold the photo already redacted"
    assert max(stored_blob["outside"][:3]) > 24
    assert page.input_value("#workflow") == str(setup["workflow"].id)

    ctx.set_offline(False)  # the online event starts the sync
    page.wait_for_function("document.querySelector('#capture-unsynced').textContent === '0'")
    page.wait_for_function(
        "document.querySelectorAll('#synced-list li[data-status=stored]').length === 3"
    )
    assert page.locator("#queue-list li[data-client-id]").count() == 0
    assert page.is_hidden("#unsynced")
    assert "3 stored" in page.inner_text("#sync-status")

    user = setup["user"]
    assert Observation.objects.filter(observer=user).count() == 3
    assert Photo.objects.count() == 1
    photo = Photo.objects.get()
    assert photo.observation.description.startswith("Whiteboard photo")
    assert photo.redacted_regions == 1
    assert_region_black(photo)

    # Replays: the app's own "Sync now", then the exact batch the app sent, then the photo again.
    page.click("#sync-now")
    page.wait_for_function(
        "document.querySelector('#sync-status').textContent.startsWith('Up to date')"
    )
    assert len(sync_bodies) == 1 and len(sync_bodies[0]["observations"]) == 3
    api = token_client(user)
    replay = api.post("/api/observations/sync/", sync_bodies[0], format="json")
    assert replay.status_code == 200
    assert [r["status"] for r in replay.json()["results"]] == ["duplicate"] * 3
    again = api.post(
        f"/api/observations/{photo.observation_id}/photos/",
        {"image": setup["photo"].open("rb"), "client_id": str(photo.client_id)},
        format="multipart",
    )
    assert again.status_code == 200 and again.json()["id"] == photo.id
    assert Observation.objects.count() == 3
    assert Photo.objects.count() == 1


def test_lost_sync_answer_is_resent_as_duplicate_and_then_leaves_the_queue(
    live_server_url: str, new_context: Any, setup: dict[str, Any]
) -> None:
    ctx = new_context()
    page = ctx.new_page()
    open_capture(page, live_server_url, setup["unit"].id)

    # The server stores the batch but the tablet never hears back (wifi drops mid-response).
    def lose_answer(route: Any) -> None:
        route.fetch()
        route.abort("connectionreset")

    page.route("**/api/observations/sync/", lose_answer)
    capture(page, setup, "Pump library out of date on 4 West", 2)
    page.wait_for_function("document.querySelector('#sync-status').textContent.includes('waiting')")
    assert Observation.objects.count() == 1
    item = page.locator("#queue-list li[data-client-id]")
    assert item.get_attribute("data-status") == "pending"
    assert "retry" in item.inner_text()

    page.unroute("**/api/observations/sync/")
    page.click("#sync-now")
    page.wait_for_function("document.querySelector('#capture-unsynced').textContent === '0'")
    assert Observation.objects.count() == 1


def test_rejected_item_shows_reason_and_resends_after_edit(
    live_server_url: str, new_context: Any, setup: dict[str, Any]
) -> None:
    ctx = new_context()
    page = ctx.new_page()
    open_capture(page, live_server_url, setup["unit"].id)
    ctx.set_offline(True)
    capture(page, setup, "Label printer jams at discharge", 1)
    # The unit is deleted from the lists while the tablet was offline: the server rejects the item.
    page.evaluate(
        """async () => {
          const q = await import('/static/pwa/js/queue.js');
          const me = JSON.parse(localStorage.getItem('rounds.me'));
          const [r] = await q.all(me.id);
          await q.put(me.id, {...r, payload: {...r.payload, unit: 999999}});
        }"""
    )
    ctx.set_offline(False)
    page.wait_for_selector("#queue-list li[data-status='rejected']")
    assert "unit" in page.inner_text("#queue-list li[data-status='rejected'] .reason")
    assert page.inner_text("#capture-unsynced") == "1"
    assert Observation.objects.count() == 0

    page.click("#queue-list button[data-act='edit']")
    assert "unit" in page.inner_text("#edit-banner:not([hidden])")
    page.select_option("#unit", str(setup["unit"].id))
    page.click("#save")
    page.wait_for_function("document.querySelector('#capture-unsynced').textContent === '0'")
    obs = Observation.objects.get()
    assert obs.unit_id == setup["unit"].id and obs.description == "Label printer jams at discharge"


def test_each_user_on_a_shared_tablet_keeps_a_separate_queue(
    live_server_url: str, new_context: Any, setup: dict[str, Any], make_user: Any
) -> None:
    make_user("observer", username="olga", display_name="Olga Other")
    ctx = new_context()
    page = ctx.new_page()
    open_capture(page, live_server_url, setup["unit"].id)
    page.route("**/api/observations/sync/", lambda route: route.abort("connectionrefused"))
    capture(page, setup, "Oscar's pending item", 2)
    assert page.inner_text("#capture-unsynced") == "1"

    page.click("#logout")  # one item is unsynced: the app asks first
    page.wait_for_selector("#logout-confirm[open]")
    assert "1 item not synced yet" in page.inner_text("#logout-confirm")
    page.click("#logout-confirm-no")
    assert page.is_visible("#logout")  # still signed in
    page.click("#logout")
    page.click("#logout-confirm-yes")
    page.wait_for_selector("#login-form")
    assert page.is_hidden("#unsynced")
    login(page, live_server_url, "olga", PASSWORD)
    page.click("#nav a[data-area='capture']")
    page.wait_for_selector("#queue-list li")
    assert page.inner_text("#capture-unsynced") == "0"
    assert "Oscar" not in page.inner_text("#queue-list")
    assert Observation.objects.count() == 0


def test_conflicting_item_is_kept_and_resent_as_a_new_observation(
    live_server_url: str, new_context: Any, setup: dict[str, Any]
) -> None:
    ctx = new_context()
    page = ctx.new_page()
    open_capture(page, live_server_url, setup["unit"].id)
    capture(page, setup, "Allergy banner hidden behind order panel", 3)
    page.wait_for_function("document.querySelector('#capture-unsynced').textContent === '0'")
    stored = Observation.objects.get()
    # The same client_id comes back with other content (e.g. restored from an old backup).
    page.evaluate(
        """async ([clientId, unit, workflow]) => {
          const q = await import('/static/pwa/js/queue.js');
          const me = JSON.parse(localStorage.getItem('rounds.me'));
          const r = q.newRecord({client_id: clientId, captured_at: new Date().toISOString(),
            unit, workflow, role_observed: 'nurse', description: 'Edited elsewhere',
            severity: 2, frequency: 'once', patient_safety: false, tags: []});
          await q.add(me.id, r);
        }""",
        [str(stored.client_id), setup["unit"].id, setup["workflow"].id],
    )
    page.click("#sync-now")
    page.wait_for_selector("#queue-list li[data-status='conflict']")
    assert "different content" in page.inner_text("#queue-list .reason")
    assert Observation.objects.count() == 1

    page.click("#queue-list button[data-act='edit']")
    assert "new observation" in page.inner_text("#edit-banner:not([hidden])")
    page.click("#save")
    page.wait_for_function("document.querySelector('#capture-unsynced').textContent === '0'")
    assert Observation.objects.count() == 2
    assert Observation.objects.get(client_id=stored.client_id).description == stored.description
    assert Observation.objects.exclude(pk=stored.pk).get().description == "Edited elsewhere"


def test_form_warns_about_phi_online_and_offline(
    live_server_url: str, new_context: Any, setup: dict[str, Any]
) -> None:
    ctx = new_context()
    page = ctx.new_page()
    open_capture(page, live_server_url, setup["unit"].id)
    page.fill("#description", "Pt John Smith MRN 12345678 waited for meds")
    warning = page.inner_text("#phi-warning:not([hidden])")
    assert "mrn" in warning.lower() and "12345678" not in warning
    assert "[REDACTED-MRN]" in warning

    # Clinical workflow language clears the warning once the server has checked it.
    page.fill("#description", "BPA fired 3 times during med rec at 0700")
    page.wait_for_selector("#phi-warning", state="hidden")

    page.fill("#description", "Pt John Smith MRN 12345678 waited again")
    page.wait_for_selector("#phi-warning", state="visible")
    # Offline the in-browser check of the common shapes keeps warning (phi-offline.js).
    ctx.set_offline(True)
    page.fill("#description", "Pt Jane Roe MRN 87654321, call 555-201-9988")
    page.wait_for_function(
        "document.querySelector('#phi-warning').textContent.startsWith('Offline check')"
    )
    warning = page.inner_text("#phi-warning:not([hidden])")
    assert all(kind in warning for kind in ("mrn", "phone", "name")), warning
    page.fill("#description", "BPA fired 3 times during med rec at 0700")
    page.wait_for_selector("#phi-warning", state="hidden")


def test_background_sync_event_flushes_the_queue(
    live_server_url: str, new_context: Any, setup: dict[str, Any]
) -> None:
    ctx = new_context()
    page = ctx.new_page()
    open_capture(page, live_server_url, setup["unit"].id)
    cdp = ctx.new_cdp_session(page)
    registrations: list[str] = []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda e: registrations.extend(r["registrationId"] for r in e["registrations"]),
    )
    cdp.send("ServiceWorker.enable")
    page.route("**/api/observations/sync/", lambda route: route.abort("connectionrefused"))
    capture(page, setup, "Vitals interface drops readings overnight", 2)
    page.wait_for_selector("#sync-status:has-text('waiting for the server')")
    page.unroute("**/api/observations/sync/")
    assert registrations, "the service worker is registered"

    # What Chromium does when connectivity returns for a registered "rounds-sync" tag.
    cdp.send(
        "ServiceWorker.dispatchSyncEvent",
        {
            "origin": live_server_url,
            "registrationId": registrations[-1],
            "tag": "rounds-sync",
            "lastChance": False,
        },
    )
    page.wait_for_function("document.querySelector('#capture-unsynced').textContent === '0'")
    assert Observation.objects.get().description == "Vitals interface drops readings overnight"
