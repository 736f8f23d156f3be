"""Photo API: who may upload, limits, hostile files, redaction, stripped metadata, replay."""

from __future__ import annotations

import io
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from feedback.models import AuditEntry, Photo
from tests import imagedata
from tests.conftest import assert_error
from tests.factories_capture import ObservationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("tesseract")]


@pytest.fixture
def obs(observer: Any) -> Any:
    return ObservationFactory(observer=observer)


def upload(client: Any, obs_id: int, data: bytes, *, client_id: str | None = None,
           redact: str | None = None, name: str = "photo.jpg") -> Any:  # fmt: skip
    body: dict[str, Any] = {
        "image": SimpleUploadedFile(name, data, content_type="application/octet-stream"),
        "client_id": client_id or str(uuid.uuid4()),
    }
    if redact is not None:
        body["redact"] = redact
    return client.post(f"/api/observations/{obs_id}/photos/", body, format="multipart")


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def read_media(client: Any, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    return b"".join(response.streaming_content)


def test_owner_uploads_a_photo_and_gets_three_renditions(clients, obs):
    response = upload(clients["observer"], obs.pk, imagedata.jpeg(imagedata.photographic(640, 480)))
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == {"id", "url", "web_url", "thumb_url", "width", "height", "auto_redacted"}
    assert body["auto_redacted"] == []  # a synthetic scene: no face, no text
    assert (body["width"], body["height"]) == (640, 480)
    for key, folder in (("url", "full"), ("web_url", "web"), ("thumb_url", "thumb")):
        assert body[key].startswith(f"/media/photos/{folder}/") and body[key].endswith(".jpg")
    thumb = Image.open(io.BytesIO(read_media(clients["observer"], body["thumb_url"])))
    assert max(thumb.size) == 320 and thumb.format == "JPEG"
    assert len(stored_files()) == 3
    listed = clients["observer"].get(f"/api/observations/{obs.pk}/").json()["photos"]
    assert listed == [body]
    assert AuditEntry.objects.filter(action="create", object_type="feedback.photo").exists()


def test_exif_gps_xmp_and_comments_are_absent_from_every_stored_file(clients, obs):
    upload(clients["observer"], obs.pk, imagedata.jpeg(orientation=6, metadata=True))
    files = stored_files()
    assert len(files) == 3
    for path in files:
        data = path.read_bytes()
        assert not [m for m in imagedata.LEAK_MARKERS if m in data], path
        im = Image.open(path)
        assert not im.getexif() and "exif" not in im.info and "comment" not in im.info


def test_orientation_is_applied_to_the_stored_pixels(clients, obs):
    body = upload(clients["observer"], obs.pk, imagedata.jpeg(orientation=6)).json()
    assert (body["width"], body["height"]) == (640, 480)


def test_redacted_region_is_filled_before_storing(clients, obs):
    source = imagedata.jpeg(imagedata.marked(400, 200), orientation=8, metadata=False)
    body = upload(clients["observer"], obs.pk, source, redact="[[0, 0, 0.25, 0.25]]").json()
    full = Image.open(io.BytesIO(read_media(clients["observer"], body["url"]))).convert("RGB")
    red_corner = full.getpixel((20, 20))
    green_corner = full.getpixel((full.width - 20, 20))
    assert max(red_corner) < 40  # the red block is gone, filled solid
    assert green_corner[1] > 150 and green_corner[0] < 80
    assert Photo.objects.get().redacted_regions == 1


def test_replayed_client_id_answers_200_with_the_same_photo(clients, obs):
    key = str(uuid.uuid4())
    first = upload(clients["observer"], obs.pk, imagedata.jpeg(), client_id=key)
    again = upload(clients["observer"], obs.pk, imagedata.jpeg(), client_id=key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert Photo.objects.count() == 1 and len(stored_files()) == 3


def test_client_id_replayed_against_another_observation_is_409(clients, obs, observer):
    key = str(uuid.uuid4())
    upload(clients["observer"], obs.pk, imagedata.jpeg(), client_id=key)
    other = ObservationFactory(observer=observer)
    assert_error(upload(clients["observer"], other.pk, imagedata.jpeg(), client_id=key), 409)
    assert Photo.objects.count() == 1


def test_25_mb_upload_is_413_and_nothing_is_stored(clients, obs):
    assert_error(upload(clients["observer"], obs.pk, imagedata.oversize_upload()), 413, "too_large")
    assert not Photo.objects.exists() and not stored_files()


@pytest.mark.parametrize(
    "data",
    [
        imagedata.png_bomb(),
        imagedata.png_over_limit(),
        imagedata.truncated_jpeg(),
        imagedata.pdf_bytes(),
        imagedata.svg_bytes(),
        imagedata.random_bytes(),
        b"",
    ],
    ids=["bomb", "over-50mp", "truncated", "pdf", "svg", "random", "empty"],
)
def test_hostile_or_non_image_upload_is_400_invalid_image(clients, obs, data):
    assert_error(upload(clients["observer"], obs.pk, data), 400, "invalid_image")
    assert not Photo.objects.exists() and not stored_files()


@pytest.mark.parametrize(
    "redact", ["not json", "[[0, 0, 2, 1]]", '{"a": 1}', "[[0.5, 0.5, 0.6, 0.1]]"]
)
def test_bad_redact_is_400_with_a_redact_error(clients, obs, redact):
    body = assert_error(upload(clients["observer"], obs.pk, imagedata.jpeg(), redact=redact), 400)
    assert "redact" in body["errors"]
    assert not stored_files()


def test_missing_image_or_client_id_is_400(clients, obs):
    url = f"/api/observations/{obs.pk}/photos/"
    no_image = clients["observer"].post(url, {"client_id": str(uuid.uuid4())}, format="multipart")
    assert "image" in assert_error(no_image, 400, "invalid")["errors"]
    bad_key = upload(clients["observer"], obs.pk, imagedata.jpeg(), client_id="nope")
    assert "client_id" in assert_error(bad_key, 400, "invalid")["errors"]


@pytest.mark.parametrize("body", ["[1]", '"x"', "null", '{"client_id": "x"}'])
def test_a_json_body_is_415_not_a_crash(clients, obs, body):
    url = f"/api/observations/{obs.pk}/photos/"
    response = clients["observer"].post(url, body, content_type="application/json")
    assert_error(response, 415, "unsupported_media_type")


def test_admin_may_upload_to_anyones_observation(clients, obs):
    assert upload(clients["admin"], obs.pk, imagedata.jpeg()).status_code == 201


def test_product_owner_and_other_observers_may_see_but_not_upload(clients, obs, make_user):
    from tests.conftest import token_client

    assert_error(upload(clients["product_owner"], obs.pk, imagedata.jpeg()), 403, "forbidden")
    other_observer = token_client(make_user("observer"))
    assert_error(upload(other_observer, obs.pk, imagedata.jpeg()), 403, "forbidden")
    assert not Photo.objects.exists()


def test_clinician_uploading_to_an_observation_they_cannot_see_gets_404(clients, obs, clinician):
    assert_error(upload(clients["clinician"], obs.pk, imagedata.jpeg()), 404, "not_found")
    own = ObservationFactory(observer=clinician)
    assert upload(clients["clinician"], own.pk, imagedata.jpeg()).status_code == 201


def test_outsider_anonymous_and_missing_observation(clients, obs):
    assert_error(upload(clients["outsider"], obs.pk, imagedata.jpeg()), 403)
    assert_error(upload(clients["anon"], obs.pk, imagedata.jpeg()), 401)
    assert_error(upload(clients["admin"], 987654, imagedata.jpeg()), 404)


def test_stored_photo_files_are_served_only_to_who_may_see_them(clients, obs):
    body = upload(clients["observer"], obs.pk, imagedata.jpeg()).json()
    assert clients["product_owner"].get(body["thumb_url"]).status_code == 200
    assert clients["clinician"].get(body["thumb_url"]).status_code == 404
    assert clients["anon"].get(body["thumb_url"]).status_code == 401
