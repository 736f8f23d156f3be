"""The daily digest: counts of new evidence for the people who triage it (no free text)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from feedback import roles
from feedback.models import BacklogItem, Notification, Observation, Rating, User
from feedback.services.notifications import notify

DIGEST_KIND = "digest"


def digest_counts(*, since: datetime, until: datetime) -> dict[str, int]:
    window = {"created_at__gte": since, "created_at__lt": until}
    return {
        "observations": Observation.objects.filter(**window).count(),
        "patient_safety": Observation.objects.filter(patient_safety=True, **window).count(),
        "ratings": Rating.objects.filter(**window).count(),
        "backlog_items": BacklogItem.objects.filter(**window).count(),
    }


def digest_recipients() -> list[User]:
    """Active holders of the triage permission (superusers count as admins)."""
    held = Q(groups__name__in=roles.TRIAGE.roles) | Q(is_superuser=True)
    return list(User.objects.filter(held, is_active=True).distinct())


def digest_send(*, now: datetime | None = None, period: timedelta = timedelta(days=1)) -> int:
    """Notify triagers of what arrived in the last `period`; nothing is sent for a quiet day.
    Returns how many notifications were created."""
    now = now or timezone.now()
    counts = digest_counts(since=now - period, until=now)
    if not any(counts.values()):
        return 0
    title = (
        f"Digest: {counts['observations']} new observation(s) "
        f"({counts['patient_safety']} patient-safety), {counts['ratings']} rating(s), "
        f"{counts['backlog_items']} new backlog item(s)"
    )
    data = {**counts, "since": (now - period).isoformat(), "until": now.isoformat()}
    created: list[Notification] = notify(
        users=digest_recipients(), kind=DIGEST_KIND, title=title, data=data
    )
    return len(created)
