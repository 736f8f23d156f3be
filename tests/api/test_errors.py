"""Every 4xx has the SPEC error shape, whatever produced it."""

from __future__ import annotations

import pytest
from django.test import override_settings

from tests.conftest import assert_error

pytestmark = pytest.mark.django_db


def test_validation_error_lists_fields(clients):
    body = assert_error(clients["admin"].post("/api/units/", {}, format="json"), 400, "invalid")
    assert "name" in body["errors"]


def test_malformed_json_is_400_bad_request(clients):
    response = clients["admin"].post(
        "/api/units/", data="{not json", content_type="application/json"
    )
    assert_error(response, 400, "bad_request")


def test_not_authenticated_is_401(clients):
    assert_error(clients["anon"].get("/api/units/"), 401, "not_authenticated")


def test_bad_token_is_401(clients):
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert_error(client.get("/api/me/"), 401, "not_authenticated")


def test_role_not_allowed_is_403(clients):
    assert_error(
        clients["clinician"].post("/api/units/", {"name": "X"}, format="json"), 403, "forbidden"
    )


def test_unknown_api_route_is_json_404(clients):
    assert_error(clients["admin"].get("/api/no-such-thing/"), 404, "not_found")
    assert_error(clients["anon"].get("/api/no/such/thing"), 404, "not_found")


def test_missing_object_is_404(clients):
    assert_error(clients["admin"].get("/api/units/999999/"), 404, "not_found")


def test_method_not_allowed_is_405(clients):
    assert_error(clients["admin"].delete("/api/units/"), 405, "method_not_allowed")


def test_conflict_is_409(clients):
    clients["admin"].post("/api/workflows/", {"name": "discharge"}, format="json")
    body = assert_error(
        clients["admin"].post("/api/workflows/", {"name": "discharge"}, format="json"),
        409,
        "conflict",
    )
    assert "already exists" in body["detail"]


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1024)
def test_too_large_body_is_413(clients):
    big = {"name": "x" * 5000}
    assert_error(clients["admin"].post("/api/units/", big, format="json"), 413, "too_large")


def test_throttled_is_429_with_retry_after(clients, admin_user):
    for _ in range(5):
        clients["anon"].post(
            "/api/auth/token/", {"username": "ada", "password": "nope"}, format="json"
        )
    response = clients["anon"].post(
        "/api/auth/token/", {"username": "ada", "password": "nope"}, format="json"
    )
    assert_error(response, 429, "throttled")
    assert int(response["Retry-After"]) > 0


def test_wrong_type_is_400_not_500(clients):
    response = clients["admin"].post("/api/units/", {"name": ["a", "list"]}, format="json")
    assert_error(response, 400, "invalid")
    response = clients["admin"].post("/api/units/", ["not", "an", "object"], format="json")
    assert response.status_code == 400


def test_list_item_errors_are_flat_messages_per_field(clients):
    body = assert_error(
        clients["admin"].post(
            "/api/users/",
            {"username": "nia", "password": "long-synthetic-pass-9", "roles": ["wizard"]},
            format="json",
        ),
        400,
        "invalid",
    )
    assert list(body["errors"]) == ["roles"]
    messages = body["errors"]["roles"]
    assert isinstance(messages, list) and all(isinstance(m, str) for m in messages)
    assert "wizard" in messages[0] and messages[0].startswith("item 0")


def test_duplicate_unit_on_the_same_site_is_409_conflict(clients):
    first = clients["admin"].post("/api/units/", {"name": "MICU", "site": "Main"}, format="json")
    assert first.status_code == 201
    again = clients["product_owner"].post(
        "/api/units/", {"name": "MICU", "site": "Main"}, format="json"
    )
    body = assert_error(again, 409, "conflict")
    assert "errors" not in body and "already exists" in body["detail"]
    other_site = clients["admin"].post(
        "/api/units/", {"name": "MICU", "site": "North"}, format="json"
    )
    assert other_site.status_code == 201


def test_renaming_a_unit_onto_another_is_409(clients):
    clients["admin"].post("/api/units/", {"name": "MICU", "site": "Main"}, format="json")
    other = clients["admin"].post("/api/units/", {"name": "SICU", "site": "Main"}, format="json")
    clash = clients["admin"].patch(
        f"/api/units/{other.json()['id']}/", {"name": "MICU"}, format="json"
    )
    assert_error(clash, 409, "conflict")


def test_write_without_trailing_slash_redirects_keeping_the_method(clients):
    response = clients["admin"].post("/api/units", {"name": "No Slash"}, format="json")
    assert response.status_code == 308
    assert response["Location"] == "/api/units/"


def test_bare_api_path_is_json_404(clients):
    assert_error(clients["anon"].get("/api"), 404, "not_found")


def test_unsupported_media_type_is_415(clients):
    response = clients["admin"].post("/api/units/", data="name=x", content_type="text/plain")
    assert_error(response, 415, "unsupported_media_type")


def test_csrf_failure_says_how_to_fix_it(observer):
    from rest_framework.test import APIClient

    client = APIClient(enforce_csrf_checks=True)
    response = client.post(
        "/api/auth/login/", {"username": "olive", "password": "x"}, format="json"
    )
    body = assert_error(response, 403, "forbidden")
    assert "X-CSRFToken" in body["detail"] and "/api/auth/csrf/" in body["detail"]


def test_session_write_without_csrf_says_how_to_fix_it(observer):
    from rest_framework.test import APIClient

    from tests.factories import PASSWORD

    client = APIClient(enforce_csrf_checks=True)
    client.login(username="olive", password=PASSWORD)
    body = assert_error(client.post("/api/notifications/read-all/", {}, format="json"), 403)
    assert "X-CSRFToken" in body["detail"] and "Authorization: Token" in body["detail"]


def test_csrf_failure_outside_the_api_stays_html(client):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/", {"a": "b"})
    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/html")


def test_deeply_nested_json_is_400_not_500(clients):
    body = b"[" * 100_000 + b"]" * 100_000
    response = clients["admin"].post("/api/units/", data=body, content_type="application/json")
    assert_error(response, 400, "bad_request")


@override_settings(DEBUG=True)
def test_a_bug_under_the_api_answers_json_500_even_in_debug(clients, monkeypatch, caplog):
    from api.views import reference

    def broken(*args, **kwargs):
        raise RuntimeError("synthetic bug")

    monkeypatch.setattr(reference.UnitViewSet, "list", broken)
    clients["observer"].raise_request_exception = False
    response = clients["observer"].get("/api/units/")
    body = assert_error(response, 500, "server_error")
    assert "synthetic bug" not in body["detail"]  # details go to the log, not to the caller
    assert "RuntimeError on GET /api/units/" in caplog.text
