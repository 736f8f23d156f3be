"""Closing the loop: resolution notes, notifications to exactly the contributors, a unit's
"You said, we did" page and its one-page PDF poster (text extracted with pypdf)."""

from __future__ import annotations

import io
import uuid

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from feedback.context import Actor
from feedback.models import Notification, UnitPoster
from feedback.services import backlog as svc
from feedback.services import output_feedback as flags
from tests.conftest import assert_error
from tests.factories import ToolFactory, UnitFactory, UserFactory
from tests.factories_backlog import (
    BacklogItemFactory,
    CommentFactory,
    ObservationFactory,
    ParticipantFactory,
    RatingFactory,
)

pytestmark = pytest.mark.django_db
PERSONAS = ["observer", "clinician", "product_owner", "admin", "outsider", "anon"]
NOTE = "Moved the allergy check before the sepsis alert; it fires once per order now."


def ship(client, item, note=NOTE, status="shipped"):
    for step in ("triaged", "planned", "in_progress"):
        if status == "shipped":
            assert (
                client.patch(
                    f"/api/backlog/{item.pk}/", {"status": step}, format="json"
                ).status_code
                == 200
            )
    body = {"status": status} if note is None else {"status": status, "resolution_note": note}
    return client.patch(f"/api/backlog/{item.pk}/", body, format="json")


@pytest.mark.parametrize("status", ["shipped", "declined"])
def test_shipping_or_declining_needs_a_resolution_note(clients, status):
    item = BacklogItemFactory(status="in_progress")
    r = clients["product_owner"].patch(
        f"/api/backlog/{item.pk}/", {"status": status}, format="json"
    )
    assert "resolution_note" in assert_error(r, 400, "invalid")["errors"]
    blank = clients["product_owner"].patch(
        f"/api/backlog/{item.pk}/", {"status": status, "resolution_note": "   "}, format="json"
    )
    assert_error(blank, 400, "invalid")
    item.refresh_from_db()
    assert item.status == "in_progress" and not Notification.objects.exists()


