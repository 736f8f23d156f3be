"""The permission matrix: every /api/ route and method by every persona, in one table.

Each row reads, persona by persona (observer, clinician, product_owner, admin, outsider, anon):
`.` let through (the view answers: 200, 400, 404, ... but never 401/403/5xx), `3` refused with
403, `4` refused with 401. Ids in paths are ones no row has, so `.` on a detail route is a 404
from the view after the permission check (object-level checks answer 404 to those who may not
see the object, tested in each area's own tests). A route added without a row here fails
`test_every_route_has_a_row_and_every_row_a_route`; the roles behind each permission are in
feedback/roles.py and docs/api.md.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.conftest import PERSONAS, assert_error, token_client

pytestmark = pytest.mark.django_db

NO_SUCH_ID = "987654"
SKIPPED_PREFIXES = ("api/docs/", "api/redoc/")  # HTML pages of the schema, public by design

MATRIX = {
    "GET /api/audit/vocabulary/": "333.34",
    "GET /api/users/roles/": "333.34",
    "GET /api/webhooks/<id:pk>/deliveries/": "333.34",
    "GET /api/webhooks/events/": "333.34",
    "PATCH /api/webhooks/<id:pk>/": "333.34",
    "POST /api/webhooks/<id:pk>/deliveries/<id:delivery_id>/retry/": "333.34",
    "POST /api/auth/token/": "......",
    "DELETE /api/auth/token/": ".....4",
    "POST /api/auth/login/": "......",
    "POST /api/auth/logout/": "......",
    "GET /api/auth/csrf/": "......",
    "GET /api/auth/providers/": "......",
    "GET /api/me/": ".....4",
    "GET /api/schema/": "......",
    "GET /api/observations/": "....34",
    "POST /api/observations/": "....34",
    "POST /api/observations/sync/": "....34",
    "GET /api/observations/<id:pk>/": "....34",
    "POST /api/observations/<id:pk>/photos/": "....34",
    "POST /api/phi/check/": "....34",
    "POST /api/phi/photo-check/": "....34",
    "GET /api/tools/<id:tool_id>/screens/": ".....4",
    "POST /api/tools/<id:tool_id>/screens/": ".3..34",
    "GET /api/sessions/": ".3..34",
    "POST /api/sessions/": ".3..34",
    "POST /api/sessions/join/": "......",
    "GET /api/sessions/<id:pk>/": ".....4",
    "POST /api/sessions/<id:pk>/ratings/": ".....4",
    "POST /api/sessions/<id:pk>/comments/": ".....4",
    "POST /api/sessions/<id:pk>/end/": ".....4",
    "POST /api/sessions/<id:pk>/sus/": ".....4",
    "POST /api/sessions/<id:pk>/instruments/": ".....4",
    "GET /api/sessions/<id:pk>/instruments.csv": ".....4",
    "GET /api/sessions/<id:pk>/summary/": ".....4",
    "GET /api/sessions/<id:pk>/qr.svg": ".....4",
    "GET /api/screens/<id:pk>/": ".....4",
    "PATCH /api/screens/<id:pk>/": ".3..34",
    "GET /api/comments/<id:pk>/": "......",
    "PATCH /api/comments/<id:pk>/": "......",
    "DELETE /api/comments/<id:pk>/": "......",
    "GET /api/screens/<id:pk>/heatmap.png": ".....4",
    "GET /api/units/<id:pk>/you-said-we-did/": "....34",
    "GET /api/units/<id:pk>/you-said-we-did.pdf": "....34",
    "GET /api/backlog/export.csv": "33..34",
    "GET /api/stats/pain-points/": ".3..34",
    "GET /api/stats/ratings/": ".3..34",
    "GET /api/stats/versions/": ".3..34",
    "GET /api/stats/instruments/": ".3..34",
    "GET /api/stats/output-feedback/": ".3..34",
    "GET /api/tools/<id:tool_id>/versions/": ".....4",
    "POST /api/tools/<id:tool_id>/versions/": "33..34",
    "GET /api/tools/<id:tool_id>/keys/": "33..34",
    "POST /api/tools/<id:tool_id>/keys/": "33..34",
    "DELETE /api/tools/<id:tool_id>/keys/<id:key_id>/": "33..34",
    "POST /api/tools/<id:tool_id>/reporter-token/": "....34",
    "GET /api/tools/<id:tool_id>/output-feedback/": ".3..34",
    "POST /api/tools/<id:tool_id>/output-feedback/": "......",
    "GET /api/instruments/": "......",
    "GET /api/model-card-fields/": ".....4",
    "GET /api/output-feedback/vocabulary/": "......",
    "GET /api/retention/": "333.34",
    "PUT /api/retention/": "333.34",
    "GET /api/retention/runs/": "333.34",
    "GET /api/users/<id:pk>/export/": "333.34",
    "POST /api/users/<id:pk>/erase/": "333.34",
    "POST /api/users/<id:pk>/revoke-tokens/": "333.34",
    "POST /api/devices/heartbeat/": ".....4",
    "GET /api/devices/": "333.34",
    "GET /api/me/queue-key/": ".....4",
    "GET /api/themes/": "....34",
    "GET /api/users/": "333.34",
    "POST /api/users/": "333.34",
    "GET /api/users/<id:pk>/": "333.34",
    "PATCH /api/users/<id:pk>/": "333.34",
    "GET /api/units/": ".....4",
    "POST /api/units/": "33..34",
    "GET /api/units/<id:pk>/": ".....4",
    "PATCH /api/units/<id:pk>/": "33..34",
    "GET /api/workflows/": ".....4",
    "POST /api/workflows/": "33..34",
    "GET /api/workflows/<id:pk>/": ".....4",
    "PATCH /api/workflows/<id:pk>/": "33..34",
    "GET /api/tools/": ".....4",
    "POST /api/tools/": "33..34",
    "GET /api/tools/<id:pk>/": ".....4",
    "PATCH /api/tools/<id:pk>/": "33..34",
    "GET /api/notifications/": ".....4",
    "POST /api/notifications/read-all/": ".....4",
    "GET /api/notifications/<id:pk>/": ".....4",
    "POST /api/notifications/<id:pk>/read/": ".....4",
    "GET /api/audit/": "333.34",
    "GET /api/audit/<id:pk>/": "333.34",
    "GET /api/backlog/": "....34",
    "POST /api/backlog/": "33..34",
    "GET /api/backlog/similar/": "....34",
    "GET /api/backlog/<id:pk>/": "....34",
    "PATCH /api/backlog/<id:pk>/": "33..34",
    "POST /api/backlog/<id:pk>/evidence/": "33..34",
    "POST /api/backlog/<id:pk>/follow/": "....34",
    "POST /api/backlog/<id:pk>/merge/": "33..34",
    "POST /api/backlog/<id:pk>/unfollow/": "....34",
    "GET /api/webhooks/": "333.34",
    "POST /api/webhooks/": "333.34",
    "GET /api/webhooks/<id:pk>/": "333.34",
    "DELETE /api/webhooks/<id:pk>/": "333.34",
    "GET /api/legal-holds/": "333.34",
    "POST /api/legal-holds/": "333.34",
    "GET /api/legal-holds/<id:pk>/": "333.34",
    "DELETE /api/legal-holds/<id:pk>/": "333.34",
}


def _walk(patterns: list[Any], prefix: str = "") -> list[tuple[str, URLPattern]]:
    found: list[tuple[str, URLPattern]] = []
    for p in patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            found += _walk(p.url_patterns, route)
        elif isinstance(p, URLPattern):
            found.append((route, p))
    return found


def _methods(pattern: URLPattern) -> list[str]:
    callback = pattern.callback
    actions = getattr(callback, "actions", None)
    if actions:  # DRF adds "head" to a viewset's actions once it has served a GET
        return [m for m in actions if m != "head"]
    view = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    return [m for m in ("get", "post", "patch", "put", "delete") if hasattr(view, m)]


def served() -> dict[str, str]:
    """ "METHOD /route" → URL to call, for every route Django serves under /api/."""
    rows = {}
    for route, pattern in _walk(get_resolver().url_patterns):
        if not route.startswith("api/") or route.startswith(SKIPPED_PREFIXES):
            continue
        url = "/" + re.sub(r"<id:\w+>", NO_SUCH_ID, route)
        for method in _methods(pattern):
            rows[f"{method.upper()} /{route}"] = url
    return rows


def test_every_route_has_a_row_and_every_row_a_route():
    routes = served()
    assert len(routes) > 90, len(routes)
    assert sorted(set(routes) - set(MATRIX)) == [], "routes without a row in MATRIX"
    assert sorted(set(MATRIX) - set(routes)) == [], "rows for routes that no longer exist"
    assert all(len(v) == len(PERSONAS) and set(v) <= set(".34") for v in MATRIX.values())


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_is_let_through_or_refused_as_the_matrix_says(personas, persona):
    column = PERSONAS.index(persona)
    wrong = []
    for key, url in served().items():
        method = key.split(" ", 1)[0].lower()
        # A fresh client each time: DELETE /api/auth/token/ and logout end the token in use.
        response = getattr(token_client(personas[persona]), method)(url, {}, format="json")
        expected = MATRIX[key][column]
        status = response.status_code
        if expected == "4":
            ok = status == 401
        elif expected == "3":
            ok = status == 403
        else:
            ok = status not in (401, 403) and status < 500
        if not ok:
            wrong.append((key, expected, status))
        elif expected in "34":
            assert_error(response, status)
    assert wrong == []
