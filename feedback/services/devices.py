"""Devices running the PWA report how many items they hold unsynced (counts only)."""

from __future__ import annotations

import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone

from feedback.errors import ValidationFailed
from feedback.models import Device, QueueKey, User

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


def queue_key(*, user: User) -> bytes:
    """`user`'s 256-bit queue-wrapping key, made on first use."""
    for _ in range(2):
        found = QueueKey.objects.filter(user=user).values_list("key", flat=True).first()
        if found is not None:
            return bytes(found)
        try:
            with transaction.atomic():
                QueueKey.objects.create(user=user, key=secrets.token_bytes(32))
        except IntegrityError:  # made concurrently by another request: read that one
            continue
    raise RuntimeError("could not create the queue key")
