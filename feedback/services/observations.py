"""Observation writes: validation, PHI masking and idempotent, duplicate-free batch sync."""

from __future__ import annotations

import datetime as dt
import functools
import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from feedback import phi
from feedback.context import Actor
from feedback.errors import Conflict, ValidationFailed
from feedback.ids import is_id
from feedback.models import Observation, Tool, Unit, Workflow
from feedback.models.observations import FREQUENCIES, ROLE_OBSERVED
from feedback.services.audit import audit_record

MAX_BATCH = 500
MAX_DESCRIPTION = 5000
MAX_TAGS = 10
MAX_TAG_LENGTH = 40
MAX_MINUTES_LOST = 600
# Device clocks drift; a day of slack still refuses obviously wrong timestamps.
FUTURE_SLACK = dt.timedelta(days=1)
EARLIEST_YEAR = 2000

# The fields that define "the same content" for idempotency (stored values, already masked).
CONTENT_FIELDS = (
    "captured_at",
    "unit_id",
    "workflow_id",
    "tool_id",
    "role_observed",
    "description",
    "severity",
    "frequency",
    "minutes_lost",
    "patient_safety",
    "tags",
)

Errors = dict[str, list[str]]

# ASCII digits only: str.isdigit() also accepts "²" or "٢", which int() then refuses or misreads,
# and 19 digits cover every 64-bit id (longer strings would hit Python's int-parsing limit).
_WHOLE_NUMBER = re.compile(r"-?[0-9]{1,19}")
_NOT_UTF8 = "Remove the unpaired surrogate characters (\\ud800-\\udfff); send UTF-8 text."


@dataclass
class SyncResult:
    """The outcome for one submitted item, in submission order."""

    client_id: str
    status: str  # created | duplicate | conflict | rejected
    observation: Observation | None = None
    errors: Errors | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"client_id": self.client_id, "status": self.status}
        if self.observation is not None:
            out["id"] = self.observation.pk
        if self.errors:
            out["errors"] = self.errors
        return out


@dataclass
class _Refs:
    """Ids of the reference rows a batch points at, fetched once per batch."""

    units: set[int] = field(default_factory=set)
    workflows: set[int] = field(default_factory=set)
    tools: set[int] = field(default_factory=set)


# ---- validation -------------------------------------------------------------------------------


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and _WHOLE_NUMBER.fullmatch(value.strip()):
        return int(value.strip())
    return None


def _is_utf8(text: str) -> bool:
    """False for lone surrogates (JSON allows "\\ud800"): no database or response encodes them."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _shown(value: Any) -> str:
    """A submitted value, short enough to echo in an error (repr escapes lone surrogates)."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _as_bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return None


def _client_id(item: Any) -> tuple[str, uuid.UUID | None]:
    raw = item.get("client_id") if isinstance(item, dict) else None
    text = (raw if isinstance(raw, str) else ("" if raw is None else str(raw)))[:100]
    text = text.encode("utf-8", "replace").decode("utf-8")  # it is echoed in the result
    try:
        return text, uuid.UUID(text)
    except ValueError:
        return text, None


def _captured_at(value: Any, errors: Errors) -> dt.datetime | None:
    parsed = None
    if isinstance(value, str):
        try:
            parsed = parse_datetime(value.strip())
        except ValueError:
            parsed = None
    if parsed is None:
        errors["captured_at"] = ["Send an ISO 8601 date-time, e.g. 2026-03-01T07:15:00Z."]
    elif timezone.is_naive(parsed):
        errors["captured_at"] = ["Include a time zone, e.g. 2026-03-01T07:15:00Z."]
    elif parsed.year < EARLIEST_YEAR:
        errors["captured_at"] = [f"This time is before {EARLIEST_YEAR}; check the device clock."]
    elif parsed > timezone.now() + FUTURE_SLACK:
        errors["captured_at"] = ["This time is in the future; check the device clock."]
    else:
        return parsed
    return None


def _ref(
    value: Any, known: set[int], name: str, errors: Errors, *, required: bool = True
) -> int | None:
    if value is None or value == "":
        if required:
            errors[name] = [f"Choose a {name}: send its id (see /api/{name}s/)."]
        return None
    ref = _as_int(value)
    if ref is None or ref not in known:
        errors[name] = [f"No {name} with id {_shown(value)}; pick one from /api/{name}s/."]
        return None
    return ref


def _choice(value: Any, choices: Sequence[str], name: str, errors: Errors) -> str | None:
    if isinstance(value, str) and value in choices:
        return value
    errors[name] = [f"Choose one of: {', '.join(choices)}."]
    return None


