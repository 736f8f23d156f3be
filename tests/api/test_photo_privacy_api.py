"""Faces and PHI text in uploaded photos: found, filled in every stored size, listed, and checked
before upload by POST /api/phi/photo-check/ (which stores nothing)."""

from __future__ import annotations

import io
import os
import random
import re
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from feedback import faces, ocr
from feedback.models import Photo
from tests import imagedata, photo_samples
from tests.conftest import assert_error
from tests.factories_capture import ObservationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("tesseract")]

CHECK = "/api/phi/photo-check/"
Box = tuple[float, float, float, float]


@pytest.fixture(scope="module")
def face_sample() -> photo_samples.Sample:
    return photo_samples.face_photo((3000, 2250), scale=1.5)


@pytest.fixture(scope="module")
def label_sample() -> photo_samples.Sample:
    return photo_samples.label_photo((3000, 2250), font_px=68)


def upload(client: Any, obs_id: int, data: bytes, client_id: str | None = None) -> Any:
    body = {
        "image": SimpleUploadedFile("photo.jpg", data, content_type="image/jpeg"),
        "client_id": client_id or str(uuid.uuid4()),
    }
    return client.post(f"/api/observations/{obs_id}/photos/", body, format="multipart")


def check(client: Any, data: bytes) -> Any:
    body = {"image": SimpleUploadedFile("photo.jpg", data, content_type="image/jpeg")}
    return client.post(CHECK, body, format="multipart")


def stored_sizes(photo: Photo) -> dict[str, Image.Image]:
    out = {}
    for name in ("full", "web", "thumb"):
        with getattr(photo, name).open("rb") as f:
            out[name] = Image.open(io.BytesIO(f.read())).convert("L")
    return out


def region(im: Image.Image, box: Box) -> Image.Image:
    left, top, right, bottom = box
    w, h = im.size
    return im.crop((int(left * w), int(top * h), max(int(left * w) + 1, int(right * w)),
                    max(int(top * h) + 1, int(bottom * h))))  # fmt: skip


def assert_solid(im: Image.Image, box: Box, what: str) -> None:
    """Pixel statistics over the region: filled solid, nothing of what was there is left."""
    part = region(im, box)
    _low, high = part.getextrema()
    mean = sum(i * n for i, n in enumerate(part.histogram())) / (part.width * part.height)
    assert high <= 40 and mean <= 8, f"{what} at {im.size}: max {high}, mean {mean:.1f}"


def covers(found: list[float], truth: Box) -> bool:
    x, y, w, h = found
    left, top, right, bottom = truth
    return x <= left and y <= top and x + w >= right and y + h >= bottom


def overlaps(face: tuple[float, float, float, float], truth: Box) -> bool:
    x, y, w, h = face
    return x < truth[2] and truth[0] < x + w and y < truth[3] and truth[1] < y + h


def read_text(im: Image.Image) -> str:
    return " ".join(w.text for w in ocr.read(im))


def test_a_face_is_filled_in_every_stored_size_and_listed(clients, observer, face_sample):
    truth = face_sample.regions["face"]
    displayed = face_sample.image.convert("L").reduce(2)
    assert any(overlaps(f, truth) for f in faces.find(displayed)), "the detector must see it first"
    obs = ObservationFactory(observer=observer)
    # Stored sideways, as a phone does: boxes are fractions of the photo as displayed.
    response = upload(clients["observer"], obs.pk, imagedata.jpeg(face_sample.image, orientation=6))
    assert response.status_code == 201, response.content
    found = response.json()["auto_redacted"]
    assert [f["kind"] for f in found] == ["face"] and "type" not in found[0]
    assert covers(found[0]["box"], truth), (found, truth)
    for size, im in stored_sizes(Photo.objects.get()).items():
        assert not [f for f in faces.find(im) if overlaps(f, truth)], f"a face is left in {size}"
        assert_solid(im, truth, f"the face in {size}")


def test_a_name_and_mrn_in_a_photo_are_filled_and_the_rest_stays_legible(
    clients, observer, label_sample
):
    before = read_text(label_sample.image.convert("L").reduce(2))
    assert photo_samples.NAME in before and photo_samples.MRN in before, before
    obs = ObservationFactory(observer=observer)
    response = upload(clients["observer"], obs.pk, imagedata.jpeg(label_sample.image))
    assert response.status_code == 201, response.content
    found = response.json()["auto_redacted"]
    assert {(f["kind"], f.get("type")) for f in found} == {("text", "NAME"), ("text", "MRN")}
    by_type = {f["type"]: f["box"] for f in found}
    assert covers(by_type["NAME"], label_sample.regions["name"])
    assert covers(by_type["MRN"], label_sample.regions["mrn"])
    secrets = [*photo_samples.NAME.split(), photo_samples.MRN[:5], photo_samples.MRN[-5:]]
    for size, im in stored_sizes(Photo.objects.get()).items():
        text = read_text(im)
        assert not [s for s in secrets if s.lower() in text.lower()], f"{size} reads: {text}"
        assert not re.search(r"\d{5,}", text), f"{size} reads: {text}"
        for key in ("name", "mrn"):
            assert_solid(im, label_sample.regions[key], f"the {key} in {size}")
    full = stored_sizes(Photo.objects.get())["full"]
    assert "West fall risk" in read_text(full)  # clean text stays readable
    for cue, box in (label_sample.kept or {}).items():  # and so do the cue words: ink on white
        low, high = region(full, box).getextrema()
        assert low < 80 and high > 200, f"the cue {cue!r} was filled too"


