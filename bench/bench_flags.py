"""Benchmark AI output feedback: the widget's size, one flag POST against an authenticated no-op,
and a sustained load of 500 flags a second from 50 clients for 30 seconds.

Runs real Daphne processes (the `make run` launcher and settings; one by default, as `make run`
serves) on a scratch database (SQLite, or --db postgres) on 127.0.0.1 only, with bounded request
counts and time. Every figure is a ratio against a floor measured in the same run. Prints the
report; with --write-report also writes bench/reports/flags.md (or flags-postgres.md), which
is tracked. Exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import gzip
import json
import os
import platform
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scratch import configure, drop_postgres  # noqa: E402

REPORTS = ROOT / "bench" / "reports"
PG_NAME = f"bench_flags_{os.getpid()}"
WIDGET_LIMIT = 15 * 1024
TARGETS = {"widget_gzip_vs_limit": 1.0, "flag_p95_vs_noop_p95": 2.0, "load_errors": 0}
GRACE = 5.0  # seconds past the load window that late sends may still go out
ORIGIN = "http://127.0.0.1:9"  # the host page's origin the key allows (nothing listens there)


def setup_world() -> dict[str, Any]:
    """A tool, a key for a host origin, a clinician's reporter token, an observer's API token."""
    from django.contrib.auth.models import Group
    from rest_framework.authtoken.models import Token

    from api.reporter import reporter_token
    from feedback.context import Actor
    from feedback.models import Tool, User
    from feedback.services.output_feedback import tool_key_issue

    def user(name: str, role: str) -> Any:
        u = User.objects.create_user(name, password="synthetic-bench-1")
        u.groups.add(Group.objects.get_or_create(name=role)[0])
        return u

    clinician, observer = user("bench-clinician", "clinician"), user("bench-observer", "observer")
    tool = Tool.objects.create(name="Bench discharge drafter")
    _, key = tool_key_issue(actor=Actor(user=None), tool=tool, origins=[ORIGIN])
    return {
        "tool": tool.pk,
        "key": key,
        "reporter": reporter_token(user_id=clinician.pk, tool_id=tool.pk)[0],
        "token": Token.objects.create(user=observer).key,
    }


def start_servers(count: int) -> tuple[list[subprocess.Popen[bytes]], int]:
    """`count` Daphne processes (the `make run` launcher) accepting on one listening socket on
    127.0.0.1, as a multi-process deployment does behind its proxy; the kernel spreads the
    connections. Returns once every process answers."""
    import http.client
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1024)
    port = listener.getsockname()[1]
    # `make run`'s settings (DEBUG off, SQLite unless DATABASE_URL says otherwise).
    env = dict(
        os.environ,
        ALLOWED_HOSTS="127.0.0.1",
        PYTHONUNBUFFERED="1",
        DJANGO_SETTINGS_MODULE="backend.settings.dev",
    )
    logs = Path(os.environ["MEDIA_ROOT"])
    procs = []
    for n in range(count):
        command = [sys.executable, "-m", "backend.server", "--fd", str(listener.fileno())]
        with (logs / f"daphne-{n}.log").open("wb") as out:
            procs.append(subprocess.Popen(
                [*command, "backend.asgi:application"], cwd=ROOT, env=env, stdout=out,
                stderr=subprocess.STDOUT, pass_fds=(listener.fileno(),),
            ))  # fmt: skip
    listener.close()
    deadline = time.monotonic() + 60
    while True:  # every process has loaded Django (and the PHI recognizers) once all answer
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/widget.js")
            if conn.getresponse().status == 200:
                break
        except OSError:
            pass
        if time.monotonic() > deadline or any(p.poll() is not None for p in procs):
            raise RuntimeError("Daphne did not start; see " + str(logs))
        time.sleep(0.2)
    time.sleep(3.0 * count)  # the others finish starting too
    return procs, port


class Conn:
    """One keep-alive HTTP/1.1 connection speaking just enough HTTP for this benchmark."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(
        self, method: str, path: str, headers: dict[str, str], body: bytes = b""
    ) -> int:
        return (await self.exchange(method, path, headers, body))[0]

    async def exchange(
        self, method: str, path: str, headers: dict[str, str], body: bytes = b""
    ) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        head = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", f"Content-Length: {len(body)}"]
        head += [f"{k}: {v}" for k, v in headers.items()]
        self.writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
        await self.writer.drain()
        assert self.reader is not None
        # The whole head in one read: the load generator shares the CPUs with the server.
        head_lines = (await self.reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        status = int(head_lines[0].split()[1])
        length, close = 0, False
        for line in head_lines[1:]:
            name, _, value = line.partition(":")
            if name.lower() == "content-length":
                length = int(value)
            if name.lower() == "connection" and "close" in value.lower():
                close = True
        answer = await self.reader.readexactly(length)
        if close:
            self.writer.close()
            self.writer = None
        return status, answer


def flag_body(world: dict[str, Any], i: int) -> bytes:
    return json.dumps({
        "client_id": str(uuid.uuid4()),
        "output_ref": f"note/{i}",
        "model_version": f"scribe-{i % 3}",
        "verdict": "not_helpful" if i % 2 else "helpful",
        "categories": ["omission"] if i % 2 else [],
        "harm": "mild" if i % 4 == 1 else None,
        "comment": "Left out the follow-up plan." if i % 5 == 0 else "",
        "reporter": world["reporter"],
    }).encode()  # fmt: skip


def flag_headers(world: dict[str, Any]) -> dict[str, str]:
    return {"Content-Type": "application/json", "X-Rounds-Tool-Key": world["key"], "Origin": ORIGIN}


async def latencies(port: int, world: dict[str, Any], n: int) -> dict[str, list[float]]:
    """Sequential requests on one keep-alive connection each, interleaved flag / no-op."""
    flag_conn, noop_conn = Conn(port), Conn(port)
    path = f"/api/tools/{world['tool']}/output-feedback/"
    noop = {"Authorization": f"Token {world['token']}"}
    out: dict[str, list[float]] = {"flag": [], "noop": []}
    for i in range(n):
        start = time.perf_counter()
        assert await noop_conn.request("GET", "/api/me/", noop) == 200
        out["noop"].append(time.perf_counter() - start)
        start = time.perf_counter()
        status = await flag_conn.request("POST", path, flag_headers(world), flag_body(world, i))
        assert status == 201, status
        out["flag"].append(time.perf_counter() - start)
    return out


async def load(
    port: int, world: dict[str, Any], rate: int, clients: int, seconds: float
) -> dict[str, Any]:
    """`clients` connections together sending `rate` flags a second (each paced to its share)."""
    path = f"/api/tools/{world['tool']}/output-feedback/"
    headers = flag_headers(world)
    interval = clients / rate
    statuses: dict[int, int] = {}
    accepted: list[int] = []
    lat: list[float] = []
    behind = [0]
    started = time.perf_counter()

    async def client(c: int) -> None:
        conn = Conn(port)
        next_at = started + interval * c / clients
        i = c
        while next_at < started + seconds:
            if time.perf_counter() > started + seconds + GRACE:
                behind[0] += 1  # bounded in time: a flag not even sent by then is a miss
                next_at += interval
                continue
            await asyncio.sleep(max(0.0, next_at - time.perf_counter()))
            t0 = time.perf_counter()
            try:
                status, answer = await conn.exchange("POST", path, headers, flag_body(world, i))
            except (
                OSError,
                asyncio.IncompleteReadError,
                asyncio.LimitOverrunError,
                ValueError,
                IndexError,
            ):
                status, answer, conn = -1, b"", Conn(port)
            if status == 201:
                accepted.append(json.loads(answer)["id"])
            lat.append(time.perf_counter() - t0)
            statuses[status] = statuses.get(status, 0) + 1
            i += clients
            next_at += interval

    await asyncio.wait_for(asyncio.gather(*(client(c) for c in range(clients))), seconds + 60)
    elapsed = time.perf_counter() - started
    sent = sum(statuses.values())
    return {
        "sent": sent,
        "elapsed": elapsed,
        "rate": sent / elapsed,
        "errors": sum(n for s, n in statuses.items() if s != 201),
        "not_sent": behind[0],
        "statuses": statuses,
        "accepted": accepted,
        "p50_ms": statistics.median(lat) * 1000,
        "p95_ms": statistics.quantiles(lat, n=20)[18] * 1000,
    }


async def capacity(
    port: int, world: dict[str, Any], kind: str, clients: int, seconds: float
) -> float:
    """Requests a second `clients` closed-loop connections get through (as fast as answered)."""
    path = f"/api/tools/{world['tool']}/output-feedback/"
    noop = {"Authorization": f"Token {world['token']}"}
    done = 0
    stop = time.perf_counter() + seconds

    async def client(c: int) -> None:
        nonlocal done
        conn, i = Conn(port), 10_000_000 * (c + 1)
        while time.perf_counter() < stop:
            if kind == "noop":
                ok = await conn.request("GET", "/api/me/", noop) == 200
            else:
                ok = (
                    await conn.request("POST", path, flag_headers(world), flag_body(world, i))
                    == 201
                )
            assert ok, kind
            done += 1
            i += 1

    started = time.perf_counter()
    await asyncio.gather(*(client(c) for c in range(clients)))
    return done / (time.perf_counter() - started)


async def visible(port: int, world: dict[str, Any]) -> tuple[set[int], int]:
    """What the dashboard reader sees afterwards: every flag id the API lists for the tool (all
    pages), and the total of the dashboard's per-version counts."""
    conn = Conn(port)
    auth = {"Authorization": f"Token {world['token']}"}
    path: str | None = f"/api/tools/{world['tool']}/output-feedback/?page_size=200"
    ids: set[int] = set()
    while path:
        status, answer = await conn.exchange("GET", path, auth)
        assert status == 200, (status, answer[:200])
        page = json.loads(answer)
        ids.update(f["id"] for f in page["results"])
        parts = urlsplit(page["next"] or "")
        path = f"{parts.path}?{parts.query}" if page["next"] else None
    stats = f"/api/stats/output-feedback/?tool={world['tool']}"
    status, answer = await conn.exchange("GET", stats, auth)
    assert status == 200, (status, answer[:200])
    counted = sum(v["count"] for v in json.loads(answer)["versions"])
    return ids, counted


def widget_sizes(port: int) -> dict[str, int]:
    import http.client

    raw = (ROOT / "pwa" / "widget" / "widget.js").read_bytes()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", "/widget.js", headers={"Accept-Encoding": "gzip"})
    response = conn.getresponse()
    served = response.read()
    assert response.status == 200 and response.getheader("Content-Encoding") == "gzip"
    return {"raw": len(raw), "gzip9": len(gzip.compress(raw, 9)), "served_gzip": len(served)}


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--quick", action="store_true", help="shorter runs (a smoke test)")
    parser.add_argument("--rate", type=int, default=500)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument(
        "--servers", type=int, default=1, help="Daphne processes on one socket (make run: 1)"
    )
    parser.add_argument(
        "--capacity-clients",
        type=int,
        default=0,
        help="clients of the closed-loop context figure (default --clients); on a shared"
        " PostgreSQL keep it low: each no-op in flight holds a database connection",
    )
    parser.add_argument(
        "--write-report", action="store_true", help="also write the tracked bench/reports file"
    )
    args = parser.parse_args()
    seconds = 5.0 if args.quick else args.seconds
    singles = 100 if args.quick else 400
    configure(args.db, PG_NAME)
    procs: list[subprocess.Popen[bytes]] = []
    try:
        world = setup_world()
        procs, port = start_servers(args.servers)
        sizes = widget_sizes(port)
        asyncio.run(latencies(port, world, 30))  # warm-up
        lat = asyncio.run(latencies(port, world, singles))
        burst = asyncio.run(load(port, world, args.rate, args.clients, seconds))
        from feedback.models import OutputFeedback

        stored = OutputFeedback.objects.count()  # every flag answered 201 is in the database
        listed, counted = asyncio.run(visible(port, world))
        burst["missing"] = len(set(burst["accepted"]) - listed)
        burst["dashboard_count"] = counted
        cap = {
            k: asyncio.run(capacity(port, world, k, args.capacity_clients or args.clients, 5.0))
            for k in ("noop", "flag")
        }
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
        if args.db == "postgres":
            drop_postgres(PG_NAME)
    got = {
        "widget_gzip_vs_limit": sizes["served_gzip"] / WIDGET_LIMIT,
        "flag_p95_vs_noop_p95": p95(lat["flag"]) / p95(lat["noop"]),
        "load_errors": burst["errors"],
        "load_missing": burst["missing"],
        "load_rate_vs_target": burst["rate"] / args.rate,
        "flag_capacity_vs_noop_capacity": cap["flag"] / cap["noop"],
    }
    ok = (
        got["widget_gzip_vs_limit"] <= 1.0
        and got["flag_p95_vs_noop_p95"] <= 2.0
        and burst["errors"] == 0
        and burst["not_sent"] == 0
        and burst["missing"] == 0
        and burst["dashboard_count"] == stored
        and got["load_rate_vs_target"] >= 0.97
        and stored == 30 + singles + burst["sent"] - burst["errors"]
    )
    text = report(args, sizes, lat, burst, got, seconds, singles, stored, ok, cap)
    print(text)
    if args.write_report:
        name = "flags.md" if args.db == "sqlite" else "flags-postgres.md"
        (REPORTS / name).write_text(text)
    sys.exit(0 if ok else 1)


def check_row(name: str, value: float, target: str, ok: bool) -> str:
    return f"| {name} | {value:.2f} | {target} | {'yes' if ok else 'NO'} |"


def report(
    args: Any,
    sizes: dict[str, int],
    lat: dict[str, list[float]],
    burst: dict[str, Any],
    got: dict[str, Any],
    seconds: float,
    singles: int,
    stored: int,
    ok: bool,
    cap: dict[str, float],
) -> str:
    flag = "" if args.db == "sqlite" else " --db postgres"
    flag += "" if args.servers == 1 else f" --servers {args.servers}"
    flag += f" --capacity-clients {args.capacity_clients}" if args.capacity_clients else ""
    flag += " --quick" if args.quick else ""
    env = f"REDIS_URL={os.environ['REDIS_URL']} " if os.environ.get("REDIS_URL") else ""
    ms = {k: (statistics.median(v) * 1000, p95(v) * 1000) for k, v in lat.items()}
    now = datetime.datetime.now(datetime.UTC)
    sized = f"{sizes['raw']} / {sizes['gzip9']} / {sizes['served_gzip']}"
    lines = [
        f"# AI output feedback benchmark ({args.db})",
        "",
        f"- {now:%Y-%m-%d %H:%M UTC}, Python {platform.python_version()}, {os.cpu_count()} CPUs"
        f" shared with other work (figures are noisy), {args.servers} Daphne processes on one"
        " listening socket on 127.0.0.1 (the load generator runs on the same CPUs)",
        f"- command: `{env}.venv/bin/python bench/bench_flags.py{flag}`",
        "- widget: `/widget.js` as served with `Accept-Encoding: gzip`; limit 15 KB compressed",
        f"- latency: {singles} interleaved sequential requests on keep-alive connections. Floor:"
        " `GET /api/me/` with `Authorization: Token` (authentication and a small JSON answer, no"
        " write). Flag: `POST /api/tools/{id}/output-feedback/` with the tool key, an allowed"
        " `Origin` and a reporter token (key and token checks, validation, PHI guard on a fifth"
        " of the comments, one insert, the live broadcast, the burst check)",
        f"- load: {args.clients} keep-alive clients paced to {args.rate} flags/s in total for"
        f" {seconds:.0f} s; afterwards every id answered 201 is looked up in the API's list",
        "",
        "| measure | value |",
        "|---|---|",
        f"| widget raw / gzip -9 / served gzip (bytes) | {sized} |",
        f"| no-op median / p95 ms | {ms['noop'][0]:.2f} / {ms['noop'][1]:.2f} |",
        f"| flag median / p95 ms | {ms['flag'][0]:.2f} / {ms['flag'][1]:.2f} |",
        f"| load: sent, seconds, achieved rate | {burst['sent']}, {burst['elapsed']:.1f},"
        f" {burst['rate']:.0f}/s |",
        f"| load: statuses | {burst['statuses']}; not sent within the window + {GRACE:.0f} s:"
        f" {burst['not_sent']} |",
        f"| load: latency median / p95 ms | {burst['p50_ms']:.1f} / {burst['p95_ms']:.1f} |",
        f"| flags stored (latency and load phases) | {stored} |",
        f"| load: flags answered 201 but not listed by the API afterwards | {burst['missing']} |",
        f"| dashboard (stats) count of the tool's flags / stored | {burst['dashboard_count']} /"
        f" {stored} |",
        f"| capacity, {args.capacity_clients or args.clients} closed-loop clients, 5 s: no-op /"
        " flag requests per s |"
        f" {cap['noop']:.0f} / {cap['flag']:.0f} |",
        "",
        "| ratio | measured | target | ok |",
        "|---|---|---|---|",
        check_row("widget_gzip_vs_limit", got["widget_gzip_vs_limit"], "<= 1.0",
                  got["widget_gzip_vs_limit"] <= 1),
        check_row("flag_p95_vs_noop_p95", got["flag_p95_vs_noop_p95"], "<= 2.0",
                  got["flag_p95_vs_noop_p95"] <= 2),
        check_row("load_rate_vs_target", got["load_rate_vs_target"], ">= 0.97",
                  got["load_rate_vs_target"] >= 0.97),
        check_row("load_errors", got["load_errors"], "0", got["load_errors"] == 0),
        check_row("load_missing", got["load_missing"], "0", got["load_missing"] == 0),
        check_row("flag_capacity_vs_noop_capacity", got["flag_capacity_vs_noop_capacity"],
                  "(context)", True),
        "",
        f"All targets met: {'yes' if ok else 'NO'}",
    ]  # fmt: skip
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