def test_a_note_is_only_for_resolved_items_and_is_phi_masked(clients):
    item = BacklogItemFactory(status="new")
    r = clients["product_owner"].patch(
        f"/api/backlog/{item.pk}/", {"resolution_note": "early"}, format="json"
    )
    assert_error(r, 400, "invalid")
    r = clients["product_owner"].patch(
        f"/api/backlog/{item.pk}/",
        {
            "status": "declined",
            "resolution_note": "Duplicate of the Jane Doe request, call 617-555-0101",
        },
        format="json",
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert (
        "617-555-0101" not in body["resolution_note"]
        and "[REDACTED-PHONE]" in body["resolution_note"]
    )
    assert body["resolved_at"] and body["status"] == "declined"
    fixed = clients["product_owner"].patch(
        f"/api/backlog/{item.pk}/",
        {"resolution_note": "Out of scope for this tool."},
        format="json",
    )
    assert fixed.json()["resolution_note"] == "Out of scope for this tool."


def test_everyone_whose_evidence_is_linked_and_only_they_hear_the_note(clients, product_owner):
    observer_a, rater_b, commenter_c, flagger_d = (
        UserFactory(roles=["observer"]), UserFactory(roles=["clinician"]),
        UserFactory(roles=["clinician"]), UserFactory(roles=["clinician"]),
    )  # fmt: skip
    bystander = UserFactory(roles=["observer"])  # follows, contributed nothing
    tool = ToolFactory()
    obs = ObservationFactory(observer=observer_a)
    rating = RatingFactory(participant__user=rater_b)
    guest_rating = RatingFactory(participant=ParticipantFactory(user=None, guest_key="g1"))
    comment = CommentFactory(participant__user=commenter_c)

    def flag(reporter):
        data = flags.FlagInput(uuid.uuid4(), "o/1", "1.0", "not_helpful", harm="mild")
        return flags.flag_submit(tool_id=tool.pk, data=data, reporter=reporter)[0]

    item = svc.backlog_create(
        actor=Actor(user=product_owner),
        data={"title": "Silence the duplicate sepsis alert"},
        evidence={
            "observations": [obs.pk],
            "ratings": [rating.pk, guest_rating.pk],
            "comments": [comment.pk],
            "output_feedback": [flag(flagger_d).pk, flag(None).pk],
        },
    )
    item.followers.add(bystander)
    Notification.objects.all().delete()
    r = ship(clients["product_owner"], item)
    assert r.status_code == 200, r.content
    resolved = Notification.objects.filter(kind="backlog_resolved")
    assert set(resolved.values_list("user_id", flat=True)) == {
        observer_a.pk,
        rater_b.pk,
        commenter_c.pk,
        flagger_d.pk,
    }
    assert resolved.count() == 4
    assert all(NOTE in n.body and n.data["resolution_note"] == NOTE for n in resolved)
    plain = Notification.objects.filter(kind="backlog_status", data__to="shipped")
    assert set(plain.values_list("user_id", flat=True)) == {bystander.pk}
    assert not Notification.objects.filter(user=product_owner, data__to="shipped").exists()


def _resolved_world(product_owner):
    here, elsewhere = UnitFactory(name="4 West Med-Surg"), UnitFactory(name="ICU")
    actor = Actor(user=product_owner)
    made = {}
    for key, unit in (("old", here), ("new", here), ("open", here), ("other", elsewhere)):
        item = svc.backlog_create(
            actor=actor, data={"title": f"Item {key}: fewer duplicate BPAs"},
            evidence={"observations": [ObservationFactory(unit=unit).pk for _ in range(2)]},
        )  # fmt: skip
        made[key] = item
    rater = RatingFactory(participant=ParticipantFactory(unit=here))
    svc.backlog_link_evidence(actor=actor, item=made["new"], evidence={"ratings": [rater.pk]})
    svc.backlog_update(
        actor=actor,
        item=made["old"],
        data={"status": "declined", "resolution_note": "Not ours to fix: vendor issue."},
    )
    for step in ("triaged", "planned", "in_progress"):
        svc.backlog_update(actor=actor, item=made["new"], data={"status": step})
        svc.backlog_update(actor=actor, item=made["other"], data={"status": step})
    svc.backlog_update(
        actor=actor, item=made["new"], data={"status": "shipped", "resolution_note": NOTE}
    )
    svc.backlog_update(
        actor=actor, item=made["other"], data={"status": "shipped", "resolution_note": "ICU only."}
    )
    return here, made


@pytest.mark.parametrize("persona", PERSONAS)
def test_unit_page_lists_resolved_items_with_this_units_evidence(clients, persona, product_owner):
    here, made = _resolved_world(product_owner)
    r = clients[persona].get(f"/api/units/{here.pk}/you-said-we-did/")
    code = 401 if persona == "anon" else 403 if persona == "outsider" else 200
    if code != 200:
        assert_error(r, code)
        assert_error(clients[persona].get(f"/api/units/{here.pk}/you-said-we-did.pdf"), code)
        return
    page = r.json()
    assert page["unit"]["name"] == "4 West Med-Surg"
    assert [i["id"] for i in page["items"]] == [made["new"].pk, made["old"].pk]  # newest first
    first = page["items"][0]
    assert first["resolution_note"] == NOTE and first["status"] == "shipped"
    assert first["evidence_counts"] == {"observations": 2, "ratings": 1, "comments": 0}


def test_unknown_unit_is_404(clients):
    assert_error(clients["clinician"].get("/api/units/9999/you-said-we-did/"), 404)
    assert_error(clients["clinician"].get("/api/units/9999/you-said-we-did.pdf"), 404)


def test_poster_is_one_printable_page_with_the_items(clients, product_owner):
    here, _ = _resolved_world(product_owner)
    r = clients["clinician"].get(f"/api/units/{here.pk}/you-said-we-did.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(r.content))
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    assert "You said, we did" in text and "4 West Med-Surg" in text
    assert "Item new: fewer duplicate BPAs" in text and "Item old" in text
    assert "it fires once per order now" in text and "vendor issue" in text
    assert "Item open" not in text and "Item other" not in text and "ICU only" not in text
    assert "DONE" in text and "NOT DOING" in text


def test_poster_is_stored_regenerated_weekly_and_redrawn_after_a_new_resolution(
    clients, product_owner
):
    here, _ = _resolved_world(product_owner)
    call_command("render_posters")
    poster = UnitPoster.objects.get(unit=here)
    first_drawn = poster.generated_at
    served = clients["clinician"].get(f"/api/units/{here.pk}/you-said-we-did.pdf")
    poster.refresh_from_db()
    assert poster.generated_at == first_drawn  # served as stored
    with poster.pdf.open("rb") as f:
        assert f.read() == served.content
    late = svc.backlog_create(
        actor=Actor(user=product_owner), data={"title": "Late fix"},
        evidence={"observations": [ObservationFactory(unit=here).pk]},
    )  # fmt: skip
    svc.backlog_update(
        actor=Actor(user=product_owner), item=late,
        data={"status": "declined", "resolution_note": "Handled by pharmacy."},
    )  # fmt: skip
    text = (
        PdfReader(
            io.BytesIO(
                clients["clinician"].get(f"/api/units/{here.pk}/you-said-we-did.pdf").content
            )
        )
        .pages[0]
        .extract_text()
    )
    assert "Late fix" in text
    poster.refresh_from_db()
    assert poster.generated_at > first_drawn


def test_a_long_page_still_fits_one_printed_page(clients, product_owner):
    unit = UnitFactory()
    actor = Actor(user=product_owner)
    for n in range(40):
        item = svc.backlog_create(
            actor=actor, data={"title": f"Fix number {n} " + "with a long title " * 4},
            evidence={"observations": [ObservationFactory(unit=unit).pk]},
        )  # fmt: skip
        svc.backlog_update(
            actor=actor, item=item, data={"status": "declined", "resolution_note": "Reason " * 20}
        )
    reader = PdfReader(
        io.BytesIO(clients["observer"].get(f"/api/units/{unit.pk}/you-said-we-did.pdf").content)
    )
    assert len(reader.pages) == 1
    assert "more" in reader.pages[0].extract_text()


def test_the_weekly_job_draws_every_units_poster(product_owner):
    import datetime as dt

    from feedback.jobs import periodic_jobs
    from feedback.models import Unit
    from feedback.tasks import render_posters

    job = next(j for j in periodic_jobs() if j.name == "posters.weekly")
    assert job.every == dt.timedelta(days=7)
    here, _ = _resolved_world(product_owner)
    assert render_posters.call() == Unit.objects.count()
    text = (
        PdfReader(io.BytesIO(UnitPoster.objects.get(unit=here).pdf.read())).pages[0].extract_text()
    )
    assert "Item new: fewer duplicate BPAs" in text
