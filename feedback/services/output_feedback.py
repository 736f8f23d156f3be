"""AI output feedback writes: tool keys (issue, revoke) and flags (idempotent), bursts after."""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from feedback import events, phi
from feedback.context import Actor
from feedback.errors import Conflict, DomainError, NotFound, ValidationFailed
from feedback.models import OutputFeedback, Tool, ToolKey
from feedback.output_feedback import (
    CATEGORIES,
    MAX_COMMENT,
    harm_rank,
    normalize_origin,
    problems,
)
from feedback.ratelimit import FixedWindow
from feedback.selectors.output_feedback import KEY_PREFIX, burst_rule, flag_public, key_hash
from feedback.services.audit import audit_record
from feedback.services.webhooks import webhook_enqueue

MAX_ORIGINS = 20
BURST_EVENT = "output_feedback.burst"


class Throttled(DomainError):
    code = "throttled"
    http_status = 429

    def __init__(self, detail: str, retry_after: int) -> None:
        super().__init__(detail)
        self.retry_after = retry_after


def clean_origins(origins: Any) -> list[str]:
    if not isinstance(origins, list) or len(origins) > MAX_ORIGINS:
        raise ValidationFailed(
            "origins must be a list of at most 20 origins.",
            errors={"origins": [f"Send a list of at most {MAX_ORIGINS} origins."]},
        )
    cleaned = [normalize_origin(o) for o in origins]
    bad = [o for o, c in zip(origins, cleaned, strict=True) if c is None]
    if bad:
        raise ValidationFailed(
            "Some origins are not bare http(s) origins.",
            errors={
                "origins": [
                    f"Use scheme://host[:port] with no path, e.g. "
                    f"https://ehr.hospital.example; not: {bad}."
                ]
            },
        )
    return sorted({c for c in cleaned if c})


@transaction.atomic
def tool_key_issue(
    *, actor: Actor, tool: Tool, origins: Any, label: str = ""
) -> tuple[ToolKey, str]:
    """A new key for `tool`; the raw key is returned here only (the row keeps its SHA-256)."""
    allowed = clean_origins(origins)
    prefix = secrets.token_hex(6)
    raw = f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    key = ToolKey.objects.create(
        tool=tool,
        prefix=prefix,
        key_hash=key_hash(raw),
        origins=allowed,
        label=label[:120],
        created_by=actor.user,
    )
    audit_record(actor=actor, action="create", obj=key, detail={"origins": allowed})
    return key, raw


@transaction.atomic
def tool_key_revoke(*, actor: Actor, key: ToolKey) -> ToolKey:
    """Revoked at once: the next request with it is refused (every request reads the row)."""
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action="delete", obj=key)
    return key


@dataclass(frozen=True)
class FlagInput:
    client_id: uuid.UUID
    output_ref: str
    model_version: str
    verdict: str
    categories: tuple[str, ...] = ()
    harm: str | None = None
    harm_reached: bool = False
    comment: str = ""


def anonymous_limiter() -> FixedWindow:
    per_minute = int(getattr(settings, "ROUNDS_ANONYMOUS_FLAGS_PER_MINUTE", 30))
    return FixedWindow(name="anonflags", limit=per_minute, seconds=60)


def _check(data: FlagInput) -> phi.Masked:
    """Validate the flag; return its comment PHI-masked."""
    errors = problems(
        output_ref=data.output_ref,
        model_version=data.model_version,
        verdict=data.verdict,
        categories=list(data.categories),
        harm=data.harm,
        harm_reached=data.harm_reached,
    )
    if len(data.comment) > MAX_COMMENT:
        errors["comment"] = [f"Keep the comment to {MAX_COMMENT} characters."]
    if errors:
        raise ValidationFailed("The flag is invalid; fix the fields listed.", errors=errors)
    return phi.mask(data.comment) if data.comment.strip() else phi.Masked(text="", types=[])


