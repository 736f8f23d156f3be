"""Live sessions under load (issue 10's scenario): N participants across two Daphne processes
(production settings, PostgreSQL, Redis), for 60 s while
- ratings arrive at a steady rate (each from a participant who has not rated that screen yet),
- the facilitator shows another screen every few seconds,
- 3 observers sync 200-item batches back to back (POST /api/observations/sync/, fresh client_ids),
- a product owner pages the backlog (GET /api/backlog/, following `next` cursors).

Reports: HTTP 5xx; observations acked vs stored (rows counted by client_id afterwards: lost,
duplicated); rating -> every participant socket holds an aggregate that counts it (p50 / p95 /
max, and deliveries that never came); every screen change -> every participant holds it (within
1 s or not); presence shown to the facilitator against the sockets really open, at the end and
after everyone left. Synthetic data only. With --write-report writes bench/reports/live-load.md.

    flock /work/bench.lock .venv/bin/python bench/bench_live_load.py --participants 300 500
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_fanout import (  # noqa: E402
    PG_NAME,
    connect,
    environment,
    pct,
    seed,
    start_daphne,
)
from scratch import create_postgres, drop_postgres  # noqa: E402

SCREENS = 4
BATCH = 200
OBSERVERS = 3
BACKLOG_ITEMS = 2000


# --- the HTTP load (a child process, so its work does not delay the sockets' timestamps) ---------


def http_load(hosts: list[str], plan: dict[str, Any], seconds: float) -> dict[str, Any]:
    """Observers syncing back to back and a product owner paging, each in a thread."""
    import httpx

    sys.path.insert(0, str(ROOT / "bench"))
    from bench_sync import make_items  # the sync bench's synthetic observations

    statuses: dict[str, dict[str, int]] = {"sync": {}, "backlog": {}}
    acked: list[str] = []
    sent: list[str] = []
    pages = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def count(kind: str, status: int) -> None:
        with lock:
            statuses[kind][str(status)] = statuses[kind].get(str(status), 0) + 1

    def observer(k: int) -> None:
        host = hosts[k % len(hosts)]
        unit, workflow = (
            type("U", (), {"pk": plan["unit"]}),
            type("W", (), {"pk": plan["workflow"]}),
        )
        headers = {"Authorization": f"Token {plan['observers'][k]}"}
        with httpx.Client(base_url=f"http://{host}", headers=headers, timeout=120) as client:
            batch = 0
            while time.monotonic() < stop:
                items = make_items(unit, workflow, seed=k * 10_000 + batch)[:BATCH]
                batch += 1
                with lock:
                    sent.extend(i["client_id"] for i in items)
                try:
                    r = client.post("/api/observations/sync/", json={"observations": items})
                except httpx.HTTPError:
                    count("sync", 0)
                    continue
                count("sync", r.status_code)
                if r.status_code == 200:
                    ok = [x["client_id"] for x in r.json()["results"] if "id" in x]
                    with lock:
                        acked.extend(ok)

    def product_owner() -> None:
        headers = {"Authorization": f"Token {plan['po']}"}
        with httpx.Client(headers=headers, timeout=60) as client:
            url: str | None = None
            while time.monotonic() < stop:
                url = url or f"http://{hosts[-1]}/api/backlog/"
                try:
                    r = client.get(url)
                except httpx.HTTPError:
                    count("backlog", 0)
                    url = None
                    continue
                count("backlog", r.status_code)
                url = r.json().get("next") if r.status_code == 200 else None
                with lock:
                    pages[0] += 1

    threads = [threading.Thread(target=observer, args=(k,)) for k in range(OBSERVERS)]
    threads.append(threading.Thread(target=product_owner))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {"statuses": statuses, "acked": acked, "sent": sent, "pages": pages[0]}


# --- participants' sockets ------------------------------------------------------------------


@dataclass
class Participant:
    ws: Any
    host: int
    # per screen: arrival times and counts of its aggregates (counts never go down on a screen)
    agg_t: dict[int, list[float]] = field(default_factory=dict)
    agg_n: dict[int, list[int]] = field(default_factory=dict)
    screens: list[tuple[float, int]] = field(default_factory=list)
    presence: int | None = None
    closed: bool = False

    async def pump(self) -> None:
        try:
            async for raw in self.ws:
                now = time.perf_counter()
                frame = json.loads(raw)
                kind = frame.get("type")
                if kind == "aggregate":
                    screen = int(frame["screen"])
                    self.agg_t.setdefault(screen, []).append(now)
                    self.agg_n.setdefault(screen, []).append(int(frame.get("count", 0)))
                elif kind == "screen":
                    self.screens.append((now, int(frame["screen"]["id"])))
                elif kind == "presence":
                    self.presence = int(frame["count"])
        except Exception:
            pass
        self.closed = True

    def got_rating(self, screen: int, count: int, sent: float) -> float | None:
        """When this socket first held an aggregate of `screen` counting >= `count` after `sent`."""
        times, counts = self.agg_t.get(screen, []), self.agg_n.get(screen, [])
        i = max(bisect.bisect_left(times, sent), bisect.bisect_left(counts, count))
        return times[i] if i < len(times) else None

    def got_screen(self, screen: int, sent: float) -> float | None:
        return next((t for t, s in self.screens if s == screen and t >= sent), None)


async def connect_participants(hosts: list[str], code: str, keys: list[str]) -> list[Participant]:
    out: list[Participant] = []
    for start in range(0, len(keys), 50):
        batch = keys[start : start + 50]
        sockets = await asyncio.gather(
            *(connect(hosts[(start + i) % len(hosts)], code, k) for i, k in enumerate(batch))
        )
        out += [Participant(ws, (start + i) % len(hosts)) for i, ws in enumerate(sockets)]
    return out


async def run_session(
    hosts: list[str], data: dict[str, Any], plan: dict[str, Any], n: int, args: argparse.Namespace
) -> dict[str, Any]:
    rng = random.Random(n)
    code, screens = plan["sessions"][n], data["screens"]
    facilitator = Participant(await connect(hosts[0], code, data["facilitator"]), 0)
    people = await connect_participants(hosts, code, data["participants"][:n])
    pumps = [asyncio.create_task(p.pump()) for p in [facilitator, *people]]
    await facilitator.ws.send(json.dumps({"type": "reveal_results", "visible": True}))
    await asyncio.sleep(2.0)  # joins' presence frames settle

    child = subprocess.Popen(
        [sys.executable, __file__, "--http-load", json.dumps([hosts, plan, args.seconds])],
        cwd=ROOT,
        stdout=subprocess.PIPE,
    )
    ratings: list[tuple[float, int, int]] = []  # (sent, screen, count it must reach)
    changes: list[tuple[float, int]] = []
    rated: dict[int, set[int]] = {s: set() for s in screens}
    current, next_change = None, 0.0
    start = time.perf_counter()
    sent = 0
    while (elapsed := time.perf_counter() - start) < args.seconds:
        if elapsed >= next_change:
            current = (
                screens[(screens.index(current) + 1) % len(screens)] if current else screens[0]
            )
            changes.append((time.perf_counter(), current))
            await facilitator.ws.send(json.dumps({"type": "show_screen", "screen": current}))
            next_change += args.screen_every
        assert current is not None
        fresh = [i for i in range(n) if i not in rated[current]]
        if fresh:
            i = rng.choice(fresh)
            rated[current].add(i)
            scores = {d: rng.randint(1, 5) for d in data["dimensions"]}
            frame = {"type": "rate", "screen": current, "scores": scores, "client_id": _uuid()}
            ratings.append((time.perf_counter(), current, len(rated[current])))
            await people[i].ws.send(json.dumps(frame))
        sent += 1
        await asyncio.sleep(max(0.0, sent / args.rate - (time.perf_counter() - start)))
    out, _ = await asyncio.to_thread(child.communicate)
    http = json.loads(out)
    await asyncio.sleep(3.0)  # the last deliveries land; presence flushes settle

    open_now = sum(not p.closed for p in people)
    presence_end = facilitator.presence
    for p in people:
        await p.ws.close()
    await asyncio.sleep(2.0)
    presence_after = facilitator.presence
    await facilitator.ws.close()
    for task in pumps:
        task.cancel()
    return {
        "n": n,
        "ratings": deliveries(people, ratings, lambda p, r: p.got_rating(r[1], r[2], r[0])),
        "changes": deliveries(people, changes, lambda p, c: p.got_screen(c[1], c[0])),
        "http": http,
        "presence": {"open": open_now, "shown": presence_end, "after_all_left": presence_after},
    }


def deliveries(people: list[Participant], events: list[Any], got: Any) -> dict[str, Any]:
    """Per event: seconds until the last participant held it; how many never did."""
    latencies, missing, late, worst = [], 0, 0, []
    start = events[0][0] if events else 0.0
    for event in events:
        times = [got(p, event) for p in people]
        never = sum(t is None for t in times)
        missing += never
        arrived = [t - event[0] for t in times if t is not None]
        late += sum(t > 1.0 for t in arrived)
        if not never:
            latencies.append(max(arrived))
            worst.append((max(arrived), event[0] - start))
    return {
        "events": len(events),
        "complete": len(latencies),
        "missing": missing,
        "over_1s": late,
        "p50": pct(latencies, 0.5) if latencies else None,
        "p95": pct(latencies, 0.95) if latencies else None,
        "max": max(latencies) if latencies else None,
        # when the slowest ones were sent (seconds into the run): a burst, or all along
        "slowest_sent_at": sorted(round(t, 1) for _, t in sorted(worst)[-5:]),
    }


def _uuid() -> str:
    return str(uuid.uuid4())


# --- set-up and the books afterwards --------------------------------------------------------


def prepare(data: dict[str, Any], sizes: list[int]) -> dict[str, Any]:
    """Observers, a product owner, a unit, a workflow, a backlog to page; one session per N."""
    from django.contrib.auth.models import Group
    from rest_framework.authtoken.models import Token

    from feedback.context import Actor
    from feedback.models import BacklogItem, CodesignSession, Tool, Unit, User, Workflow
    from feedback.services.sessions import session_create

    observers = [User.objects.create_user(f"load-observer{k}") for k in range(OBSERVERS)]
    Group.objects.get(name="observer").user_set.add(*observers)
    po = User.objects.create_user("load-po")
    po.groups.add(Group.objects.get(name="product_owner"))
    unit = Unit.objects.create(name="4 West Load", site="Synthetic Campus")
    workflow = Workflow.objects.create(name="load medication reconciliation")
    rng = random.Random(3)
    BacklogItem.objects.bulk_create(
        BacklogItem(
            title=f"Synthetic item {i}: scanner times out during med rec",
            description="Synthetic description.",
            status=rng.choice(["new", "new", "triaged", "planned"]),
            priority=rng.randint(0, 800) / 8,
            workflow=workflow,
            created_by=po,
        )
        for i in range(BACKLOG_ITEMS)
    )
    first = CodesignSession.objects.get(pk=data["session"])
    sessions = {}
    for n in sizes:
        session = session_create(
            actor=Actor(user=first.facilitator),
            title=f"Load session {n}",
            tool=Tool.objects.get(pk=data["tool"]),
            screen_ids=data["screens"],
        )
        sessions[n] = session.code
    return {
        "observers": [Token.objects.create(user=u).key for u in observers],
        "po": Token.objects.create(user=po).key,
        "unit": unit.pk,
        "workflow": workflow.pk,
        "sessions": sessions,
    }


def books(acked: list[str], sent: list[str]) -> dict[str, int]:
    """Rows per client_id in the database, for what the observers sent."""
    from django.db.models import Count

    from feedback.models import Observation

    rows: dict[str, int] = {}
    for start in range(0, len(sent), 5000):
        chunk = sent[start : start + 5000]
        for cid, k in (
            Observation.objects.filter(client_id__in=chunk)
            .values_list("client_id")
            .annotate(k=Count("id"))
        ):
            rows[str(cid)] = k
    return {
        "sent": len(sent),
        "acked": len(acked),
        "stored": len(rows),
        "lost": sum(1 for cid in acked if cid not in rows),
        "duplicated": sum(1 for k in rows.values() if k > 1),
    }


# --- the report -----------------------------------------------------------------------------


def fmt(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds * 1e3:.0f}"


def report(args: argparse.Namespace, results: list[dict[str, Any]], load: list[Any]) -> str:
    lines = [
        "# Live sessions under load (two Daphne processes + Redis + PostgreSQL)",
        "",
        f"- {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, nproc {os.cpu_count()}, "
        f"load average {' / '.join(f'{x:.2f}' for x in load[0])} at the start, "
        f"{' / '.join(f'{x:.2f}' for x in load[1])} at the end (shared machine; the load "
        "generator runs on it too)",
        "- Command: `flock /work/bench.lock .venv/bin/python bench/bench_live_load.py "
        f"--participants {' '.join(map(str, args.participants))} --rate {args.rate:g} "
        f"--seconds {args.seconds:g} --screen-every {args.screen_every:g} --write-report`",
        f"- per run, for {args.seconds:g} s: ratings at {args.rate:g}/s (each from a "
        f"participant new to that screen), the facilitator shows the next of {SCREENS} screens "
        f"every {args.screen_every:g} s, {OBSERVERS} observers sync {BATCH}-item batches back "
        "to back, a product owner pages GET /api/backlog/ following `next`; participants "
        "alternate between the two processes, the facilitator and the raters' frames go where "
        "their socket is",
        "",
        "| N | HTTP 5xx | observations acked / stored / lost / duplicated | rating -> all "
        "sockets p50 / p95 / max ms | rating deliveries never arrived | screen change -> all "
        "sockets p50 / p95 / max ms | (participant, change) pairs later than 1 s or never | "
        "presence shown / sockets open; after all left |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        st = r["http"]["statuses"]
        fives = sum(v for s in st.values() for k, v in s.items() if k.startswith("5") or k == "0")
        b, rt, ch, pr = r["books"], r["ratings"], r["changes"], r["presence"]
        lines.append(
            f"| {r['n']} | {fives} | {b['acked']} / {b['stored']} / {b['lost']} / "
            f"{b['duplicated']} | {fmt(rt['p50'])} / {fmt(rt['p95'])} / {fmt(rt['max'])} | "
            f"{rt['missing']} of {rt['events'] * r['n']} | {fmt(ch['p50'])} / {fmt(ch['p95'])} "
            f"/ {fmt(ch['max'])} | {ch['over_1s'] + ch['missing']} of {ch['events'] * r['n']} | "
            f"{pr['shown']} / {pr['open']}; {pr['after_all_left']} |"
        )
    lines.append("")
    for r in results:
        st = r["http"]["statuses"]
        lines.append(
            f"- N = {r['n']}: {r['ratings']['events']} ratings, {r['changes']['events']} screen "
            f"changes; sync answers {st['sync']}, backlog answers {st['backlog']} "
            f"({r['http']['pages']} pages; status 0 = no answer); the 5 slowest ratings were "
            f"sent {r['ratings']['slowest_sent_at']} s into the run"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--participants", type=int, nargs="+", default=[300, 500])
    parser.add_argument("--rate", type=float, default=10.0, help="ratings a second")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--screen-every", type=float, default=3.0)
    parser.add_argument("--quick", action="store_true", help="100 participants, 15 s")
    parser.add_argument("--write-report", action="store_true")
    parser.add_argument("--http-load", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.http_load:  # the child: observers and the product owner
        hosts, plan, seconds = json.loads(args.http_load)
        print(json.dumps(http_load(hosts, plan, seconds)))
        return
    if args.quick:
        args.participants, args.seconds = [100], 15.0
    sizes = sorted(args.participants)
    load_start = os.getloadavg()
    tmp = Path(tempfile.mkdtemp(prefix="rounds-live-load-"))
    env = environment(tmp, redis=True)
    create_postgres(PG_NAME)
    procs = []
    try:
        data = seed(env, sizes[-1], screens=SCREENS)
        plan = prepare(data, sizes)
        procs = [start_daphne(env, tmp, f"daphne{i}") for i in range(2)]
        hosts = [h for _, h in procs]
        results = []
        for n in sizes:
            result = asyncio.run(run_session(hosts, data, plan, n, args))
            result["books"] = books(result["http"].pop("acked"), result["http"].pop("sent"))
            results.append(result)
            print(json.dumps({k: v for k, v in result.items() if k != "http"}), flush=True)
        text = report(args, results, [load_start, os.getloadavg()])
        if args.write_report:
            (ROOT / "bench" / "reports" / "live-load.md").write_text(text)
        print(text)
        for _, name in enumerate(["daphne0", "daphne1"]):
            log = (tmp / f"{name}.log").read_text(errors="replace")
            errors = [line for line in log.splitlines() if "Traceback" in line or "ERROR" in line]
            if errors:
                print(f"{name}.log: {len(errors)} error lines, first: {errors[0]}")
    finally:
        for proc, _ in procs:
            proc.terminate()
            proc.wait(timeout=10)
        drop_postgres(PG_NAME)


if __name__ == "__main__":
    main()
