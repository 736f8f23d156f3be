"""Dashboard reads: pain points over time and tool ratings by screen version, DB-side grouped."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate, TruncWeek
from django.utils import timezone

from feedback.errors import NotFound, ValidationFailed
from feedback.models import ModelVersion, Observation, OutputFeedback, Rating, Screen, Tool, User
from feedback.selectors.observations import observation_visible
from feedback.selectors.output_feedback import burst_rule

BY_FIELDS = {"workflow": "workflow", "unit": "unit"}
BUCKET_DAYS = {"week": 7, "day": 1}
DEFAULT_SPAN_DAYS = {"week": 7 * 12, "day": 30}
MAX_BUCKETS = 400


@dataclass(frozen=True)
class PainQuery:
    by: str = "workflow"
    bucket: str = "week"
    since: dt.date | None = None
    until: dt.date | None = None


def observations_visible(*, user: User) -> QuerySet[Observation]:
    """The SPEC's observation visibility, shared with the observation endpoints."""
    return observation_visible(user=user).prefetch_related(None)


def _bucket_start(day: dt.date, bucket: str) -> dt.date:
    # Weeks start on Monday, as TruncWeek does on every supported database.
    return day - dt.timedelta(days=day.weekday()) if bucket == "week" else day


def _window(q: PainQuery) -> tuple[dt.date, dt.date]:
    until = q.until or timezone.localdate()
    since = q.since or until - dt.timedelta(days=DEFAULT_SPAN_DAYS[q.bucket] - 1)
    if since > until:
        raise ValidationFailed(
            "`since` is after `until`; swap them.", errors={"since": ["Must not be after until."]}
        )
    first, last = _bucket_start(since, q.bucket), _bucket_start(until, q.bucket)
    if (last - first).days // BUCKET_DAYS[q.bucket] + 1 > MAX_BUCKETS:
        raise ValidationFailed(
            f"That range needs more than {MAX_BUCKETS} buckets; narrow it or use bucket=week.",
            errors={"since": [f"At most {MAX_BUCKETS} {q.bucket}s between since and until."]},
        )
    return since, until


def _bucket_keys(since: dt.date, until: dt.date, bucket: str) -> list[dt.date]:
    step = dt.timedelta(days=BUCKET_DAYS[bucket])
    keys, t = [], _bucket_start(since, bucket)
    while t <= until:
        keys.append(t)
        t += step
    return keys


