"""Ids are one thing everywhere: a path or body id that no row can have is a 4xx with the error
shape, never a 500 (found by fuzzing: `/api/backlog/null,null/`, a 20-digit id, an id < -2**63)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from feedback.ids import MAX_ID, is_id
from tests.conftest import assert_error

pytestmark = pytest.mark.django_db

BAD_IDS = ["null,null", str(MAX_ID + 1), "99999999999999999999999", "-1", "0", "1.5", "%20"]


def _routes(patterns: list[Any], prefix: str = "") -> list[str]:
    found: list[str] = []
    for p in patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            found += _routes(p.url_patterns, route)
        elif isinstance(p, URLPattern):
            found.append(route)
    return found


def id_routes() -> list[str]:
    """Every /api/ route whose path holds an id, as Django sees it (router and hand-written)."""
    routes = [r for r in _routes(get_resolver().url_patterns) if r.startswith("api/")]
    with_ids = sorted({r for r in routes if "<id:" in r})
    assert len(with_ids) > 20, with_ids  # the walk must see the routes, or it proves nothing
    return with_ids


def test_no_route_takes_a_raw_int_or_string_id():
    routes = [r for r in _routes(get_resolver().url_patterns) if r.startswith("api/")]
    loose = [r for r in routes if re.search(r"<(int|str|path):\w*(pk|id)\b", r)]
    assert loose == []


@pytest.mark.parametrize("bad", BAD_IDS)
def test_a_bad_path_id_is_a_json_404_for_every_route_and_method(clients, bad):
    admin = clients["admin"]
    for route in id_routes():
        url = "/" + re.sub(r"<id:\w+>", bad, route)
        url = re.sub(r"<\w+:\w+>", "x", url)
        for method in ("get", "post", "patch", "put", "delete"):
            response = getattr(admin, method)(url, {}, format="json")
            assert response.status_code < 500, (method, url, response.status_code)
            if response.status_code == 404:
                assert_error(response, 404)


def test_a_good_id_still_reaches_the_view(clients, admin_user):
    response = clients["admin"].get(f"/api/users/{admin_user.pk}/")
    assert response.status_code == 200, response.content


@pytest.mark.parametrize("ids", [[-(2**63) - 1], [MAX_ID + 1], [0], ["x"], [True]])
def test_notification_ids_outside_the_key_range_are_invalid(clients, ids):
    response = clients["observer"].post("/api/notifications/read-all/", {"ids": ids}, format="json")
    assert_error(response, 400, "invalid")


def test_is_id():
    assert is_id(1) and is_id(MAX_ID)
    assert not any(is_id(v) for v in (0, -1, MAX_ID + 1, True, 1.0, "1", None))
