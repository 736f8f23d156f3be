"""GET /api/themes/: themes cite, count and are labelled from only the evidence the caller sees."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from feedback.models import Comment, Observation
from feedback.services.themes import themes_recompute
from tests.conftest import assert_error
from tests.factories import ToolFactory, UnitFactory
from tests.factories_backlog import CommentFactory, ObservationFactory, ScreenFactory
from tests.feedback.theme_mix import generate

URL = "/api/themes/"


@pytest.fixture
def floor(personas):
    """The generated mix spread over two units, a tool, a clinician's own reports and others'."""
    clinician = personas["clinician"]
    west, east = UnitFactory(name="4 West"), UnitFactory(name="5 East")
    tool = ToolFactory(name="Sepsis Predictor")
    screen = ScreenFactory(tool=tool)
    for i, (text, _) in enumerate(generate(per_problem=6, seed=7)):
        if i % 5 == 0:
            mine = i % 2 == 0
            participant = {"participant__user": clinician} if mine else {}
            CommentFactory(text=text, screen=screen, **participant)
        else:
            ObservationFactory(
                description=text,
                unit=west if i % 2 else east,
                observer=clinician if i % 3 == 0 else personas["observer"],
                role_observed="nurse" if i % 2 else "pharmacist",
                tool=tool if "sepsis" in text.lower() else None,
            )
    themes_recompute()
    return {"clinician": clinician, "west": west, "tool": tool}


def listed(body: dict) -> set[tuple[str, int]]:
    return {
        (kind, pk)
        for theme in body["themes"]
        for kind, ids in theme["evidence"].items()
        for pk in ids
    }


def test_product_owner_sees_themes_with_evidence_counts_and_labels(clients, floor) -> None:
    r = clients["product_owner"].get(URL)
    assert r.status_code == 200
    body = r.json()
    assert body["computed_at"] and body["model"].startswith("sentence-transformers/")
    assert len(body["themes"]) >= 5
    for theme in body["themes"]:
        ids = [pk for pks in theme["evidence"].values() for pk in pks]
        assert theme["size"] == len(ids) >= 2
        assert sum(theme["by_role"].values()) == theme["size"]
        assert sum(u["count"] for u in theme["by_unit"]) == len(theme["evidence"]["observations"])
        texts = " ".join(
            list(Observation.objects.filter(pk__in=theme["evidence"]["observations"])
                 .values_list("description", flat=True))
            + list(Comment.objects.filter(pk__in=theme["evidence"]["comments"])
                   .values_list("text", flat=True))
        ).lower()  # fmt: skip
        assert all(word.lower() in texts for word in theme["label"].split(" · "))
    sizes = [t["size"] for t in body["themes"]]
    assert sizes == sorted(sizes, reverse=True)


def test_clinician_themes_cite_and_quote_only_their_own_evidence(clients, floor) -> None:
    clinician = floor["clinician"]
    body = clients["clinician"].get(URL).json()
    own_obs = set(Observation.objects.filter(observer=clinician).values_list("pk", flat=True))
    own_comments = set(
        Comment.objects.filter(participant__user=clinician).values_list("pk", flat=True)
    )
    own = {("observations", pk) for pk in own_obs} | {("comments", pk) for pk in own_comments}
    assert body["themes"], "the clinician's own reports form themes too"
    assert listed(body) <= own
    own_text = " ".join(
        list(Observation.objects.filter(pk__in=own_obs).values_list("description", flat=True))
        + list(Comment.objects.filter(pk__in=own_comments).values_list("text", flat=True))
    ).lower()
    for theme in body["themes"]:
        assert theme["example"]["text"].lower() in own_text
        assert all(word.lower() in own_text for word in theme["label"].split(" · "))
    everything = listed(clients["product_owner"].get(URL).json())
    assert len(listed(body)) < len(everything)


def test_observer_sees_all_evidence_admin_too(clients, floor) -> None:
    everything = listed(clients["product_owner"].get(URL).json())
    assert listed(clients["observer"].get(URL).json()) == everything
    assert listed(clients["admin"].get(URL).json()) == everything


def test_filters_narrow_the_evidence(clients, floor) -> None:
    west = clients["product_owner"].get(URL, {"unit": floor["west"].pk}).json()
    cited = listed(west)
    assert cited and {kind for kind, _ in cited} == {"observations"}
    assert set(Observation.objects.filter(pk__in=[pk for _, pk in cited])
               .values_list("unit_id", flat=True)) == {floor["west"].pk}  # fmt: skip
    tool = clients["product_owner"].get(URL, {"tool": floor["tool"].pk}).json()
    assert tool["themes"] and all("comments" in t["evidence"] for t in tool["themes"])
    future = (timezone.now() + dt.timedelta(days=1)).isoformat()
    assert clients["product_owner"].get(URL, {"since": future}).json()["themes"] == []


def test_no_snapshot_yet_answers_empty(clients, db) -> None:
    body = clients["product_owner"].get(URL).json()
    assert body["themes"] == [] and body["computed_at"] is None


@pytest.mark.parametrize("params", [{"since": "yesterday"}, {"unit": "x"}, {"tool": "0"}])
def test_bad_filters_are_400(clients, db, params) -> None:
    assert_error(clients["product_owner"].get(URL, params), 400, "invalid")


def test_who_may_read_themes(clients, db) -> None:
    assert_error(clients["anon"].get(URL), 401)
    assert_error(clients["outsider"].get(URL), 403)