def _as_date(value: Any) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def pain_points(*, user: User, query: PainQuery) -> dict[str, Any]:
    """Observation counts (and patient-safety counts) per `by` key per time bucket, zero-filled."""
    since, until = _window(query)
    field = BY_FIELDS[query.by]
    tz = timezone.get_current_timezone()
    trunc = TruncWeek if query.bucket == "week" else TruncDate
    start = dt.datetime.combine(since, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    rows = (
        observations_visible(user=user)
        .filter(captured_at__gte=start, captured_at__lt=end)
        .annotate(t=trunc("captured_at", tzinfo=tz))
        .values(field, f"{field}__name", "t")
        .annotate(count=Count("id"), safety=Count("id", filter=Q(patient_safety=True)))
        .order_by(f"{field}__name", field, "t")
    )
    return {
        "by": query.by,
        "bucket": query.bucket,
        "since": since,
        "until": until,
        "series": _series(rows, field, _bucket_keys(since, until, query.bucket)),
    }


def _series(rows: Any, field: str, keys: list[dt.date]) -> list[dict[str, Any]]:
    labels: dict[int, str] = {}
    counts: dict[int, dict[dt.date, tuple[int, int]]] = defaultdict(dict)
    for row in rows:
        labels[row[field]] = row[f"{field}__name"]
        counts[row[field]][_as_date(row["t"])] = (row["count"], row["safety"])
    return [
        {
            "key": key,
            "label": label,
            "points": [
                {
                    "t": t,
                    "count": counts[key].get(t, (0, 0))[0],
                    "safety": counts[key].get(t, (0, 0))[1],
                }
                for t in keys
            ],
        }
        for key, label in labels.items()
    ]


def tool_ratings(*, user: User, tool_id: int) -> dict[str, Any]:
    """Per screen of the tool: rating count and mean score per dimension (three queries)."""
    if not Tool.objects.filter(pk=tool_id).exists():
        raise NotFound("No such tool; pick one from /api/tools/.")
    screens = list(
        Screen.objects.filter(tool_id=tool_id)
        .order_by("title", "version", "id")
        .values("id", "title", "version")
    )
    sums: dict[int, dict[str, list[float]]] = defaultdict(lambda: defaultdict(lambda: [0.0, 0]))
    counts: dict[int, int] = defaultdict(int)
    ratings = Rating.objects.filter(screen__tool_id=tool_id).values_list("screen_id", "scores")
    for screen_id, scores in ratings.iterator(chunk_size=2000):
        counts[screen_id] += 1
        for dim, value in (scores if isinstance(scores, dict) else {}).items():
            if isinstance(value, int | float) and not isinstance(value, bool):
                acc = sums[screen_id][dim]
                acc[0] += value
                acc[1] += 1
    return {"tool": tool_id, "screens": [_screen_row(s, counts, sums) for s in screens]}


def _screen_row(
    screen: Mapping[str, Any], counts: dict[int, int], sums: dict[int, dict[str, list[float]]]
) -> dict[str, Any]:
    per_dim = sums.get(screen["id"], {})
    return {
        "screen": screen["id"],
        "title": screen["title"],
        "version": screen["version"],
        "count": counts.get(screen["id"], 0),
        "means": {dim: round(total / n, 3) for dim, (total, n) in sorted(per_dim.items()) if n},
    }


def flag_stats(*, tool_id: int, now: dt.datetime | None = None) -> dict[str, Any]:
    """Per model version of the tool: flags by verdict, category and harm, and whether the
    not-helpful flags of the burst window reach the burst threshold (two grouped queries)."""
    if not Tool.objects.filter(pk=tool_id).exists():
        raise NotFound("No such tool; pick one from /api/tools/.")
    count, minutes = burst_rule()
    since = (now or timezone.now()) - dt.timedelta(minutes=minutes)
    rows = (
        OutputFeedback.objects.filter(tool_id=tool_id)
        .values_list("model_version", "verdict", "categories", "harm", "harm_reached", "created_at")
        .order_by("id")
    )
    versions: dict[str, dict[str, Any]] = {}
    for version, verdict, categories, harm, reached, at in rows.iterator(chunk_size=2000):
        v = versions.setdefault(version, _empty_version(version))
        v["count"] += 1
        v[verdict] += 1
        for c in categories or []:
            v["categories"][c] = v["categories"].get(c, 0) + 1
        if harm:
            v["harm"][harm] = v["harm"].get(harm, 0) + 1
            v["harm_reached"] += int(bool(reached))
        v["first_at"] = v["first_at"] or at
        v["last_at"] = at
        if verdict == "not_helpful" and at >= since:
            v["recent_not_helpful"] += 1
    out = sorted(versions.values(), key=lambda v: v["first_at"])
    for v in out:
        v["burst"] = v["recent_not_helpful"] >= count
    return {"tool": tool_id, "burst_rule": {"count": count, "minutes": minutes}, "versions": out}


def _empty_version(version: str) -> dict[str, Any]:
    return {
        "model_version": version,
        "count": 0,
        "helpful": 0,
        "not_helpful": 0,
        "categories": {},
        "harm": {},
        "harm_reached": 0,
        "recent_not_helpful": 0,
        "first_at": None,
        "last_at": None,
    }


def version_comparison(*, tool_id: int) -> dict[str, Any]:
    """The tool's model versions side by side: ratings (by the version recorded on each rating),
    flags by verdict and harm, and bursts. Versions are the registered ones plus any that
    screens, ratings or flags named; ordered by release date, then first seen."""
    flags = {v["model_version"]: v for v in flag_stats(tool_id=tool_id)["versions"]}
    registered = list(
        ModelVersion.objects.filter(tool_id=tool_id).values("version", "released_at", "notes")
    )
    ratings: dict[str, dict[str, Any]] = {}
    rows = Rating.objects.filter(screen__tool_id=tool_id).values_list("model_version", "scores")
    for version, scores in rows.iterator(chunk_size=2000):
        acc = ratings.setdefault(version or "", {"count": 0, "sums": defaultdict(lambda: [0.0, 0])})
        acc["count"] += 1
        for dim, value in (scores if isinstance(scores, dict) else {}).items():
            if isinstance(value, int | float) and not isinstance(value, bool):
                acc["sums"][dim][0] += value
                acc["sums"][dim][1] += 1
    screens = Screen.objects.filter(tool_id=tool_id).exclude(model_version="")
    screen_counts: dict[str, int] = defaultdict(int)
    for version in screens.values_list("model_version", flat=True):
        screen_counts[version] += 1
    names = [r["version"] for r in registered]
    names += [v for v in [*flags, *screen_counts, *ratings] if v and v not in names]
    info: dict[str, dict[str, Any]] = {r["version"]: dict(r) for r in registered}
    return {
        "tool": tool_id,
        "versions": [_version_row(v, info.get(v), ratings.get(v), flags.get(v), screen_counts)
                     for v in names],
        "unversioned_ratings": (ratings.get("") or {}).get("count", 0),
    }  # fmt: skip


def _version_row(
    version: str,
    info: dict[str, Any] | None,
    rated: dict[str, Any] | None,
    flagged: dict[str, Any] | None,
    screens: dict[str, int],
) -> dict[str, Any]:
    sums = (rated or {}).get("sums", {})
    return {
        "model_version": version,
        "registered": info is not None,
        "released_at": (info or {}).get("released_at"),
        "notes": (info or {}).get("notes", ""),
        "screens": screens.get(version, 0),
        "ratings": {
            "count": (rated or {}).get("count", 0),
            "means": {d: round(t / n, 3) for d, (t, n) in sorted(sums.items()) if n},
        },
        "flags": flagged or _empty_version(version),
    }
