"""Benchmark the backlog list on 100,000 items: deep keyset pages and row serialization.

Seeds a scratch database (a temporary SQLite file, or with --db postgres a scratch PostgreSQL
database dropped afterwards) with synthetic items and evidence, then measures in-process:
- page: GET /api/backlog/?status=new,triaged at row 60,000 vs page one (target <= 1.5x), and the
  API's time for that page vs the floor values() + orjson of the same rows (target <= 3x);
- serialize: 1,000 items to JSON bytes as the API builds them vs that floor (target <= 10x).
Writes bench/reports/backlog.md (or backlog-postgres.md); exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import base64
import datetime
import json
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scratch import configure, drop_postgres  # noqa: E402

REPORTS = ROOT / "bench" / "reports"
PG_NAME = f"bench_backlog_{os.getpid()}"
ITEMS, DEEP_ROW, PAGE, SERIALIZE_N = 100_000, 60_000, 50, 1_000
FILTER = "status=new,triaged"
TARGETS = {"deep_vs_first": 1.5, "page_vs_floor": 3.0, "serialize_vs_floor": 10.0}


def seed(n: int) -> Any:
    """n synthetic items (many equal priorities), 3,000 linked observations, a PO token client."""
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.test import Client
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from feedback.models import BacklogItem, EvidenceObservation, Observation, Unit, User, Workflow

    rng = random.Random(7)
    po = User.objects.create_user("bench-po", password="synthetic-bench-1")
    po.groups.add(Group.objects.get_or_create(name="product_owner")[0])
    unit, wf = Unit.objects.create(name="4 West"), Workflow.objects.create(name="med rec")
    statuses = ["new"] * 6 + ["triaged"] * 2 + ["planned", "declined"]
    for start in range(0, n, 5000):
        BacklogItem.objects.bulk_create(
            BacklogItem(
                title=f"Synthetic item {i}: BPA fires during med rec",
                description="Synthetic description.",
                status=rng.choice(statuses),
                priority=rng.randint(0, 800) / 8,
                workflow=wf,
                created_by=po,
            )
            for i in range(start, min(n, start + 5000))
        )
    now = timezone.now()
    obs = Observation.objects.bulk_create(
        Observation(
            client_id=f"00000000-0000-4000-8000-{i:012d}",
            observer=po,
            captured_at=now,
            unit=unit,
            workflow=wf,
            role_observed="nurse",
            description="Synthetic.",
            severity=2,
            frequency="daily",
        )
        for i in range(3000)
    )
    ids = list(BacklogItem.objects.values_list("pk", flat=True))
    EvidenceObservation.objects.bulk_create(
        EvidenceObservation(item_id=rng.choice(ids), observation=o) for o in obs
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    client = Client(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=po).key}")
    return client, po


def deep_cursor(po: Any, row: int) -> str:
    """The cursor the API hands out after `row` rows of the filtered list (set-up, not timed)."""
    from feedback.selectors.backlog import backlog_list

    qs = backlog_list(user=po, filters={"status": ["new", "triaged"]})
    priority, pk = qs.values_list("priority", "id")[row - 1]
    raw = json.dumps({"p": priority, "i": pk, "r": False}).encode()
    return base64.urlsafe_b64encode(raw).decode()


def interleaved(fns: dict[str, Callable[[], Any]], repeats: int) -> dict[str, float]:
    """Median ms of each function, run in alternation so load on a shared machine hits all."""
    times: dict[str, list[float]] = {name: [] for name in fns}
    for fn in fns.values():
        fn()  # warm-up
    for _ in range(repeats):
        for name, fn in fns.items():
            start = time.perf_counter()
            fn()
            times[name].append((time.perf_counter() - start) * 1000)
    return {name: statistics.median(ts) for name, ts in times.items()}


def get_page(client: Any, query: str) -> Callable[[], Any]:
    """One API request; the page's shape is checked once here, outside the timings."""
    r = client.get(f"/api/backlog/?{query}")
    assert r.status_code == 200 and len(r.json()["results"]) == PAGE, r.content[:200]

    def call() -> Any:
        r = client.get(f"/api/backlog/?{query}")
        assert r.status_code == 200
        return r.content

    return call


def floor(qs_for: Callable[[], Any]) -> Callable[[], bytes]:
    import orjson

    from feedback.selectors.backlog import ROW_FIELDS  # the same columns the API reads

    return lambda: orjson.dumps(list(qs_for().values(*ROW_FIELDS)))


