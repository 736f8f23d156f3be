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
    # The page embeds a random 64-character CSRF token, which holds "cdn" in about 1 run in 500
    # (a PostgreSQL leg failed on it): the token is not a reference to anything, so it is left out.
    page = re.sub(r'"X-CSRFTOKEN"\] = "[A-Za-z0-9]+"', '"X-CSRFTOKEN"] = ""', page)
    assert "X-CSRFTOKEN" in page and "cdn" not in page.lower()


def _api_routes():
    from django.urls import URLResolver, get_resolver

    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            else:
                yield prefix + str(p.pattern)

    for route in walk(get_resolver().url_patterns):
        if route.startswith("api/") and route not in ("api/schema/", "api/docs/", "api/redoc/"):
            route = route.replace("^", "").replace("$", "").replace("\\.", ".")
            route = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", route)
            yield "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route).replace("{pk}", "{id}")


def test_every_api_route_is_in_the_schema(schema):
    routes = set(_api_routes())
    assert len(routes) > 30
    assert routes - set(schema["paths"]) == set()


EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["'](?:https?:)?//""", re.I)


@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
def test_doc_pages_load_nothing_from_other_hosts(client, path):
    response = client.get(path)
    assert response.status_code == 200
    page = response.content.decode()
    assert not EXTERNAL.search(page), EXTERNAL.findall(page)
    assert "googleapis" not in page and "gstatic" not in page


def test_swagger_ui_sends_the_schema_to_no_online_validator(client):
    page = client.get("/api/docs/").content.decode()
    assert '"validatorUrl": null' in page
