"""Outgoing webhooks: signed, logged deliveries retried with exponential back-off.

Each delivery is a `WebhookDelivery` row (the delivery log) plus a `feedback.tasks.deliver_webhook`
job enqueued in the same transaction, so a committed event always has its job; the worker
re-enqueues failed attempts for when back-off says; a periodic sweep takes rows a dead worker left.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import urllib.error
import urllib.request
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlparse

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from feedback.context import Actor
from feedback.errors import Conflict, ValidationFailed
from feedback.models import Webhook, WebhookDelivery
from feedback.services.audit import audit_record

EVENTS = (
    "backlog.item.created",
    "backlog.item.changed",
    "backlog.item.status_changed",
    "backlog.item.evidence_linked",
    "backlog.item.merged",
    "output_feedback.burst",
)
ALL = "*"
MAX_ATTEMPTS = 8
TIMEOUT_SECONDS = 5.0
LEASE_SECONDS = 60  # a claimed delivery is left alone this long by other workers


def backoff_base() -> float:
    return float(settings.ROUNDS_WEBHOOK_BACKOFF_SECONDS)


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _check(url: str, secret: str, events: list[str]) -> None:
    errors: dict[str, list[str]] = {}
    if not _valid_url(url):
        errors["url"] = ["Use an absolute http:// or https:// URL with a valid host and port."]
    if len(secret) < 8:
        errors["secret"] = ["Use a secret of at least 8 characters."]
    unknown = sorted(set(events) - set(EVENTS) - {ALL})
    if not events or unknown:
        errors["events"] = [f"Choose from {[*EVENTS, ALL]}; unknown: {unknown}."]
    if errors:
        raise ValidationFailed("The webhook is invalid; fix the fields listed.", errors=errors)


def _valid_url(url: str) -> bool:
    try:
        parsed = urlparse(url)
        parsed.port  # noqa: B018 -- raises ValueError when out of range
    except ValueError:
        return False
    return parsed.scheme in ("http", "https") and bool(parsed.hostname)


@transaction.atomic
def webhook_create(*, actor: Actor, url: str, secret: str, events: list[str]) -> Webhook:
    _check(url, secret, events)
    hook = Webhook.objects.create(
        url=url, secret=secret, events=sorted(set(events)), created_by=actor.user
    )
    audit_record(actor=actor, action="create", obj=hook, detail={"events": hook.events})
    return hook


@transaction.atomic
def webhook_update(*, actor: Actor, hook: Webhook, active: bool) -> Webhook:
    """Pause (`active=False`) or resume a receiver; events while paused are not queued for it."""
    if hook.active != active:
        hook.active = active
        hook.save(update_fields=["active"])
        audit_record(actor=actor, action="change", obj=hook, detail={"active": active})
    return hook


@transaction.atomic
def webhook_redeliver(*, actor: Actor, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a delivery that gave up once more, with a fresh set of attempts (after the receiver
    is fixed); its job is enqueued in the same transaction, like a new event's."""
    from feedback.tasks import deliver_webhook

    if delivery.status != "failed":
        raise Conflict(
            f"Only a delivery that gave up can be sent again; this one is {delivery.status}."
        )
    delivery.status, delivery.attempts = "pending", 0
    delivery.next_attempt_at = timezone.now()
    delivery.save(update_fields=["status", "attempts", "next_attempt_at"])
    deliver_webhook.enqueue(delivery.pk)
    audit_record(actor=actor, action="change", obj=delivery, detail={"redeliver": True})
    return delivery


@transaction.atomic
def webhook_delete(*, actor: Actor, hook: Webhook) -> None:
    """Remove a receiver and its pending deliveries (e.g. a leaked secret or a retired URL)."""
    audit_record(actor=actor, action="delete", obj=hook, detail={"events": hook.events})
    hook.delete()


def webhook_enqueue(*, event: str, data: dict[str, Any]) -> list[int]:
    """Log one pending delivery per subscribed webhook and enqueue its job (same transaction)."""
    from feedback.tasks import deliver_webhook

    hooks = [h for h in Webhook.objects.filter(active=True) if event in h.events or ALL in h.events]
    if not hooks:
        return []
    body = json.dumps({"event": event, "data": data, "sent_at": timezone.now().isoformat()})
    with transaction.atomic():
        rows = WebhookDelivery.objects.bulk_create(
            WebhookDelivery(webhook=h, event=event, body=body, next_attempt_at=timezone.now())
            for h in hooks
        )
        for row in rows:
            deliver_webhook.enqueue(row.pk)
    return [r.pk for r in rows]


def claim(delivery_id: int, now: datetime | None = None) -> WebhookDelivery | None:
    """Take a due delivery with a compare-and-set on next_attempt_at (a lease of LEASE_SECONDS);
    losers, and rows that are not due, get None."""
    now = now or timezone.now()
    row = WebhookDelivery.objects.filter(
        pk=delivery_id, status="pending", next_attempt_at__lte=now
    ).first()
    if row is None:
        return None
    lease = now + timedelta(seconds=LEASE_SECONDS)
    won = WebhookDelivery.objects.filter(
        pk=row.pk, status="pending", next_attempt_at=row.next_attempt_at
    ).update(next_attempt_at=lease)
    return row if won else None


def deliver_due(*, ids: Iterable[int] | None = None, now: datetime | None = None) -> int:
    """Attempt every due delivery (or just `ids`); returns how many were delivered."""
    now = now or timezone.now()
    qs = WebhookDelivery.objects.filter(status="pending", next_attempt_at__lte=now)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    delivered = 0
    for delivery_id in list(qs.order_by("next_attempt_at").values_list("pk", flat=True)[:500]):
        row = claim(delivery_id, now)
        if row is not None:
            delivered += attempt(row)
    return delivered


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect could send the signed body elsewhere (or to ftp://): it is a failed attempt."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def _post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int | None, str]:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with _OPENER.open(request, timeout=TIMEOUT_SECONDS) as response:
            return response.status, ""
    except urllib.error.HTTPError as exc:
        return exc.code, f"HTTP {exc.code}"
    except (urllib.error.URLError, OSError, ValueError) as exc:
        return None, str(getattr(exc, "reason", exc))[:300]


def attempt(row: WebhookDelivery) -> int:
    """POST once; log the outcome; schedule the next try at base * 2^(attempts-1)."""
    hook = Webhook.objects.filter(pk=row.webhook_id).first()
    if hook is None:  # deleted since it was queued; its deliveries went with it
        return 0
    body = row.body.encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Rounds-Webhooks/1",
        "X-Rounds-Event": row.event,
        "X-Rounds-Delivery": str(row.pk),
        "X-Rounds-Signature": sign(hook.secret, body),
    }
    code, error = _post(hook.url, body, headers)
    row.attempts += 1
    row.last_status_code = code
    ok = code is not None and 200 <= code < 300
    row.last_error = "" if ok else error or f"HTTP {code}"
    if ok:
        row.status, row.delivered_at, row.next_attempt_at = "delivered", timezone.now(), None
    elif row.attempts >= MAX_ATTEMPTS:
        row.status, row.next_attempt_at = "failed", None
    else:
        delay = backoff_base() * 2 ** (row.attempts - 1)
        row.next_attempt_at = timezone.now() + timedelta(seconds=delay)
    row.save(
        update_fields=[
            "attempts",
            "last_status_code",
            "last_error",
            "status",
            "delivered_at",
            "next_attempt_at",
        ]
    )
    return int(ok)
