"""In Chromium: a photo with a synthetic name and MRN shows the server's suggested boxes filled on
the preview before saving; the user can still add boxes; the queued photo has them burnt in."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from feedback.models import Photo
from tests import photo_samples
from tests.factories import UnitFactory, WorkflowFactory
from tests.pwa.test_offline_capture import draw_box, open_capture

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("tesseract")]


@pytest.fixture
def setup(make_user: Any, tmp_path: Path) -> dict[str, Any]:
    make_user("observer", username="oscar", display_name="Oscar Observer")
    sample = photo_samples.label_photo((1600, 1200), font_px=40)
    path = tmp_path / "wristband-label.png"
    sample.image.save(path)
    return {"unit": UnitFactory(), "workflow": WorkflowFactory(), "sample": sample, "path": path}


def centre(box: tuple[float, float, float, float]) -> tuple[float, float]:
    return ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)


PIXEL = """async ([fx, fy, fromQueue]) => {
  let source = document.querySelector('canvas.redact-canvas');
  if (fromQueue) {
    const q = await import('/static/pwa/js/queue.js');
    const me = JSON.parse(localStorage.getItem('rounds.me'));
    const r = (await q.all(me.id)).find((rec) => rec.photo);
    source = await createImageBitmap(r.photo);
  }
  const c = new OffscreenCanvas(source.width, source.height);
  const ctx = c.getContext('2d');
  ctx.drawImage(source, 0, 0);
  const x = Math.floor(fx * source.width), y = Math.floor(fy * source.height);
  const [r, g, b] = ctx.getImageData(x, y, 1, 1).data;
  return Math.max(r, g, b);
}"""


def test_suggested_boxes_are_filled_on_the_preview_and_burnt_into_the_queued_photo(
    live_server: Any, new_context: Any, setup: dict[str, Any]
) -> None:
    page = new_context().new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    open_capture(page, live_server.url, setup["unit"].id)
    page.set_input_files("#photo-file", str(setup["path"]))
    page.wait_for_function(
        "document.querySelector('#photo-suggest').textContent.startsWith('Blacked out')"
    )
    note = page.inner_text("#photo-suggest")
    assert "name" in note and "MRN" in note and "face" not in note, note
    name, mrn = setup["sample"].regions["name"], setup["sample"].regions["mrn"]
    for box in (name, mrn):
        assert page.evaluate(PIXEL, [*centre(box), False]) <= 40, "suggested boxes are filled"
    board = (mrn[2] + 0.04, (mrn[1] + mrn[3]) / 2)
    assert page.evaluate(PIXEL, [*board, False]) >= 200, "the rest of the label stays visible"
    # Suggestions are not the user's boxes: the count and undo are about what the user drew.
    assert page.inner_text("#redact-count").startswith("0 ")
    assert page.is_disabled("#redact-undo"), "nothing drawn yet: nothing to undo"
    page.locator("canvas.redact-canvas").scroll_into_view_if_needed()
    draw_box(page, (0.6, 0.6, 0.2, 0.2))
    page.click("#redact-undo")
    assert page.is_disabled("#redact-undo")
    assert page.evaluate(PIXEL, [*centre(name), False]) <= 40, "undo leaves suggestions filled"
    page.locator("canvas.redact-canvas").scroll_into_view_if_needed()
    draw_box(page, (0.6, 0.6, 0.2, 0.2))

    page.select_option("#unit", str(setup["unit"].id))
    page.select_option("#workflow", str(setup["workflow"].id))
    page.fill("#description", "Label printer output is hard to read at the bedside")
    page.click("label[for='severity-2']")
    page.context.set_offline(True)  # keep it queued, to read what the device holds
    page.click("#save")
    page.wait_for_selector("#queue-list li[data-client-id]")
    for box in (name, mrn):
        assert page.evaluate(PIXEL, [*centre(box), True]) <= 40, "the queued photo is filled"
    assert Photo.objects.count() == 0
    assert not errors, errors
