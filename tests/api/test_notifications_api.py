"""Notifications: each user sees and marks only their own."""

from __future__ import annotations

import pytest

from tests.conftest import assert_error
from tests.factories import NotificationFactory

pytestmark = pytest.mark.django_db


def test_users_see_only_their_own(clients, observer, clinician):
    mine = NotificationFactory(user=observer)
    NotificationFactory(user=clinician)
    response = clients["observer"].get("/api/notifications/")
    assert [n["id"] for n in response.json()["results"]] == [mine.pk]
    assert_error(clients["anon"].get("/api/notifications/"), 401)


def test_cannot_read_or_mark_someone_elses(clients, observer, clinician):
    theirs = NotificationFactory(user=clinician)
    assert_error(clients["observer"].get(f"/api/notifications/{theirs.pk}/"), 404)
    assert_error(clients["observer"].post(f"/api/notifications/{theirs.pk}/read/"), 404)
    clients["observer"].post("/api/notifications/read-all/", {"ids": [theirs.pk]}, format="json")
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_read_and_unread_filter(clients, observer):
    a, b = NotificationFactory(user=observer), NotificationFactory(user=observer)
    assert clients["observer"].post(f"/api/notifications/{a.pk}/read/").json() == {"marked": 1}
    unread = clients["observer"].get("/api/notifications/?unread=true").json()["results"]
    assert [n["id"] for n in unread] == [b.pk]
    assert clients["observer"].post("/api/notifications/read-all/", {}, format="json").json() == {
        "marked": 1
    }
    assert clients["observer"].get("/api/notifications/?unread=true").json()["results"] == []


def test_no_writes_besides_mark_read(clients, observer):
    n = NotificationFactory(user=observer)
    assert_error(clients["observer"].delete(f"/api/notifications/{n.pk}/"), 405)
    assert_error(clients["observer"].post("/api/notifications/", {}, format="json"), 405)
