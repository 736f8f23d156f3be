"""AI output feedback writes: tool keys (issue, revoke) and flags (idempotent), bursts after."""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from collections.abc import Sequence
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
from feedback.selectors import output_feedback as sel
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


def flag_problems(data: FlagInput) -> dict[str, list[str]]:
    """The flag's field errors (empty when it is valid), each saying how to fix it."""
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
    return errors


def _check(data: FlagInput) -> phi.Masked:
    """Validate the flag; return its comment PHI-masked."""
    errors = flag_problems(data)
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
    flag = _new_flag(tool_id, data, masked, getattr(reporter, "pk", reporter), key)
    flag.save(force_insert=True)
    events.send_soon_on_commit(events.FLAGS_GROUP, events.flag_event(flag_public(flag)))
    if flag.verdict == "not_helpful":
        _check_burst(flag)
    return flag


def _new_flag(
    tool_id: int, data: FlagInput, masked: phi.Masked, reporter_id: int | None, key: ToolKey | None
) -> OutputFeedback:
    return OutputFeedback(
        tool_id=tool_id,
        client_id=data.client_id,
        key=key,
        reporter_id=reporter_id,
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


@dataclass(frozen=True)
class KeyedFlag:
    """A flag sent with a tool key (as the caller sent it), the caller's normalized Origin (None
    from a server) and the user a reporter token names (checked again when it is stored)."""

    tool_id: int
    raw_key: str
    origin: str | None
    reporter_id: int
    data: FlagInput


def flag_submit_batch(*, items: Sequence[KeyedFlag]) -> list[OutputFeedback | None]:
    """Store new signed-in flags sent with tool keys, all in one transaction: one read of the
    keys, one of the reporters, one of the client_ids already used, one insert, one burst check
    per model version. The flag where stored, else None: that flag needs flag_submit's own
    answer (a key unknown, revoked, of another tool or not allowing the origin; a reporter who
    may no longer flag; a client_id already stored or repeated in the batch; a refused field)."""
    masked = [_masked_or_none(item.data) for item in items]  # outside the write lock
    with transaction.atomic():
        keys = sel.active_keys({item.raw_key for item in items})
        reporters = sel.may_flag({item.reporter_id for item in items})
        taken = set(
            OutputFeedback.objects.filter(
                tool_id__in={i.tool_id for i in items},
                client_id__in={i.data.client_id for i in items},
            ).values_list("tool_id", "client_id")
        )
        rows: list[OutputFeedback | None] = []
        for item, text in zip(items, masked, strict=True):
            key = keys.get(item.raw_key)
            row = None
            if text is not None and _admits(key, item, reporters, taken):
                row = _new_flag(item.tool_id, item.data, text, item.reporter_id, key)
            rows.append(row)
            taken.add((item.tool_id, item.data.client_id))
        stored = OutputFeedback.objects.bulk_create([r for r in rows if r is not None])
        _announce(stored)
    return rows


def _masked_or_none(data: FlagInput) -> phi.Masked | None:
    try:
        return _check(data)
    except ValidationFailed:
        return None


def _admits(
    key: ToolKey | None, item: KeyedFlag, reporters: set[int], taken: set[tuple[int, Any]]
) -> bool:
    return (
        key is not None
        and key.tool_id == item.tool_id
        and (item.origin is None or item.origin in key.origins)
        and item.reporter_id in reporters
        and (item.tool_id, item.data.client_id) not in taken
    )


def _announce(flags: list[OutputFeedback]) -> None:
    """The live frames (one per flag, sent together) and one burst check per model version."""
    if not flags:
        return
    # One layer message per batch, not per flag: on Redis, 500 publishes a second cost the
    # serving loop more than the flags themselves (bench_flags.py --db postgres).
    events.send_soon_on_commit(
        events.FLAGS_GROUP, events.flags_event([flag_public(f) for f in flags])
    )
    last = {(f.tool_id, f.model_version): f for f in flags if f.verdict == "not_helpful"}
    for flag in last.values():
        _check_burst(flag)


def _check_burst(flag: OutputFeedback) -> None:
    # Announced once per window per version, however many more flags arrive in it; once it
    # was, the count (the costliest read of a flag: bench/bench_flags.py) is not needed.
    once = f"flagburst:{flag.tool_id}:{key_hash(flag.model_version)[:16]}"
    if cache.get(once) is not None:
        return
    count, minutes = burst_rule()
    since = timezone.now() - dt.timedelta(minutes=minutes)
    recent = OutputFeedback.objects.filter(
        tool_id=flag.tool_id,
        model_version=flag.model_version,
        verdict="not_helpful",
        created_at__gte=since,
    ).count()
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
