"""Creates notifications and pushes them live to their user's sockets after commit."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from feedback import events
from feedback.models import Notification, User


def notification_payload(n: Notification) -> dict[str, Any]:
    return {
        "id": n.pk,
        "kind": n.kind,
        "title": n.title,
        "body": n.body,
        "data": n.data,
        "created_at": n.created_at.isoformat(),
        "read_at": n.read_at.isoformat() if n.read_at else None,
    }


@transaction.atomic
def notify(
    *,
    users: Iterable[User],
    kind: str,
    title: str,
    body: str = "",
    data: dict[str, Any] | None = None,
) -> list[Notification]:
    created = [
        Notification.objects.create(user=u, kind=kind, title=title, body=body, data=data or {})
        for u in {u.pk: u for u in users}.values()
    ]
    for n in created:
        event = events.notification_event({"type": "notification", **notification_payload(n)})
        events.send_on_commit(events.user_group(n.user_id), event)
    return created


def notification_mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())
