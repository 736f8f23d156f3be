"""GET|POST /api/tools/{id}/screens/: the photo pipeline's safety, and who may upload."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from tests import imagedata
from tests.conftest import assert_error
from tests.factories import ToolFactory
from tests.factories_sessions import ScreenFactory

pytestmark = pytest.mark.django_db


def upload(client, tool_id, data: bytes, name="screen.png", **fields):
    body = {"image": (io.BytesIO(data)), "title": "Sepsis alert v2", **fields}
    body["image"].name = name
    return client.post(f"/api/tools/{tool_id}/screens/", body, format="multipart")


@pytest.mark.parametrize(
    ("persona", "status"),
    [("observer", 201), ("product_owner", 201), ("admin", 201), ("clinician", 403),
     ("outsider", 403), ("anon", 401)],
)  # fmt: skip
def test_who_may_upload_a_screen(clients, persona, status):
    tool = ToolFactory()
    response = upload(clients[persona], tool.pk, imagedata.screen_png(800, 600), version="2")
    assert response.status_code == status, response.content[:300]
    if status == 201:
        body = response.json()
        assert set(body) >= {"id", "tool", "title", "version", "image_url", "thumb_url"}
        assert (body["tool"], body["version"], body["width"], body["height"]) == (
            tool.pk, "2", 800, 600,
        )  # fmt: skip


def test_stored_screen_is_a_reencoded_image_without_metadata(clients):
    tool = ToolFactory()
    source = imagedata.jpeg(imagedata.photographic(640, 480), orientation=6, metadata=True)
    body = upload(clients["observer"], tool.pk, source, name="s.jpg").json()
    fetched = clients["clinician"].get(body["image_url"].replace("http://testserver", ""))
    assert fetched.status_code == 200
    stored = Image.open(io.BytesIO(b"".join(fetched.streaming_content)))
    assert stored.format == "JPEG" and not stored.getexif()
    assert stored.size == (640, 480) == (body["width"], body["height"])  # as displayed
    thumb = clients["clinician"].get(body["thumb_url"].replace("http://testserver", ""))
    assert max(Image.open(io.BytesIO(b"".join(thumb.streaming_content))).size) <= 320


@pytest.mark.parametrize(
    ("data", "status", "code"),
    [
        (imagedata.pdf_bytes(), 400, "invalid_image"),
        (imagedata.truncated_jpeg(), 400, "invalid_image"),
        (imagedata.png_bomb(), 400, "invalid_image"),
        (imagedata.random_bytes(), 400, "invalid_image"),
        (imagedata.oversize_upload(21 * 1024 * 1024), 413, "too_large"),
    ],
    ids=["pdf", "truncated", "bomb", "noise", "oversize"],
)
def test_unsafe_uploads_are_refused_and_nothing_is_stored(clients, data, status, code):
    from feedback.models import Screen

    tool = ToolFactory()
    assert_error(upload(clients["observer"], tool.pk, data), status, code)
    assert not Screen.objects.exists()


def test_missing_title_or_image_is_a_validation_error(clients):
    tool = ToolFactory()
    response = clients["observer"].post(f"/api/tools/{tool.pk}/screens/", {}, format="multipart")
    body = assert_error(response, 400, "invalid")
    assert {"image", "title"} <= set(body["errors"])


def test_unknown_tool_is_404(clients):
    assert_error(upload(clients["observer"], 999999, imagedata.screen_png()), 404)
    assert_error(clients["observer"].get("/api/tools/999999/screens/"), 404)


@pytest.mark.parametrize(
    ("persona", "status"),
    [("observer", 200), ("clinician", 200), ("product_owner", 200), ("admin", 200),
     ("outsider", 200), ("anon", 401)],
)  # fmt: skip
def test_who_may_list_a_tools_screens(clients, persona, status):
    tool = ToolFactory()
    ScreenFactory(tool=tool)
    ScreenFactory()  # another tool's screen is not listed
    response = clients[persona].get(f"/api/tools/{tool.pk}/screens/")
    assert response.status_code == status
    if status == 200:
        assert [s["tool"] for s in response.json()["results"]] == [tool.pk]


def test_screen_list_query_count_is_pinned(clients, django_assert_max_num_queries):
    tool = ToolFactory()
    for _ in range(15):
        ScreenFactory(tool=tool)
    with django_assert_max_num_queries(4):
        response = clients["observer"].get(f"/api/tools/{tool.pk}/screens/")
    assert len(response.json()["results"]) == 15


def test_the_same_bytes_twice_return_the_stored_screen(clients):
    from feedback.models import Screen

    tool = ToolFactory()
    data = imagedata.screen_png(800, 600)
    first = upload(clients["observer"], tool.pk, data)
    again = upload(clients["product_owner"], tool.pk, data, title="Renamed on the second try")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()  # the stored screen, its title unchanged
    assert Screen.objects.filter(tool=tool).count() == 1


def test_the_same_bytes_for_another_tool_or_other_bytes_make_new_screens(clients):
    from feedback.models import Screen

    tool, other = ToolFactory(), ToolFactory()
    data = imagedata.screen_png(800, 600)
    assert upload(clients["observer"], tool.pk, data).status_code == 201
    assert upload(clients["observer"], other.pk, data).status_code == 201
    different = imagedata.screen_png(801, 600)
    assert upload(clients["observer"], tool.pk, different).status_code == 201
    assert Screen.objects.filter(tool=tool).count() == 2


def test_a_refused_upload_is_not_remembered(clients):
    tool = ToolFactory()
    assert_error(upload(clients["observer"], tool.pk, imagedata.truncated_jpeg()), 400)
    assert_error(upload(clients["observer"], tool.pk, imagedata.truncated_jpeg()), 400)
