"""Reads for AI output feedback: key look-up, allowed origins, the filtered flag list."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Mapping
from typing import Any

import django_filters
from django.conf import settings
from django.db.models import Q, QuerySet

from feedback import roles
from feedback.errors import ValidationFailed
from feedback.models import OutputFeedback, ToolKey, User
from feedback.output_feedback import CATEGORIES, HARMS
from feedback.selectors.filters import InstantFilter, shallow_filter_copies

KEY_PREFIX = "rtk_"


def key_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def key_prefix(raw: str) -> str | None:
    """The public part of `rtk_<prefix>_<secret>`, or None when the key is not of that shape."""
    if not raw.startswith(KEY_PREFIX):
        return None
    prefix, sep, secret = raw[len(KEY_PREFIX) :].partition("_")
    return prefix if sep and prefix and secret and len(prefix) <= 16 else None


def active_key(raw: str | None) -> ToolKey | None:
    """The live key `raw` spells (one indexed read), or None: unknown, malformed or revoked."""
    return active_keys([raw]).get(raw) if raw else None


def active_keys(raws: Iterable[str]) -> dict[str, ToolKey]:
    """active_key for several raw keys with one read: raw key -> its live row (absent when
    unknown, malformed or revoked)."""
    prefixes = {p: raw for raw in raws if (p := key_prefix(raw)) is not None}
    rows = ToolKey.objects.filter(prefix__in=list(prefixes), revoked_at__isnull=True)
    return {
        prefixes[k.prefix]: k
        for k in rows
        if hmac.compare_digest(k.key_hash, key_hash(prefixes[k.prefix]))
    }


def may_flag(user_ids: Iterable[int]) -> set[int]:
    """Which of these users may flag AI outputs now: active, with a role that flags (or a
    superuser). Read on every flag, so a deactivation or a lost role counts at once."""
    may = Q(is_superuser=True) | Q(groups__name__in=sorted(roles.FLAG_OUTPUT.roles))
    found = User.objects.filter(may, pk__in=list(user_ids), is_active=True)
    return set(found.values_list("pk", flat=True))


def burst_rule() -> tuple[int, int]:
    """(flags, minutes): that many not-helpful flags on one model version within that window
    make a burst (settings.ROUNDS_FLAG_BURST overrides either)."""
    rule = getattr(settings, "ROUNDS_FLAG_BURST", {}) or {}
    return int(rule.get("count", 5)), int(rule.get("minutes", 15))


def tool_origins(tool_id: int) -> set[str]:
    """Origins any live key of the tool allows (answers CORS preflights, which carry no key)."""
    rows = ToolKey.objects.filter(tool_id=tool_id, revoked_at__isnull=True)
    return {o for origins in rows.values_list("origins", flat=True) for o in origins or []}


def tool_keys(*, tool_id: int) -> QuerySet[ToolKey]:
    return ToolKey.objects.filter(tool_id=tool_id).order_by("-id")


def key_public(key: ToolKey) -> dict[str, Any]:
    return {
        "id": key.pk,
        "tool": key.tool_id,
        "prefix": key.prefix,
        "label": key.label,
        "origins": list(key.origins),
        "created_at": key.created_at.isoformat(),
        "revoked_at": key.revoked_at.isoformat() if key.revoked_at else None,
    }


class HarmMinFilter(django_filters.ChoiceFilter):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, choices=[(h, h) for h in HARMS], **kwargs)

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        # "none" as a minimum still means a harm level was given.
        return qs.filter(harm__gt="", harm_rank__gte=HARMS.index(value)) if value else qs


class CategoryFilter(django_filters.ChoiceFilter):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, choices=[(c, c) for c in CATEGORIES], **kwargs)

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        if not value:
            return qs
        # JSON containment is not on SQLite; a quoted match on the JSON text works everywhere
        # because category names are a closed set of plain words.
        return qs.filter(categories__icontains=f'"{value}"')


@shallow_filter_copies
class FlagFilter(django_filters.FilterSet):
    model_version = django_filters.CharFilter(field_name="model_version", max_length=40)
    category = CategoryFilter()
    harm_min = HarmMinFilter()
    since = InstantFilter(field_name="created_at", lookup_expr="gte")
    until = InstantFilter(field_name="created_at", lookup_expr="lte")
    verdict = django_filters.ChoiceFilter(
        field_name="verdict", choices=[("helpful", "helpful"), ("not_helpful", "not_helpful")]
    )

    class Meta:
        model = OutputFeedback
        fields: list[str] = []


def flags_list(*, tool_id: int, filters: Mapping[str, Any]) -> QuerySet[OutputFeedback]:
    """A tool's flags, newest first, narrowed by the SPEC filters; bad filters -> 400."""
    fs = FlagFilter(filters, queryset=OutputFeedback.objects.filter(tool_id=tool_id))
    if not fs.is_valid():
        errors = {k: [str(m) for m in v] for k, v in fs.errors.items()}
        raise ValidationFailed("Some filters are invalid; fix them and retry.", errors=errors)
    qs: QuerySet[OutputFeedback] = fs.qs.order_by("-id")
    return qs


def flag_public(flag: OutputFeedback) -> dict[str, Any]:
    return {
        "id": flag.pk,
        "tool": flag.tool_id,
        "client_id": str(flag.client_id),
        "output_ref": flag.output_ref,
        "model_version": flag.model_version,
        "verdict": flag.verdict,
        "categories": list(flag.categories),
        "harm": flag.harm or None,
        "harm_reached": flag.harm_reached,
        "comment": flag.comment,
        "phi_redacted": list(flag.phi_redacted),
        "reporter": flag.reporter_id,
        "anonymous": flag.reporter_id is None,
        "created_at": flag.created_at.isoformat(),
    }
