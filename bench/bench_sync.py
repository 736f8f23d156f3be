"""Benchmark the 500-item sync batch against a raw bulk_create and 500 single POSTs.

Runs the API in-process (Django's test client) against a scratch database: a temporary SQLite
file, or with --db postgres a scratch PostgreSQL database that is dropped afterwards.
Writes bench/reports/sync.md (or sync-postgres.md); exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scratch import configure, drop_postgres  # noqa: E402

REPORTS = ROOT / "bench" / "reports"
PG_NAME = f"bench_sync_{os.getpid()}"
BATCH = 500
SINGLES = 100  # single POSTs timed per round, scaled to 500
TARGETS = {"api_vs_bulk": 2.0, "one_by_one_vs_api": 20.0, "replay_vs_first": 1.3}
WORDS = [
    "BPA",
    "fired",
    "twice",
    "during",
    "med",
    "rec",
    "scanner",
    "timed",
    "out",
    "at",
    "0700",
    "on",
    "4",
    "West",
    "Pyxis",
    "override",
    "needed",
    "label",
    "printer",
    "jam",
]


def setup_world() -> tuple[Any, Any, Any, Any]:
    """A synthetic observer with a token, one unit, one workflow, a token-authenticated client."""
    from django.contrib.auth.models import Group
    from django.test import Client
    from rest_framework.authtoken.models import Token

    from feedback.models import Unit, User, Workflow

    user = User.objects.create_user("bench-observer", password="synthetic-bench-1")
    user.groups.add(Group.objects.get_or_create(name="observer")[0])
    token = Token.objects.create(user=user).key
    client = Client(HTTP_AUTHORIZATION=f"Token {token}")
    unit = Unit.objects.create(name="4 West Bench", site="Synthetic Campus")
    workflow = Workflow.objects.create(name="bench medication reconciliation")
    return user, unit, workflow, client


def make_items(unit: Any, workflow: Any, seed: int) -> list[dict[str, Any]]:
    """500 distinct synthetic observations (no PHI), as a tablet would queue them."""
    items = []
    for i in range(BATCH):
        words = [WORDS[(seed * 7 + i * j) % len(WORDS)] for j in range(1, 13)]
        items.append(
            {
                "client_id": str(uuid.uuid4()),
                "captured_at": f"2026-03-01T07:{i % 60:02d}:00Z",
                "unit": unit.pk,
                "workflow": workflow.pk,
                "role_observed": "nurse",
                "description": f"Item {seed}-{i}: " + " ".join(words),
                "severity": i % 4 + 1,
                "frequency": "daily",
                "minutes_lost": i % 30,
                "patient_safety": i % 9 == 0,
                "tags": ["bpa", f"shift-{i % 3}"],
            }
        )
    return items


def raw_bulk_create(user: Any, items: list[dict[str, Any]], *, mask: bool = False) -> None:
    """The floor: build the same rows and bulk_create them in one transaction, no checks
    (with mask=True, plus the PHI masking of description and tags that every write needs)."""
    from django.db import transaction
    from django.utils.dateparse import parse_datetime

    from feedback import phi
    from feedback.models import Observation

    if mask:
        items = [
            {**it, "description": phi.mask(it["description"]).text,
             "tags": phi.mask_many(it["tags"])[0]}
            for it in items
        ]  # fmt: skip

    rows = [
        Observation(
            client_id=uuid.UUID(it["client_id"]),
            observer=user,
            captured_at=parse_datetime(it["captured_at"]),
            unit_id=it["unit"],
            workflow_id=it["workflow"],
            role_observed=it["role_observed"],
            description=it["description"],
            severity=it["severity"],
            frequency=it["frequency"],
            minutes_lost=it["minutes_lost"],
            patient_safety=it["patient_safety"],
            tags=it["tags"],
        )
        for it in items
    ]
    with transaction.atomic():
        Observation.objects.bulk_create(rows)


def post_json(client: Any, path: str, body: bytes, expect: int) -> Any:
    response = client.post(path, body, content_type="application/json")
    assert response.status_code == expect, (response.status_code, response.content[:300])
    return response


def without_phi(client: Any, path: str, items: list[dict[str, Any]]) -> Any:
    """Diagnostic only: the same sync with phi.mask stubbed, to show what the PHI guard costs."""
    from unittest import mock

    from feedback import phi

    body = json.dumps({"observations": items}).encode()
    with mock.patch.object(phi, "mask", lambda text: phi.Masked(text, [])):
        return post_json(client, path, body, 200)


def timed(fn: Callable[[], Any]) -> float:
    from django.db import connection

    if connection.vendor == "sqlite":  # fold the WAL back first, so no variant pays for another
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def one_round(user: Any, unit: Any, workflow: Any, client: Any, seed: int) -> dict[str, float]:
    """Time each variant once on fresh rows; the order rotates so no variant always goes first."""
    sync = "/api/observations/sync/"
    body = json.dumps({"observations": make_items(unit, workflow, seed * 3)}).encode()
    runs: dict[str, Callable[[], Any]] = {
        "bulk": partial(raw_bulk_create, user, make_items(unit, workflow, seed * 3 + 1)),
        "bulk_masked": partial(
            raw_bulk_create, user, make_items(unit, workflow, seed * 3 + 2), mask=True
        ),
        "api": partial(post_json, client, sync, body, 200),
        "api_phi_stubbed": partial(without_phi, client, sync, make_items(unit, workflow, seed * 3)),
    }
    names = list(runs)
    names = names[seed % len(names) :] + names[: seed % len(names)]
    times = {name: timed(runs[name]) for name in names}
    times["replay"] = timed(partial(post_json, client, sync, body, 200))  # after its first sync
    singles = [json.dumps(it).encode() for it in make_items(unit, workflow, seed * 3)[:SINGLES]]
    times["one_by_one"] = timed(
        lambda: [post_json(client, "/api/observations/", one, 201) for one in singles]
    ) * (BATCH / SINGLES)  # a slice per round, so load spikes hit it like the other variants
    return times


def measure(repeats: int) -> dict[str, list[float]]:
    """Interleaved rounds so load from other processes hits each variant alike."""
    user, unit, workflow, client = setup_world()
    import backend.asgi  # noqa: F401  the server's startup: PHI recognizers loaded, gc.freeze()

    one_round(user, unit, workflow, client, seed=0)  # warm imports, the PHI engine and caches
    samples: dict[str, list[float]] = {}
    for rep in range(1, repeats + 1):
        for name, value in one_round(user, unit, workflow, client, seed=rep).items():
            samples.setdefault(name, []).append(value)
    check_replay_answers(client, workflow, unit)
    return samples


def check_replay_answers(client: Any, workflow: Any, unit: Any) -> None:
    """Sanity check: what was timed as a replay really answers duplicate for every item."""
    body = json.dumps({"observations": make_items(unit, workflow, seed=3)}).encode()
    post_json(client, "/api/observations/sync/", body, 200)
    results = post_json(client, "/api/observations/sync/", body, 200).json()["results"]
    assert {r["status"] for r in results} == {"duplicate"}, "replay must answer duplicate"


def ratios(ms: dict[str, float]) -> dict[str, float]:
    return {
        "api_vs_bulk": ms["api"] / ms["bulk"],
        "one_by_one_vs_api": ms["one_by_one"] / ms["api"],
        "replay_vs_first": ms["replay"] / ms["api"],
        "api_vs_bulk_masked": ms["api"] / ms["bulk_masked"],  # context, no target
        "api_phi_stubbed_vs_bulk": ms["api_phi_stubbed"] / ms["bulk"],  # context, no target
    }


def passed(name: str, value: float) -> bool:
    if name not in TARGETS:
        return True
    target = TARGETS[name]
    return value >= target if name == "one_by_one_vs_api" else value <= target


def target_text(name: str) -> str:
    if name not in TARGETS:
        return "(context)"
    return f"{'>=' if name == 'one_by_one_vs_api' else '<='} {TARGETS[name]}"


def write_report(
    db: str, ms: dict[str, float], best: dict[str, float], got: dict[str, float], repeats: int
) -> Path:
    from django.db import connection

    name = "sync.md" if db == "sqlite" else "sync-postgres.md"
    flag = "" if db == "sqlite" else " --db postgres"
    lines = [
        f"# Sync benchmark ({db})",
        "",
        f"- {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M UTC}, {platform.python_version()}, "
        f"{connection.vendor} {connection.cursor().connection.__class__.__module__}, "
        f"{os.cpu_count()} CPUs (shared), median of {repeats} interleaved runs",
        f"- command: `.venv/bin/python bench/bench_sync.py{flag}`",
        "- batch: 500 distinct synthetic observations, each with a ~70-char description and 2 tags",
        "- `bulk`: build the 500 model rows and `bulk_create` them in one transaction (no checks)",
        "- `api`: `POST /api/observations/sync/` through Django's test client (auth, JSON parse, "
        "validation, PHI masking of description and tags, bulk insert, audit row, JSON response)",
        "- `bulk_masked`: `bulk` plus `phi.mask` of each description and tag (the PHI guard "
        "every stored row needs)",
        "- `api_phi_stubbed`: `api` with `phi.mask` stubbed out (diagnostic only: what the API "
        "costs apart from the PHI guard; tag masks are memoised either way)",
        "- `replay`: the same body again (every item answers `duplicate`)",
        f"- `one_by_one`: the same kind of items sent one per `POST /api/observations/`: "
        f"{SINGLES} per round, scaled to 500",
        "",
        "| variant | median ms | best ms |",
        "|---|---|---|",
        *[f"| {k} | {v:.1f} | {best[k]:.1f} |" for k, v in ms.items()],
        "",
        "| ratio | measured | target | ok |",
        "|---|---|---|---|",
        *[
            f"| {k} | {v:.2f} | {target_text(k)} | {'yes' if passed(k, v) else 'NO'} |"
            for k, v in got.items()
        ],
        "",
        f"Best-of-{repeats} ratios (less sensitive to other processes on a shared machine): "
        + ", ".join(f"{k} {v:.2f}" for k, v in ratios(best).items() if k != "one_by_one_vs_api"),
    ]
    path = REPORTS / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--quick", action="store_true", help="3 repeats instead of 9")
    args = parser.parse_args()
    repeats = 3 if args.quick else 9
    configure(args.db, PG_NAME)
    try:
        samples = measure(repeats)
        ms = {k: statistics.median(v) * 1000 for k, v in samples.items()}
        best = {k: min(v) * 1000 for k, v in samples.items()}
        got = ratios(ms)
        path = write_report(args.db, ms, best, got, repeats)
    finally:
        if args.db == "postgres":
            drop_postgres(PG_NAME)
    print(path.read_text())
    sys.exit(0 if all(passed(k, v) for k, v in got.items()) else 1)


if __name__ == "__main__":
    main()
