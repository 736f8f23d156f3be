"""Backlog services: the status workflow, merge without orphans, followers and notifications."""

from __future__ import annotations

import itertools

import pytest

from feedback.context import Actor
from feedback.errors import Conflict, InvalidTransition
from feedback.models import EvidenceComment, EvidenceObservation, EvidenceRating, Notification
from feedback.models.backlog import STATUSES
from feedback.services import backlog as svc
from tests.factories import UserFactory
from tests.factories_backlog import (
    BacklogItemFactory,
    CommentFactory,
    ObservationFactory,
    RatingFactory,
)

pytestmark = pytest.mark.django_db

LEGAL = {
    ("new", "triaged"),
    ("triaged", "planned"),
    ("planned", "in_progress"),
    ("in_progress", "shipped"),
    ("new", "declined"),
    ("triaged", "declined"),
    ("planned", "declined"),
    ("in_progress", "declined"),
}


@pytest.fixture
def po(product_owner):
    return Actor(user=product_owner)


@pytest.mark.parametrize(("old", "new"), list(itertools.permutations(STATUSES, 2)))
def test_transition_matrix(po, old, new):
    item = BacklogItemFactory(status=old)
    data = {"status": new}
    if new in ("shipped", "declined"):
        data["resolution_note"] = "Synthetic resolution: what was done, or why not."
    if (old, new) in LEGAL:
        assert svc.backlog_update(actor=po, item=item, data=data).status == new
    else:
        with pytest.raises(InvalidTransition):
            svc.backlog_update(actor=po, item=item, data=data)
        item.refresh_from_db()
        assert item.status == old


def test_merge_moves_evidence_and_followers_and_leaves_no_orphan(po):
    source, into = BacklogItemFactory(), BacklogItemFactory()
    shared = ObservationFactory()
    svc.backlog_link_evidence(
        actor=po,
        item=source,
        evidence={
            "observations": [ObservationFactory(severity=4).pk, shared.pk],
            "ratings": [RatingFactory().pk],
            "comments": [CommentFactory().pk],
        },
    )
    svc.backlog_link_evidence(actor=po, item=into, evidence={"observations": [shared.pk]})
    source.refresh_from_db()
    fan = UserFactory(roles=["observer"])
    source.followers.add(fan)
    expected_followers = set(source.followers.values_list("pk", flat=True))
    before = into.priority

    svc.backlog_merge(actor=po, source=source, into_id=into.pk)

    source.refresh_from_db()
    into.refresh_from_db()
    assert source.status == "duplicate" and source.merged_into_id == into.pk
    for through in (EvidenceObservation, EvidenceRating, EvidenceComment):
        assert not through.objects.filter(item=source).exists()
    assert into.observations.count() == 2 and into.ratings.count() == 1
    assert into.comments.count() == 1
    assert expected_followers <= set(into.followers.values_list("pk", flat=True))
    assert source.priority == 0 and into.priority > before and into.patient_safety
    assert into.priority == sum(into.priority_breakdown.values())


def test_merge_refuses_duplicates_and_declined_targets(po):
    a, b = BacklogItemFactory(), BacklogItemFactory(status="declined")
    with pytest.raises(Conflict):
        svc.backlog_merge(actor=po, source=a, into_id=b.pk)
    c = BacklogItemFactory()
    svc.backlog_merge(actor=po, source=a, into_id=c.pk)
    with pytest.raises(InvalidTransition):
        svc.backlog_merge(actor=po, source=a, into_id=c.pk)
    with pytest.raises(Conflict):
        svc.backlog_link_evidence(
            actor=po, item=a, evidence={"observations": [ObservationFactory().pk]}
        )


def test_relinking_the_same_evidence_is_idempotent(po):
    item, obs = BacklogItemFactory(), ObservationFactory()
    for _ in range(3):
        svc.backlog_link_evidence(actor=po, item=item, evidence={"observations": [obs.pk]})
    assert EvidenceObservation.objects.filter(item=item).count() == 1


def test_status_change_notifies_followers_and_nobody_else(po, product_owner, observer, clinician):
    item = svc.backlog_create(
        actor=po,
        data={"title": "Alert fatigue"},
        evidence={"observations": [ObservationFactory(observer=observer).pk]},
    )
    bystander = UserFactory(roles=["observer"])
    svc.backlog_update(actor=po, item=item, data={"status": "triaged"})
    notified = set(Notification.objects.values_list("user_id", flat=True))
    assert notified == {observer.pk}
    note = Notification.objects.get()
    assert note.data == {"item": item.pk, "from": "new", "to": "triaged", "merged_into": None}
    assert clinician.pk not in notified and bystander.pk not in notified


def test_editing_without_status_change_notifies_nobody(po, observer):
    item = svc.backlog_create(
        actor=po,
        data={"title": "Alert fatigue"},
        evidence={"observations": [ObservationFactory(observer=observer).pk]},
    )
    svc.backlog_update(actor=po, item=item, data={"effort": 1})
    assert not Notification.objects.exists()


def test_item_changes_are_broadcast_after_commit(
    po, monkeypatch, django_capture_on_commit_callbacks
):
    sent = []
    monkeypatch.setattr(
        "feedback.events.send_now", lambda group, event: sent.append((group, event))
    )
    item = BacklogItemFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        svc.backlog_link_evidence(
            actor=po, item=item, evidence={"observations": [ObservationFactory().pk]}
        )
    assert sent == []  # nothing before commit
    for cb in callbacks:
        cb()
    frames = [e["payload"] for g, e in sent if g == "backlog"]
    assert frames and frames[-1]["type"] == "item"
    assert frames[-1]["item"]["id"] == item.pk
    assert frames[-1]["item"]["evidence_counts"]["observations"] == 1


@pytest.mark.parametrize("status", ["shipped", "declined"])
def test_closed_items_cannot_become_duplicates(po, status):
    source, into = BacklogItemFactory(status=status), BacklogItemFactory()
    with pytest.raises(InvalidTransition):
        svc.backlog_merge(actor=po, source=source, into_id=into.pk)
    source.refresh_from_db()
    assert source.status == status


def test_merging_into_a_shipped_item_is_allowed(po):
    """'We already shipped this': the new report joins the shipped item's evidence."""
    obs = ObservationFactory()
    source = svc.backlog_create(
        actor=po, data={"title": "Alerts"}, evidence={"observations": [obs.pk]}
    )
    into = BacklogItemFactory(status="shipped")
    svc.backlog_merge(actor=po, source=source, into_id=into.pk)
    assert list(into.observations.values_list("pk", flat=True)) == [obs.pk]


def test_filtersets_made_at_once_do_not_share_their_filters():
    """Per-request copies of the filters are shallow: each must still be its own object."""
    from feedback.models import BacklogItem
    from feedback.selectors.backlog import BacklogFilter

    first = BacklogFilter({"status": ["new"]}, queryset=BacklogItem.objects.all())
    second = BacklogFilter({"status": ["shipped"]}, queryset=BacklogItem.objects.none())
    assert first.filters["status"] is not second.filters["status"]
    assert first.filters["status"].parent is first and second.filters["status"].parent is second
    assert first.is_valid() and second.is_valid()
    assert first.form.cleaned_data["status"] == ["new"]
    assert second.form.cleaned_data["status"] == ["shipped"]
    unit = first.filters["unit"]  # a `method=` filter is bound to its own copy
    assert unit.filter.f is unit and unit.filter.method.__self__ is first
