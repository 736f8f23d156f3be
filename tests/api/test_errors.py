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