def test_photo_check_returns_what_an_upload_fills_and_stores_nothing(
    clients, observer, face_sample
):
    data = imagedata.jpeg(face_sample.image, orientation=6)
    response = check(clients["observer"], data)
    assert response.status_code == 200, response.content
    suggested = response.json()
    assert set(suggested) == {"auto_redacted"}
    assert [f["kind"] for f in suggested["auto_redacted"]] == ["face"]
    assert Photo.objects.count() == 0 and not stored_files()
    obs = ObservationFactory(observer=observer)
    uploaded = upload(clients["observer"], obs.pk, data).json()
    assert uploaded["auto_redacted"] == suggested["auto_redacted"]


def test_a_replayed_upload_lists_the_same_auto_redactions(clients, observer, label_sample):
    obs = ObservationFactory(observer=observer)
    data, key = imagedata.jpeg(label_sample.image.reduce(2)), str(uuid.uuid4())
    first = upload(clients["observer"], obs.pk, data, key)
    again = upload(clients["observer"], obs.pk, data, key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json() and first.json()["auto_redacted"]
    listed = clients["observer"].get(f"/api/observations/{obs.pk}/").json()["photos"]
    assert listed[0]["auto_redacted"] == first.json()["auto_redacted"]


@pytest.mark.parametrize(
    ("persona", "status"),
    [("observer", 200), ("clinician", 200), ("product_owner", 200), ("admin", 200),
     ("outsider", 403), ("anon", 401)],
)  # fmt: skip
def test_who_may_check_a_photo(clients, persona, status):
    small = imagedata.jpeg(imagedata.photographic(320, 240))
    response = check(clients[persona], small)
    assert response.status_code == status, response.content
    if status == 200:
        assert response.json() == {"auto_redacted": []}


@pytest.mark.parametrize(
    ("data", "status", "code"),
    [
        (imagedata.oversize_upload(), 413, "too_large"),
        (imagedata.png_bomb(), 400, "invalid_image"),
        (imagedata.png_over_limit(), 400, "invalid_image"),
        (imagedata.truncated_jpeg(), 400, "invalid_image"),
        (imagedata.pdf_bytes(), 400, "invalid_image"),
        (imagedata.encoded("GIF"), 400, "invalid_image"),
        (b"", 400, "invalid_image"),
    ],
    ids=["over-20MB", "bomb", "over-50MP", "truncated", "pdf", "gif", "empty"],
)
def test_photo_check_refuses_what_uploads_refuse(clients, data, status, code):
    response = check(clients["observer"], data)
    assert_error(response, status, code)
    assert not stored_files()


def test_photo_check_without_an_image_is_a_validation_error(clients):
    response = clients["observer"].post(CHECK, {"other": "x"}, format="multipart")
    assert_error(response, 400, "invalid")


def test_without_tesseract_photos_are_refused_not_stored_unchecked(clients, observer, monkeypatch):
    monkeypatch.setattr(ocr.shutil, "which", lambda name: None)
    obs = ObservationFactory(observer=observer)
    data = imagedata.jpeg(imagedata.photographic(640, 480))
    response = upload(clients["observer"], obs.pk, data)
    assert_error(response, 503, "unavailable")
    assert "tesseract-ocr" in response.json()["detail"]
    assert_error(check(clients["observer"], data), 503, "unavailable")
    assert Photo.objects.count() == 0 and not stored_files()


def test_ocr_that_runs_too_long_is_stopped_and_the_photo_refused(clients, observer, monkeypatch):
    monkeypatch.setattr(ocr, "TIMEOUT_SECONDS", 0.5)
    obs = ObservationFactory(observer=observer)
    response = upload(clients["observer"], obs.pk, specks())  # Tesseract needs ~15 s on this
    assert_error(response, 400, "invalid_image")
    assert "could not be checked" in response.json()["detail"]
    assert Photo.objects.count() == 0 and not stored_files()
    assert not tesseract_children(), "the Tesseract process must not outlive the request"


def specks() -> bytes:
    """Thousands of tiny dark marks: looks like text everywhere, reads as nothing."""
    im = Image.new("L", (2560, 1920), 255)
    draw = ImageDraw.Draw(im)
    rng = random.Random(1)
    for _ in range(60000):
        x, y = rng.randrange(2560), rng.randrange(1920)
        draw.rectangle((x, y, x + rng.randrange(2, 9), y + rng.randrange(2, 12)), fill=0)
    buf = io.BytesIO()
    im.save(buf, "PNG")
    return buf.getvalue()


def tesseract_children() -> list[int]:
    me, found = os.getpid(), []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        if f"\nPPid:\t{me}\n" in text and text.startswith("Name:\ttesseract"):
            found.append(int(status.parent.name))
    return found


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []
