"""In Chromium: a shared tablet. Anna queues three items offline (one with a photo) and signs
out; Ben signs in on the same browser and can read none of it (IndexedDB holds ciphertext only);
Anna signs back in and her items sync. Plus the devices heartbeat and the storage notice."""

from __future__ import annotations

import time
from typing import Any

import pytest

from feedback.models import Device, Observation, Photo
from tests.factories import PASSWORD, UnitFactory, WorkflowFactory
from tests.imagedata import photographic
from tests.pwa.conftest import login, wait_for_service_worker
from tests.pwa.test_offline_capture import capture, unsynced

pytestmark = pytest.mark.browser

TEXTS = (
    "Barcode scanner drops wifi at the med cart",
    "Huddle board photo: discharge list out of date",
    "Sepsis BPA fired 3 times during med rec",
)

RAW_DUMP = """async (userId) => {
  // Read the database the way anyone at the tablet could: raw IndexedDB, no app code.
  const db = await new Promise((ok, no) => {
    const r = indexedDB.open(`rounds-capture-u${userId}`);
    r.onsuccess = () => ok(r.result); r.onerror = () => no(r.error);
  });
  const read = (store) => new Promise((ok) => {
    const r = db.transaction(store).objectStore(store).getAll(); r.onsuccess = () => ok(r.result);
  });
  const records = await read('observations');
  const keys = await read('keys');
  const text = (buf) => new TextDecoder('latin1').decode(buf);
  const out = {
    records: records.map((r) => ({
      fields: Object.keys(r).sort(),
      dataIsBytes: r.data instanceof ArrayBuffer,
      dataText: text(r.data),
      photoText: r.photo ? text(r.photo.data) : '',
      photoIsBytes: r.photo ? r.photo.data instanceof ArrayBuffer : null,
    })),
    keys: keys.map((k) => ({ id: k.id, isCryptoKey: k.key instanceof CryptoKey })),
    json: JSON.stringify(records),
  };
  db.close();
  return out;
}"""


@pytest.fixture
def tablet(make_user: Any, tmp_path: Any) -> dict[str, Any]:
    photo = tmp_path / "board.png"
    photographic(480, 360, seed=3).save(photo)
    return {
        "anna": make_user("observer", username="anna", display_name="Anna Observer"),
        "ben": make_user("observer", username="ben", display_name="Ben Observer"),
        "unit": UnitFactory(name="4 West Med-Surg"),
        "workflow": WorkflowFactory(name="medication reconciliation"),
        "photo": photo,
    }


# [storage persisted?, "Sync before closing" hidden?]
NOTE = (
    "async () => [await navigator.storage.persisted(),"
    " document.getElementById('storage-note')?.hidden ?? true]"
)


def sign_out(page: Any) -> None:
    page.click("#logout")
    # With unsynced items the app asks first (they stay locked here until their owner is back).
    page.wait_for_selector("#login-form, #logout-confirm[open]")
    if page.locator("#logout-confirm[open]").count():
        page.click("#logout-confirm-yes")
    page.wait_for_selector("#login-form")


def test_the_next_user_of_a_shared_tablet_reads_nothing_and_the_owner_syncs_later(
    live_server_url: str, new_context: Any, tablet: dict[str, Any]
) -> None:
    anna, ben = tablet["anna"], tablet["ben"]
    ctx = new_context()
    page = ctx.new_page()
    login(page, live_server_url, "anna", PASSWORD)
    page.click("#nav a[data-area='capture']")
    page.wait_for_selector(f"#unit option[value='{tablet['unit'].id}']", state="attached")
    wait_for_service_worker(page)

    ctx.set_offline(True)
    capture(page, tablet, TEXTS[0], 2)
    capture(page, tablet, TEXTS[1], 3, photo=True)
    capture(page, tablet, TEXTS[2], 4)
    assert unsynced(page) == ("3", "3 unsynced")
    note = page.evaluate(NOTE)
    assert note[1] == note[0], "items wait: the notice shows exactly when storage was refused"
    sign_out(page)  # still offline: the queue stays on the tablet, locked
    assert page.evaluate(NOTE)[1], "signed out: no storage notice on the sign-in page"

    dump = page.evaluate(RAW_DUMP, anna.pk)
    assert len(dump["records"]) == 3
    for record in dump["records"]:
        assert record["fields"] == ["client_id", "created", "data", "iv", "photo"]
        assert record["dataIsBytes"]
    assert sum(r["photoIsBytes"] is True for r in dump["records"]) == 1
    blob = dump["json"] + "".join(r["dataText"] + r["photoText"] for r in dump["records"])
    for text in (
        *TEXTS,
        "Barcode",
        "huddle",
        "med rec",
        "JFIF",
        "description",
        "severity",
        "nurse",
    ):
        assert text not in blob, f"{text!r} readable in IndexedDB after sign-out"
    assert {k["id"] for k in dump["keys"]} == {"dk"}  # the wrapped data key only; no usable key

    ctx.set_offline(False)
    login(page, live_server_url, "ben", PASSWORD)
    page.click("#nav a[data-area='capture']")
    page.wait_for_selector("#queue-list")
    assert unsynced(page)[0] == "0"
    attempt = page.evaluate(
        """async (annaId) => {
          const q = await import('/static/pwa/js/queue.js');
          const out = {};
          try { await q.all(annaId); out.read = 'read'; }
          catch (e) { out.read = e.name || e.message; }
          // Ben's own key, the only one the server gives him, does not open Anna's queue.
          const k = await (await fetch('/api/me/queue-key/')).json();
          try { await q.unlock(annaId, k.key); out.unlock = 'opened'; }
          catch (e) { out.unlock = e.name || String(e); }
          try { await q.all(annaId); out.after = 'read'; }
          catch (e) { out.after = e.name || 'locked'; }
          return out;
        }""",
        anna.pk,
    )
    assert (
        attempt["read"] != "read" and attempt["unlock"] != "opened" and attempt["after"] != "read"
    )
    assert Observation.objects.count() == 0
    sign_out(page)

    login(page, live_server_url, "anna", PASSWORD)  # Anna again: unlocked, synced
    page.click("#nav a[data-area='capture']")
    page.wait_for_function(
        "document.querySelectorAll('#synced-list li[data-status=stored]').length === 3"
    )
    page.wait_for_function("document.querySelector('#capture-unsynced').textContent === '0'")
    assert sorted(
        Observation.objects.filter(observer=anna).values_list("description", flat=True)
    ) == sorted(TEXTS)
    assert Photo.objects.filter(observation__observer=anna).count() == 1
    assert not Observation.objects.filter(observer=ben).exists()
    deadline = time.monotonic() + 10  # the heartbeat follows the sync within seconds
    while not Device.objects.filter(user=anna, unsynced=0).exists():
        assert time.monotonic() < deadline, list(Device.objects.values())
        time.sleep(0.2)
    assert Device.objects.filter(user=ben).exists()
    (device,) = Device.objects.filter(user=anna)
    assert Device.objects.get(user=ben).device_id == device.device_id  # one tablet, two people
    note = page.evaluate(NOTE)
    # Nothing waits now: no "Sync before closing", whatever the browser said about storage.
    assert note[1], "the notice shows only when storage was refused and items wait"


def test_an_admin_sees_devices_with_unsynced_items(
    live_server_url: str, new_context: Any, tablet: dict[str, Any], make_user: Any
) -> None:
    make_user("admin", username="adele")
    Device.objects.create(device_id="tab-4w-07", user=tablet["anna"], unsynced=4,
                          last_seen_at="2026-03-01T07:00:00Z")  # fmt: skip
    page = new_context().new_page()
    login(page, live_server_url, "adele", PASSWORD)
    page.click("#nav a[data-area='admin']")
    page.click("#admin-nav a[data-tab='lifecycle']")
    page.wait_for_selector("#devices tbody tr")
    row = page.locator("#devices tbody tr.warn").first
    assert "tab-4w-07" in row.inner_text() and "anna" in row.inner_text()
    page.fill("#ret-photos_days", "200")
    page.click("#retention-form button[type=submit]")
    page.wait_for_selector("#toast:not([hidden])")
    page.fill("#ret-audit_days", "100")
    page.click("#retention-form button[type=submit]")
    page.wait_for_function(
        "document.getElementById('retention-error').textContent.includes('2190')"
    )
    from feedback.services.retention import retention_policy

    assert retention_policy().photos_days == 200 and retention_policy().audit_days == 2190
    page.fill("#hold-name", "Matter 2026-17")
    page.select_option("#hold-unit", str(tablet["unit"].id))
    page.click("#hold-form button[type=submit]")
    page.wait_for_selector("#holds tbody tr")
    assert "Matter 2026-17" in page.inner_text("#holds")
