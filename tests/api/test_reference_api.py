"""Units, workflows and tools: who may read and write, filters, cursor pagination."""

from __future__ import annotations

import pytest

from feedback.models import AuditEntry, Unit
from tests.conftest import assert_error
from tests.factories import ToolFactory, UnitFactory, WorkflowFactory

pytestmark = pytest.mark.django_db

RESOURCES = {
    "units": {"name": "5 East Oncology", "site": "Synthetic Campus"},
    "workflows": {"name": "blood culture collection", "description": "Drawing cultures."},
    "tools": {"name": "Deterioration Index", "description": "Predicts deterioration."},
}
WRITERS = {"admin", "product_owner"}
ALL = ["observer", "clinician", "product_owner", "admin", "outsider", "anon"]


@pytest.mark.parametrize("resource", list(RESOURCES))
@pytest.mark.parametrize("persona", ALL)
def test_who_may_read(clients, resource, persona):
    response = clients[persona].get(f"/api/{resource}/")
    if persona == "anon":
        assert_error(response, 401)
    else:
        assert response.status_code == 200
        assert set(response.json()) == {"results", "next", "previous"}


@pytest.mark.parametrize("resource", list(RESOURCES))
@pytest.mark.parametrize("persona", ALL)
def test_who_may_create(clients, resource, persona):
    response = clients[persona].post(f"/api/{resource}/", RESOURCES[resource], format="json")
    if persona in WRITERS:
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["name"] == RESOURCES[resource]["name"] and isinstance(body["id"], int)
        assert AuditEntry.objects.filter(action="create", object_id=str(body["id"])).exists()
    else:
        assert_error(response, 401 if persona == "anon" else 403)


@pytest.mark.parametrize("persona", ALL)
def test_who_may_edit_a_unit(clients, persona):
    unit = UnitFactory()
    response = clients[persona].patch(f"/api/units/{unit.pk}/", {"site": "North"}, format="json")
    if persona in WRITERS:
        assert response.status_code == 200 and response.json()["site"] == "North"
    else:
        assert_error(response, 401 if persona == "anon" else 403)
        unit.refresh_from_db()
        assert unit.site != "North"


def test_filters(clients):
    UnitFactory(name="4 West Med-Surg", site="Main")
    UnitFactory(name="MICU", site="North")
    WorkflowFactory(name="discharge", description="summaries")
    ToolFactory(name="Sepsis Early Warning", description="BPA for sepsis")
    names = lambda r: [x["name"] for x in r.json()["results"]]  # noqa: E731
    assert names(clients["observer"].get("/api/units/?site=North")) == ["MICU"]
    assert names(clients["observer"].get("/api/units/?q=west")) == ["4 West Med-Surg"]
    assert names(clients["observer"].get("/api/workflows/?q=summar")) == ["discharge"]
    assert names(clients["observer"].get("/api/tools/?q=bpa")) == ["Sepsis Early Warning"]


def test_cursor_pagination_walks_everything_once(clients, django_assert_max_num_queries):
    made = {UnitFactory().pk for _ in range(23)}
    seen, url = [], "/api/units/?page_size=10"
    while url:
        with django_assert_max_num_queries(4):
            page = clients["observer"].get(url).json()
        assert "count" not in page
        seen += [u["id"] for u in page["results"]]
        url = page["next"]
    assert len(seen) == len(set(seen)) == Unit.objects.count()
    assert made <= set(seen)


def test_invalid_cursor_is_404_json(clients):
    assert_error(clients["observer"].get("/api/units/?cursor=garbage"), 404)
