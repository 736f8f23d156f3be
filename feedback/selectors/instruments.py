"""Instrument results: score, n and 95% CI overall, by role, by unit (and by task for SEQ)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Q

from feedback import confidence, instruments
from feedback.models import CodesignSession, InstrumentResponse, SusResponse, Unit

UNSPECIFIED = "unspecified"
Row = tuple[str, float, str, int | None, int | None]  # instrument, score, role, unit, screen


def _estimate(name: str, values: list[float]) -> dict[str, Any]:
    low, high = instruments.RANGES[name]
    found = confidence.estimate(values, lower=low, upper=high)
    return found.public() if found else {"score": None, "n": 0, "ci95": None}


def _split(name: str, rows: list[Row], index: int, labels: dict[int, str]) -> dict[str, Any]:
    groups: dict[str, list[float]] = defaultdict(list)
    for row in rows:
        key = row[index]
        groups[str(key) if key not in (None, "") else UNSPECIFIED].append(row[1])
    out = {}
    for key in sorted(groups):
        entry = _estimate(name, groups[key])
        if index == 3 and key != UNSPECIFIED:
            entry["name"] = labels.get(int(key), "")
        out[key] = entry
    return out


def summarize(rows: Iterable[Row]) -> dict[str, Any]:
    """{name: {score, n, ci95, by_role, by_unit[, by_screen]}} for the instruments answered."""
    by_name: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        by_name[row[0]].append(row)
    units = dict(
        Unit.objects.filter(
            pk__in={r[3] for rs in by_name.values() for r in rs if r[3]}
        ).values_list("pk", "name")
    )
    result: dict[str, Any] = {}
    for name in instruments.NAMES:
        group = by_name.get(name)
        if not group:
            continue
        entry = _estimate(name, [r[1] for r in group])
        entry["by_role"] = _split(name, group, 2, units)
        entry["by_unit"] = _split(name, group, 3, units)
        if any(r[4] for r in group):
            entry["by_screen"] = _split(name, group, 4, units)
        result[name] = entry
    return result


def _rows(where: Q, sus_where: Q) -> list[Row]:
    fields = ("instrument", "score", "participant__role", "participant__unit_id", "screen_id")
    rows: list[Row] = list(InstrumentResponse.objects.filter(where).values_list(*fields))
    answered = {
        pid
        for pid in InstrumentResponse.objects.filter(where, instrument="sus").values_list(
            "participant_id", flat=True
        )
    }
    # SUS collected at the end of a session (the `sus` frame) counts too, once per person.
    for pid, value, role, unit in SusResponse.objects.filter(sus_where).values_list(
        "participant_id", "score", "participant__role", "participant__unit_id"
    ):
        if pid not in answered:
            rows.append(("sus", value, role, unit, None))
    return rows


def session_instruments(session: CodesignSession) -> dict[str, Any]:
    return summarize(_rows(Q(session=session), Q(session=session)))


def tool_instruments(*, tool_id: int) -> dict[str, Any]:
    """Every session of the tool together (the dashboard's figures)."""
    return summarize(_rows(Q(session__tool_id=tool_id), Q(session__tool_id=tool_id)))


def csv_rows(results: dict[str, Any]) -> list[list[Any]]:
    """Flat rows: instrument, group (all|role|unit|screen), key, label, n, score, ci95 low/high."""
    out: list[list[Any]] = []

    def row(name: str, group: str, key: str, entry: dict[str, Any]) -> None:
        ci = entry.get("ci95") or ["", ""]
        out.append([name, group, key, entry.get("name", ""), entry["n"], entry["score"], *ci])

    for name, entry in results.items():
        row(name, "all", "", entry)
        for group, field in (("role", "by_role"), ("unit", "by_unit"), ("screen", "by_screen")):
            for key, sub in (entry.get(field) or {}).items():
                row(name, group, key, sub)
    return out