def _int_in(value: Any, low: int, high: int, name: str, errors: Errors) -> int | None:
    number = _as_int(value)
    if number is None or not low <= number <= high:
        errors[name] = [f"Send a whole number from {low} to {high}."]
        return None
    return number


def _description(value: Any, errors: Errors) -> str | None:
    text = value.strip() if isinstance(value, str) else ""
    if "\x00" in text:  # PostgreSQL refuses NUL in text; no keyboard produces one
        errors["description"] = ["Remove the NUL (\\x00) characters from the text."]
    elif not _is_utf8(text):
        errors["description"] = [_NOT_UTF8]
    elif not text:
        errors["description"] = ["Describe what you saw (1 to 5000 characters)."]
    elif len(text) > MAX_DESCRIPTION:
        errors["description"] = [f"{len(text)} characters; shorten it to at most 5000."]
    else:
        return text
    return None


def _tags(value: Any, errors: Errors) -> list[str] | None:
    if value is None:
        return []
    if not isinstance(value, list) or not all(
        isinstance(t, str) and "\x00" not in t for t in value
    ):
        errors["tags"] = ["Send tags as a list of strings."]
        return None
    if not all(_is_utf8(t) for t in value):
        errors["tags"] = [_NOT_UTF8]
        return None
    cleaned = list(dict.fromkeys(t.strip() for t in value if t.strip()))  # ordered, unique
    if len(cleaned) > MAX_TAGS:
        errors["tags"] = [f"{len(cleaned)} tags; keep at most {MAX_TAGS}."]
    elif any(len(t) > MAX_TAG_LENGTH for t in cleaned):
        errors["tags"] = [f"Keep each tag to at most {MAX_TAG_LENGTH} characters."]
    else:
        return cleaned
    return None


def _clean(item: dict[str, Any], refs: _Refs) -> tuple[dict[str, Any], Errors]:
    """Check one item's shape and values; return the cleaned (still unmasked) fields and errors."""
    errors: Errors = {}
    minutes = item.get("minutes_lost")
    safety = _as_bool(item.get("patient_safety", False))
    if safety is None:
        errors["patient_safety"] = ["Send true or false."]
    data = {
        "captured_at": _captured_at(item.get("captured_at"), errors),
        "unit_id": _ref(item.get("unit"), refs.units, "unit", errors),
        "workflow_id": _ref(
            item.get("workflow"), refs.workflows, "workflow", errors, required=True
        ),
        "tool_id": _ref(item.get("tool"), refs.tools, "tool", errors, required=False),
        "role_observed": _choice(item.get("role_observed"), ROLE_OBSERVED, "role_observed", errors),
        "description": _description(item.get("description"), errors),
        "severity": _int_in(item.get("severity"), 1, 4, "severity", errors),
        "frequency": _choice(item.get("frequency"), FREQUENCIES, "frequency", errors),
        "minutes_lost": None
        if minutes in (None, "")
        else _int_in(minutes, 0, MAX_MINUTES_LOST, "minutes_lost", errors),
        "patient_safety": bool(safety),
        "tags": _tags(item.get("tags"), errors),
    }
    return data, errors


