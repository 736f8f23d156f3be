"""Demo activity (feedback.demo through `load_demo`): every view has something on first run."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from feedback import demo
from feedback.models import (
    BacklogItem,
    CodesignSession,
    Comment,
    EvidenceComment,
    EvidenceObservation,
    EvidenceRating,
    InstrumentResponse,
    Notification,
    Observation,
    Rating,
    Screen,
)
from feedback.models.backlog import STATUSES

pytestmark = pytest.mark.django_db

COUNTED = (
    Observation,
    CodesignSession,
    Rating,
    Comment,
    Screen,
    InstrumentResponse,
    BacklogItem,
    EvidenceObservation,
    EvidenceRating,
    EvidenceComment,
    Notification,
)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


def test_demo_has_observations_across_every_unit_and_workflow():
    call_command("load_demo")
    assert Observation.objects.count() == len(demo.OBSERVATIONS) >= 30
    assert Observation.objects.values("unit").distinct().count() == 3
    assert Observation.objects.values("workflow").distinct().count() == 5
    assert Observation.objects.values("observer").distinct().count() == 2
    assert set(Observation.objects.values_list("severity", flat=True)) == {1, 2, 3, 4}


def test_demo_session_is_finished_with_ratings_comments_pins_and_questionnaires():
    call_command("load_demo")
    session = CodesignSession.objects.get(title=demo.SESSION_TITLE)
    assert session.state == CodesignSession.ENDED and session.ended_at is not None
    raters = len(demo.PARTICIPANTS) + 1
    rated = [spec for spec in demo.SCREENS if spec["tool"] == 0]  # the session's tool
    assert session.ratings.count() == raters * len(rated)
    comments = session.comments.all()
    assert comments.count() == len(demo.COMMENTS)
    assert all(c.pin_x is not None and c.pin_y is not None for c in comments)
    by_region = sum(isinstance(where, str) for *_, where in demo.COMMENTS)
    assert comments.exclude(region="").count() == by_region > 0  # picked from named regions
    assert {r.instrument for r in InstrumentResponse.objects.filter(session=session)} == {
        "sus",
        "umux_lite",
    }


def test_demo_backlog_has_every_status_with_evidence():
    call_command("load_demo")
    assert set(BacklogItem.objects.values_list("status", flat=True)) == set(STATUSES)
    live = BacklogItem.objects.exclude(status="duplicate")
    assert all(item.observations.exists() for item in live)
    assert EvidenceComment.objects.exists() and EvidenceRating.objects.exists()
    duplicate = BacklogItem.objects.get(status="duplicate")
    assert duplicate.merged_into.status == "in_progress"
    for item in BacklogItem.objects.filter(status__in=["shipped", "declined"]):
        assert item.resolution_note and item.resolved_at
    assert BacklogItem.objects.filter(status="in_progress").get().priority > 0


def test_demo_text_needed_no_phi_masking():
    """Synthetic only: the PHI guard found nothing to mask in any demo text."""
    call_command("load_demo")
    assert not Observation.objects.exclude(phi_redacted=[]).exists()
    assert not Comment.objects.exclude(phi_redacted=[]).exists()
    assert not BacklogItem.objects.exclude(phi_redacted=[]).exists()
    assert "[REDACTED" not in " ".join(Comment.objects.values_list("text", flat=True))


def test_loading_the_demo_twice_adds_nothing(capsys):
    call_command("load_demo")
    first = counts()
    capsys.readouterr()
    call_command("load_demo")
    assert counts() == first
    assert "0 observations, 0 finished sessions, 0 backlog items added" in capsys.readouterr().out


def test_demo_with_if_empty_leaves_an_existing_database_alone():
    call_command("load_demo", "--if-empty")
    first = counts()
    Observation.objects.filter(pk=Observation.objects.first().pk).delete()
    call_command("load_demo", "--if-empty")
    assert counts()["Observation"] == first["Observation"] - 1


def test_demo_screens_are_pngs_with_regions_inside_them():
    png = demo.screen_png({**demo.SCREENS[0], "tool_name": "Sepsis Early Warning"})
    assert png.startswith(b"\x89PNG")
    for spec in demo.SCREENS:
        for region in spec["regions"]:
            x, y, w, h = region["box"]
            assert min(x, y) >= 0 and x + w <= 1 and y + h <= 1
