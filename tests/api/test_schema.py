"""The OpenAPI schema validates and documents errors; the docs page loads nothing from a CDN."""

from __future__ import annotations

import re

import pytest
import yaml
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def test_schema_is_valid_openapi(schema):
    validate(schema)
    assert schema["openapi"].startswith("3.")


def test_every_operation_documents_its_errors(schema):
    ops = [
        (path, method, op)
        for path, item in schema["paths"].items()
        for method, op in item.items()
        if method in ("get", "post", "patch", "put", "delete")
    ]
    assert len(ops) > 15
    for path, method, op in ops:
        errors = [c for c in op["responses"] if c.startswith("4")]
        assert errors, f"{method.upper()} {path} documents no error"
        for code in errors:
            content = op["responses"][code]["content"]["application/json"]["schema"]
            assert content == {"$ref": "#/components/schemas/Error"}, (path, code)


def test_core_paths_are_described(schema):
    for path in [
        "/api/auth/token/",
        "/api/me/",
        "/api/users/",
        "/api/units/",
        "/api/workflows/",
        "/api/tools/",
        "/api/notifications/",
        "/api/audit/",
    ]:
        assert path in schema["paths"], path


def test_docs_are_served_without_a_cdn(client):
    page = client.get("/api/docs/").content.decode()
    urls = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert urls and all(u.startswith("/") for u in urls), urls
    assert "cdn" not in page.lower()