def _known_refs(items: Iterable[Any]) -> _Refs:
    """One query per reference table for every id the batch mentions."""
    wanted: dict[str, set[int]] = {"unit": set(), "workflow": set(), "tool": set()}
    for item in items:
        if isinstance(item, dict):
            for name, ids in wanted.items():
                ref = _as_int(item.get(name))
                if is_id(ref):  # SQLite overflows on larger ints
                    ids.add(ref)

    def existing(model: Any, ids: set[int]) -> set[int]:
        return set(model.objects.filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()

    return _Refs(
        existing(Unit, wanted["unit"]),
        existing(Workflow, wanted["workflow"]),
        existing(Tool, wanted["tool"]),
    )


# ---- masking and comparison -------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def _mask_tag(tag: str) -> phi.Masked:
    # Tags come from a small vocabulary and repeat across a batch; masking is deterministic, so
    # a bounded in-memory memo saves two of every three scans in a typical batch (never persisted).
    return phi.mask(tag)


def _masked(data: dict[str, Any]) -> dict[str, Any]:
    """The values as stored: PHI in description and tags replaced, types listed."""
    description = phi.mask(data["description"])
    masked_tags = [_mask_tag(t) for t in data["tags"]]
    tags = [m.text for m in masked_tags]
    tag_types = {t for m in masked_tags for t in m.types}
    return {
        **data,
        "description": description.text,
        "tags": tags,
        "phi_redacted": sorted(set(description.types) | set(tag_types)),
    }


def _same(stored: Observation, data: dict[str, Any]) -> bool:
    return all(getattr(stored, name) == data[name] for name in CONTENT_FIELDS)


def _verdict(stored: Observation, data: dict[str, Any], observer: Any) -> str:
    if stored.observer_id != observer.pk or not _same(stored, data):
        return "conflict"
    return "duplicate"


# ---- the service ------------------------------------------------------------------------------


@dataclass
class _Pending:
    index: int
    client_uuid: uuid.UUID
    data: dict[str, Any]


def _validate(items: Sequence[Any], results: list[SyncResult]) -> dict[uuid.UUID, list[_Pending]]:
    """Fill `results` with rejections; group valid items by client_id (a batch may repeat one)."""
    refs = _known_refs(items)
    by_key: dict[uuid.UUID, list[_Pending]] = {}
    for index, item in enumerate(items):
        text, key = _client_id(item)
        results.append(SyncResult(client_id=text, status="rejected"))
        if not isinstance(item, dict):
            results[index].errors = {"non_field_errors": ["Each item must be a JSON object."]}
            continue
        data, errors = _clean(item, refs)
        if key is None:
            errors["client_id"] = ["Send the device-made UUID of this observation."]
        if errors or key is None:
            results[index].errors = errors
            continue
        results[index].client_id = str(key)
        by_key.setdefault(key, []).append(_Pending(index, key, _masked(data)))
    return by_key


def _insert(rows: list[Observation]) -> list[Observation]:
    """Insert all rows at once; if any client_id already exists, fall back to one by one.

    The unique index on client_id is what prevents duplicates: a concurrent replay that inserted
    first makes our insert fail here, and that row is then answered from the stored record.
    """
    try:
        with transaction.atomic():
            return Observation.objects.bulk_create(rows)
    except IntegrityError:
        pass
    created = []
    for row in rows:
        try:
            with transaction.atomic():
                row.save(force_insert=True)
            created.append(row)
        except IntegrityError:
            row.pk = None
    return created


@transaction.atomic
def observation_sync(*, actor: Actor, items: Sequence[Any]) -> list[SyncResult]:
    """Store every valid new item; answer each item created / duplicate / conflict / rejected."""
    observer = actor.user
    results: list[SyncResult] = []
    by_key = _validate(items, results)
    stored = Observation.objects.in_bulk(list(by_key), field_name="client_id")
    # Sorted keys give concurrent batches the same lock order on the unique index (no deadlock).
    new = [
        Observation(client_id=key, observer_id=observer.pk, **by_key[key][0].data)
        for key in sorted(set(by_key) - set(stored))
    ]
    for row in _insert(new):
        stored[row.client_id] = row
        results[by_key[row.client_id][0].index].status = "created"
    missing = [k for k in by_key if k not in stored]  # lost a race: read what the winner stored
    stored.update(Observation.objects.in_bulk(missing, field_name="client_id") if missing else {})
    _answer_the_rest(by_key, stored, observer, results)
    created = [r.observation.pk for r in results if r.status == "created" and r.observation]
    if created:  # one audit row per batch, listing every id it created
        audit_record(
            actor=actor,
            action="create",
            object_type="feedback.observation",
            object_id=created[0] if len(created) == 1 else "",
            detail={"ids": created},
        )
    return results


def _answer_the_rest(
    by_key: dict[uuid.UUID, list[_Pending]],
    stored: dict[Any, Observation],
    observer: Any,
    results: list[SyncResult],
) -> None:
    for key, pendings in by_key.items():
        row = stored[key]
        for pending in pendings:
            result = results[pending.index]
            if result.status != "created":
                result.status = _verdict(row, pending.data, observer)
            if row.observer_id == observer.pk:  # never reveal the id of someone else's record
                result.observation = row


def observation_create(*, actor: Actor, data: Any) -> tuple[Observation, bool]:
    """A batch of one: returns (record, created); raises on rejection or conflict."""
    (result,) = observation_sync(actor=actor, items=[data])
    if result.status == "rejected":
        raise ValidationFailed(
            "Some fields are invalid; fix the fields listed in errors and resend.",
            errors=result.errors,
        )
    if result.status == "conflict" or result.observation is None:
        raise Conflict(
            "An observation with this client_id already exists with different content; "
            "send a new client_id for a new observation."
        )
    return result.observation, result.status == "created"