def api_rows(qs_for: Callable[[], Any]) -> Callable[[], bytes]:
    from rest_framework.renderers import JSONRenderer

    from feedback.selectors.backlog import as_rows, backlog_rows

    return lambda: JSONRenderer().render(backlog_rows(as_rows(qs_for())))


def keyset_query(cursor: str) -> Callable[[], Any]:
    """The floor fetches the same page the same way: status filter + keyset, 50 rows."""
    from django.db.models import Q

    from feedback.models import BacklogItem

    p, i, _ = json.loads(base64.urlsafe_b64decode(cursor)).values()
    after = Q(priority__lte=p) & (Q(priority__lt=p) | Q(pk__lt=i))
    base = BacklogItem.objects.filter(status__in=["new", "triaged"]).filter(after)
    return lambda: base.order_by("-priority", "-id")[:PAGE]


def measure(client: Any, po: Any, repeats: int) -> dict[str, float]:
    from feedback.models import BacklogItem

    cursor = deep_cursor(po, DEEP_ROW)
    deep_qs = keyset_query(cursor)
    api_ids = [
        r["id"] for r in client.get(f"/api/backlog/?{FILTER}&cursor={cursor}").json()["results"]
    ]
    assert api_ids == [r["id"] for r in deep_qs().values("id")], "floor must fetch the API's rows"
    top_ids = list(
        BacklogItem.objects.order_by("-priority", "-id").values_list("id", flat=True)[:SERIALIZE_N]
    )
    top_qs = lambda: BacklogItem.objects.filter(pk__in=top_ids).order_by("-priority", "-id")  # noqa: E731
    page = interleaved(
        {
            "page_first": get_page(client, FILTER),
            "page_deep": get_page(client, f"{FILTER}&cursor={cursor}"),
            "page_floor": floor(deep_qs),
        },
        repeats * 5,
    )
    serialize = interleaved(
        {"serialize_api": api_rows(top_qs), "serialize_floor": floor(top_qs)}, repeats
    )
    return page | serialize


def ratios(ms: dict[str, float]) -> dict[str, float]:
    return {
        "deep_vs_first": ms["page_deep"] / ms["page_first"],
        "page_vs_floor": ms["page_deep"] / ms["page_floor"],
        "serialize_vs_floor": ms["serialize_api"] / ms["serialize_floor"],
    }


def write_report(db: str, ms: dict[str, float], got: dict[str, float], repeats: int) -> Path:
    name = "backlog.md" if db == "sqlite" else f"backlog-{db}.md"
    lines = [
        f"# Backlog list benchmark ({db})",
        "",
        f"- {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M UTC}, Python "
        f"{platform.python_version()}, {platform.machine()}; medians of interleaved runs: "
        f"{repeats * 5} per page figure, {repeats} per serialize figure",
        f"- {ITEMS:,} synthetic items, 3,000 linked observations; filter `{FILTER}`; page {PAGE}",
        f"- command: `.venv/bin/python bench/bench_backlog.py --db {db}`",
        "",
        "| measurement | ms |",
        "|---|---|",
        *[f"| {k} | {v:.2f} |" for k, v in ms.items()],
        "",
        "| ratio | value | target | ok |",
        "|---|---|---|---|",
        *[
            f"| {k} | {v:.2f} | <= {TARGETS[k]} | {'yes' if v <= TARGETS[k] else 'NO'} |"
            for k, v in got.items()
        ],
        "",
        "`page_floor`: the same keyset query (status filter, `priority <= p AND (priority < p OR",
        "id < i)`, 50 rows) as `values()` + `orjson.dumps`; `serialize_floor`: `values()` of the",
        "same 1,000 rows + `orjson.dumps`. The API adds HTTP, token auth and role check (2",
        "queries), the django-filter FilterSet, one query for evidence counts and followers, and",
        "JSON rendering. `page_deep` is the API's time for the page at row 60,000.",
    ]
    path = REPORTS / name
    path.write_text("\n".join(lines) + "\n")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--quick", action="store_true", help="3 repeats instead of 9")
    parser.add_argument("--items", type=int, default=ITEMS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    configure(args.db, PG_NAME)
    try:
        client, po = seed(args.items)
        repeats = 3 if args.quick else 9
        ms = measure(client, po, repeats)
        got = ratios(ms)
        path = write_report(args.db, ms, got, repeats)
    finally:
        if args.db == "postgres":
            drop_postgres(PG_NAME)
    print(path.read_text())
    sys.exit(0 if all(v <= TARGETS[k] for k, v in got.items()) else 1)


if __name__ == "__main__":
    main()
