"""Model versions and CHAI model cards on tools; screens, ratings and flags record the version;
the stats API compares versions side by side."""

from __future__ import annotations

import uuid

import pytest

from feedback.models import ModelVersion, Rating, Screen
from feedback.services import output_feedback as flags
from feedback.services.sessions import rating_submit
from tests.conftest import assert_error
from tests.factories import ToolFactory
from tests.factories_sessions import join, make_session, screen_ids
from tests.imagedata import screen_png

pytestmark = pytest.mark.django_db
PERSONAS = ["observer", "clinician", "product_owner", "admin", "outsider", "anon"]
CARD = {
    "intended_use_and_workflow": "Drafts discharge summaries for physician review.",
    "cautioned_out_of_scope_settings_and_use_cases": "Not for pediatric or obstetric notes.",
    "known_risks_and_limitations": "May omit medication changes made on the day of discharge.",
    "training_data_period": "Synthetic notes, 2019-2024.",
}


def expected(persona, allowed, ok):
    if persona == "anon":
        return 401
    return ok if persona in allowed else 403


@pytest.mark.parametrize("persona", PERSONAS)
def test_model_card_is_set_by_product_owners_and_admins_and_read_by_all(clients, persona):
    tool = ToolFactory()
    r = clients[persona].patch(f"/api/tools/{tool.pk}/", {"model_card": CARD}, format="json")
    code = expected(persona, ("product_owner", "admin"), 200)
    if code != 200:
        assert_error(r, code)
        return
    assert r.json()["model_card"] == CARD
    assert clients["clinician"].get(f"/api/tools/{tool.pk}/").json()["model_card"] == CARD


def test_model_card_fields_use_the_chai_names(clients):
    tool = ToolFactory()
    r = clients["admin"].patch(
        f"/api/tools/{tool.pk}/", {"model_card": {"intended_usage": "x"}}, format="json"
    )
    assert "model_card" in assert_error(r, 400, "invalid")["errors"]
    made = clients["admin"].post(
        "/api/tools/", {"name": "Sepsis alert", "model_card": CARD}, format="json"
    )
    assert made.status_code == 201 and made.json()["model_card"] == CARD


@pytest.mark.parametrize("persona", PERSONAS)
def test_versions_are_listed_for_everyone_and_added_by_owners(clients, persona):
    tool = ToolFactory()
    body = {"version": "2.4.0", "released_at": "2026-10-01", "notes": "New summarizer prompt"}
    r = clients[persona].post(f"/api/tools/{tool.pk}/versions/", body, format="json")
    code = expected(persona, ("product_owner", "admin"), 201)
    if code != 201:
        assert_error(r, code)
        assert not ModelVersion.objects.exists()
    else:
        assert r.json()["version"] == "2.4.0"
        again = clients[persona].post(f"/api/tools/{tool.pk}/versions/", body, format="json")
        assert_error(again, 409, "conflict")
    listed = clients[persona].get(f"/api/tools/{tool.pk}/versions/")
    if persona == "anon":
        assert_error(listed, 401)
    else:  # like /api/tools/ itself: anyone signed in reads
        assert listed.status_code == 200
        assert len(listed.json()["results"]) == (1 if code == 201 else 0)


def test_screens_ratings_and_flags_record_the_version_and_stats_compare_them(
    clients, observer, clinician
):
    session = make_session(observer)
    tool = session.tool
    first, second = screen_ids(session)
    Screen.objects.filter(pk=first).update(model_version="1.0")
    Screen.objects.filter(pk=second).update(model_version="2.0")
    ModelVersion.objects.create(tool=tool, version="1.0")
    ModelVersion.objects.create(tool=tool, version="2.0")
    me = join(session, clinician)
    rating_submit(participant=me, screen_id=first, scores={"usefulness": 2, "clarity": 2})
    rating_submit(participant=me, screen_id=second, scores={"usefulness": 5, "clarity": 4})
    assert set(Rating.objects.values_list("model_version", flat=True)) == {"1.0", "2.0"}
    for version, verdict in (("1.0", "not_helpful"), ("1.0", "not_helpful"), ("2.0", "helpful")):
        flags.flag_submit(
            tool_id=tool.pk,
            data=flags.FlagInput(
                client_id=uuid.uuid4(), output_ref="o/1", model_version=version, verdict=verdict
            ),
        )
    r = clients["observer"].get(f"/api/stats/versions/?tool={tool.pk}")
    assert r.status_code == 200, r.content
    rows = {v["model_version"]: v for v in r.json()["versions"]}
    assert list(rows) == ["1.0", "2.0"]
    assert rows["1.0"]["ratings"] == {"count": 1, "means": {"clarity": 2.0, "usefulness": 2.0}}
    assert rows["2.0"]["ratings"]["means"]["usefulness"] == 5.0
    assert rows["1.0"]["flags"]["not_helpful"] == 2 and rows["2.0"]["flags"]["helpful"] == 1
    assert rows["1.0"]["screens"] == 1 and rows["1.0"]["registered"] is True


def test_screen_upload_takes_a_model_version(clients):
    tool = ToolFactory()
    r = clients["observer"].post(
        f"/api/tools/{tool.pk}/screens/",
        {"image": _png(), "title": "Draft", "version": "3", "model_version": "scribe-2.3.1"},
        format="multipart",
    )
    assert r.status_code == 201, r.content
    assert r.json()["model_version"] == "scribe-2.3.1"
    bad = clients["observer"].post(
        f"/api/tools/{tool.pk}/screens/",
        {"image": _png(), "title": "Draft", "model_version": "has space"},
        format="multipart",
    )
    assert "model_version" in assert_error(bad, 400)["errors"]


def _png():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("s.png", screen_png(200, 150), content_type="image/png")


@pytest.mark.parametrize("persona", PERSONAS)
def test_version_stats_are_for_dashboard_readers(clients, persona):
    tool = ToolFactory()
    r = clients[persona].get(f"/api/stats/versions/?tool={tool.pk}")
    code = expected(persona, ("observer", "product_owner", "admin"), 200)
    if code != 200:
        assert_error(r, code)
    else:
        assert r.json()["versions"] == []
