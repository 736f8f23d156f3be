"""Devices running the PWA report how many items they hold unsynced (counts only)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from feedback.errors import ValidationFailed
from feedback.models import Device, User

MAX_UNSYNCED = 1_000_000


def device_heartbeat(*, user: User, device_id: str, unsynced: int, user_agent: str = "") -> Device:
    """Record that `user` on `device_id` holds `unsynced` queued items now (one row per pair)."""
    device_id = device_id.strip()
    if not device_id or len(device_id) > 64:
        raise ValidationFailed(
            "device_id is invalid.", errors={"device_id": ["Send 1 to 64 characters."]}
        )
    now = timezone.now()
    fields = {"unsynced": unsynced, "last_seen_at": now, "user_agent": user_agent[:200]}
    for _ in range(2):  # a concurrent first heartbeat may win the insert: update it then
        try:
            with transaction.atomic():
                device, _created = Device.objects.update_or_create(
                    device_id=device_id, user=user, defaults=fields
                )
                return device
        except IntegrityError:
            continue
    raise ValidationFailed("Try the heartbeat again.", errors={"device_id": ["Busy; retry."]})