def _same(flag: OutputFeedback, data: FlagInput, comment: str) -> bool:
    return (
        flag.output_ref == data.output_ref
        and flag.model_version == data.model_version
        and flag.verdict == data.verdict
        and list(flag.categories) == _ordered(data.categories)
        and (flag.harm or None) == data.harm
        and flag.harm_reached == data.harm_reached
        and flag.comment == comment
    )


def _ordered(categories: tuple[str, ...]) -> list[str]:
    return [c for c in CATEGORIES if c in categories]


def flag_submit(
    *, tool_id: int, data: FlagInput, reporter: Any = None, key: ToolKey | None = None
) -> tuple[OutputFeedback, bool]:
    """Store a flag; (flag, created). A replayed client_id with the same content returns the
    stored flag; with other content it is a Conflict. Anonymous flags are limited per key.

    `reporter` is a User or a user id. The hot path is one insert: the unique index, not a
    read first, finds replays; the tool is known to exist when the caller holds its key."""
    if key is not None and key.tool_id != tool_id:
        raise NotFound("No such tool for this key; a key works only for its own tool.")
    masked = _check(data)
    if reporter is None and key is not None:
        existing = OutputFeedback.objects.filter(tool_id=tool_id, client_id=data.client_id).first()
        if existing is not None:  # replays are answered, never throttled
            return _replayed(existing, data, masked.text), False
        wait = anonymous_limiter().hit(f"key:{key.pk}")
        if wait is not None:
            raise Throttled(
                "Too many anonymous flags with this key; send the reporter token of the"
                f" signed-in clinician, or retry in {wait} seconds.",
                retry_after=wait,
            )
    if key is None and not Tool.objects.filter(pk=tool_id).exists():
        raise NotFound("No such tool; pick one from /api/tools/.")
    try:
        with transaction.atomic():
            flag = _create(tool_id, data, masked, reporter, key)
    except IntegrityError:
        existing = OutputFeedback.objects.filter(tool_id=tool_id, client_id=data.client_id).first()
        if existing is None:
            raise
        return _replayed(existing, data, masked.text), False
    return flag, True


def _replayed(flag: OutputFeedback, data: FlagInput, comment: str) -> OutputFeedback:
    if not _same(flag, data, comment):
        raise Conflict(
            f"client_id {data.client_id} was already used for a different flag; make a new"
            " client_id for a new flag."
        )
    return flag


def _create(
    tool_id: int, data: FlagInput, masked: phi.Masked, reporter: Any, key: ToolKey | None
) -> OutputFeedback:
    flag = OutputFeedback.objects.create(
        tool_id=tool_id,
        client_id=data.client_id,
        key=key,
        reporter_id=getattr(reporter, "pk", reporter),
        output_ref=data.output_ref,
        model_version=data.model_version,
        verdict=data.verdict,
        categories=_ordered(data.categories),
        harm=data.harm or "",
        harm_rank=harm_rank(data.harm),
        harm_reached=data.harm_reached,
        comment=masked.text,
        phi_redacted=masked.types,
    )
    events.send_soon_on_commit(events.FLAGS_GROUP, events.flag_event(flag_public(flag)))
    if flag.verdict == "not_helpful":
        _check_burst(flag)
    return flag


def _check_burst(flag: OutputFeedback) -> None:
    count, minutes = burst_rule()
    since = timezone.now() - dt.timedelta(minutes=minutes)
    recent = OutputFeedback.objects.filter(
        tool_id=flag.tool_id,
        model_version=flag.model_version,
        verdict="not_helpful",
        created_at__gte=since,
    ).count()
    # Announced once per window per version, however many more flags arrive in it.
    once = f"flagburst:{flag.tool_id}:{key_hash(flag.model_version)[:16]}"
    if recent >= count and cache.add(once, 1, timeout=minutes * 60):
        data = {
            "tool": flag.tool_id,
            "model_version": flag.model_version,
            "count": recent,
            "minutes": minutes,
            "since": since.isoformat(),
        }
        events.send_on_commit(events.FLAGS_GROUP, events.flag_burst_event(data))
        webhook_enqueue(event=BURST_EVENT, data=data)
