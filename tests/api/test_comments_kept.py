"""A clinician's words are never lost: re-rating replaces scores only, comments and pins are
added beside earlier ones, and only their author may edit or withdraw them (audited)."""

from __future__ import annotations

from typing import Any

import pytest

from feedback.context import Actor
from feedback.models import AuditEntry, BacklogItem, Comment
from feedback.selectors import sessions as sel
from feedback.services import backlog as backlog_svc
from feedback.services import sessions as svc
from tests.conftest import assert_error, token_client
from tests.factories import UserFactory
from tests.factories_sessions import join, make_session, screen_ids

pytestmark = pytest.mark.django_db


@pytest.fixture
def room(clinician: Any) -> dict[str, Any]:
    session = make_session()
    return {
        "session": session,
        "screen": screen_ids(session)[0],
        "me": join(session, clinician),
        "other": join(session, UserFactory(roles=["clinician"])),
    }


def rate(client: Any, room: dict[str, Any], **body: Any) -> dict[str, Any]:
    body = {"screen": room["screen"], "scores": {"clarity": 2}, **body}
    response = client.post(f"/api/sessions/{room['session'].pk}/ratings/", body, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def first_screen(session: Any) -> dict[str, Any]:
    return sel.session_summary(session)["screens"][0]


def test_re_rating_with_scores_only_keeps_the_comment_and_pin(clients, room):
    pin = {"x": 0.2, "y": 0.4}
    made = rate(clients["clinician"], room, comment="Alert text too small", pin=pin)
    assert made["comment"] == "Alert text too small" and made["comment_id"]
    rate(clients["clinician"], room, scores={"clarity": 5})
    summary = first_screen(room["session"])
    assert summary["count"] == 1 and summary["means"]["clarity"] == 5  # scores replaced
    assert [c["text"] for c in summary["comments"]] == ["Alert text too small"]
    assert summary["pins"] == [{"x": 0.2, "y": 0.4}]
    pins = sel.screen_pins(session=room["session"], screen_id=room["screen"])
    assert pins == [(0.2, 0.4)]  # the heat map draws it


def test_a_second_comment_is_added_beside_the_first(clients, room):
    rate(clients["clinician"], room, comment="First thought")
    rate(clients["clinician"], room, comment="Second thought", pin={"x": 0.5, "y": 0.5})
    summary = first_screen(room["session"])
    assert [c["text"] for c in summary["comments"]] == ["First thought", "Second thought"]
    assert summary["count"] == 1


def test_re_rating_that_repeats_the_sent_comment_and_pin_adds_no_copy(clients, room):
    """A page that kept the sent comment in its box sends it again with new scores: the scores
    change, the comment stays one; a different comment, or the same words elsewhere, is new."""
    pin = {"x": 0.3, "y": 0.6}
    first = rate(clients["clinician"], room, comment="Dose field hidden", pin=pin)
    again = rate(clients["clinician"], room, comment="Dose field hidden", pin=pin,
                 scores={"clarity": 5})  # fmt: skip
    assert again["comment_id"] == first["comment_id"]
    summary = first_screen(room["session"])
    assert summary["means"]["clarity"] == 5 and len(summary["comments"]) == 1
    rate(clients["clinician"], room, comment="Dose field hidden", pin={"x": 0.9, "y": 0.1})
    rate(clients["clinician"], room, comment="Also the units")
    summary = first_screen(room["session"])
    texts = [c["text"] for c in summary["comments"]]
    assert texts == ["Dose field hidden", "Dose field hidden", "Also the units"]
    assert Comment.objects.filter(text="Dose field hidden").count() == 2


def test_a_replayed_rate_adds_no_second_comment(clients, room):
    body = {"comment": "Once only", "client_id": "9b2f3c1e-0d8a-4c53-9a43-5c2b1a0f6e11"}
    first = rate(clients["clinician"], room, **body)
    again = rate(clients["clinician"], room, **body)
    assert first["comment_id"] == again["comment_id"]
    assert Comment.objects.filter(session=room["session"]).count() == 1


def comment_of(room: dict[str, Any], text: str = "Dose field hidden", by: str = "me") -> Comment:
    return svc.comment_add(participant=room[by], screen_id=room["screen"], text=text,
                           pin={"x": 0.1, "y": 0.9})  # fmt: skip


def test_author_edits_over_rest_and_it_is_audited(clients, room):
    comment = comment_of(room)
    url = f"/api/comments/{comment.pk}/"
    text = {"text": "Dose field hidden on tablets"}
    edited = clients["clinician"].patch(url, text, format="json")
    assert edited.status_code == 200 and edited.json()["edited_at"]
    assert first_screen(room["session"])["comments"][0]["text"] == "Dose field hidden on tablets"
    assert AuditEntry.objects.filter(
        action="change", object_type="feedback.comment", object_id=str(comment.pk)
    ).exists()


def test_withdrawn_comment_leaves_summary_heat_map_and_priority(clients, room, product_owner):
    comment = comment_of(room)
    kept = comment_of(room, "Second note stays", by="other")
    item = backlog_svc.backlog_create(
        actor=Actor(user=product_owner),
        data={"title": "Dose field", "description": ""},
        evidence={"comments": [comment.pk, kept.pk]},
    )
    before = BacklogItem.objects.get(pk=item.pk).priority_breakdown["comments"]
    response = clients["clinician"].delete(f"/api/comments/{comment.pk}/")
    assert response.status_code == 204
    summary = first_screen(room["session"])
    assert [c["text"] for c in summary["comments"]] == ["Second note stays"]
    assert len(summary["pins"]) == 1
    assert len(sel.screen_pins(session=room["session"], screen_id=room["screen"])) == 1
    after = BacklogItem.objects.get(pk=item.pk).priority_breakdown["comments"]
    assert after < before  # two people spoke; one withdrew, so one counts
    assert AuditEntry.objects.filter(action="delete", object_id=str(comment.pk)).exists()
    stored = Comment.objects.get(pk=comment.pk)
    assert stored.withdrawn_at is not None and stored.text == "Dose field hidden"  # kept
    assert clients["clinician"].delete(f"/api/comments/{comment.pk}/").status_code == 204
    again = clients["clinician"].patch(f"/api/comments/{comment.pk}/", {"text": "x"}, format="json")
    assert_error(again, 409, "conflict")


def test_who_may_read_edit_and_withdraw_a_comment(clients, room, personas):
    comment = comment_of(room)
    url = f"/api/comments/{comment.pk}/"
    other = token_client(room["other"].user)
    facilitator = token_client(room["session"].facilitator)
    assert clients["clinician"].get(url).json()["text"] == "Dose field hidden"
    assert facilitator.get(url).status_code == 200
    assert clients["product_owner"].get(url).status_code == 200  # reviews every session
    assert_error(clients["anon"].get(url), 401)
    assert clients["outsider"].get(url).status_code == 404
    assert clients["observer"].get(url).status_code == 404  # not in the session
    assert other.get(url).status_code == 404  # another participant's comment
    assert_error(other.patch(url, {"text": "mine now"}, format="json"), 403, "forbidden")
    assert_error(facilitator.delete(url), 403, "forbidden")
    assert_error(clients["clinician"].patch(url, {"text": ""}, format="json"), 400)
    assert clients["clinician"].get("/api/comments/999999999/").status_code == 404
    assert Comment.objects.get(pk=comment.pk).withdrawn_at is None


def test_edit_is_phi_scanned(clients, room):
    comment = comment_of(room)
    response = clients["clinician"].patch(
        f"/api/comments/{comment.pk}/", {"text": "Call 617-555-0199 about it"}, format="json"
    )
    assert response.status_code == 200
    assert "617-555-0199" not in Comment.objects.get(pk=comment.pk).text
    assert response.json()["phi_redacted"]
