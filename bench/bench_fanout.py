"""Fan-out benchmark: a rating -> every participant holds the aggregate that counts it, for Rounds
and, in the same run on the same Daphne, for the floor and the textbook Channels broadcast
(bench/refapp.py; docs/sessions.md says what they are).

Real Daphne process(es) started like `make run`, real `websockets` clients, synthetic users only.
With --write-report writes bench/reports/fanout.md (or fanout-redis-<layer>.md with --redis: two
Daphne processes, Redis, PostgreSQL).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scratch import PG_SERVER, create_postgres, drop_postgres  # noqa: E402

from tests.live import launch  # noqa: E402

PG_NAME = f"rounds_bench_{os.getpid()}"
REDIS_SERVER = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379")


def free_redis_db() -> str:
    """A Redis database number nobody's keys are in (tests use 0): the bench's own keys go there.
    (Pub/sub channels are server-wide: the per-run ROUNDS_CHANNEL_PREFIX keeps those apart.)"""
    import redis

    for db in range(15, 0, -1):
        if redis.Redis.from_url(f"{REDIS_SERVER}/{db}").dbsize() == 0:
            return f"{REDIS_SERVER}/{db}"
    raise RuntimeError("no empty Redis database among 1-15")


def environment(tmp: Path, redis: bool, layer: str = "pubsub") -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        # The embedded default as `make run` serves it (DEBUG off); production settings with Redis.
        DJANGO_SETTINGS_MODULE="backend.settings.production" if redis else "backend.settings.dev",
        SECRET_KEY=secrets.token_urlsafe(50),
        SECURE_SSL_REDIRECT="0",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        MEDIA_ROOT=str(tmp / "media"),
        ROUNDS_CHANNEL_PREFIX=f"bench-{os.getpid()}",
    )
    env.pop("REDIS_URL", None)
    env.pop("ROUNDS_DEBUG", None)
    if redis:
        env["DATABASE_URL"] = f"{PG_SERVER}/{PG_NAME}"
        env["REDIS_URL"] = free_redis_db()
        env["REDIS_CHANNEL_LAYER"] = layer
    else:
        env["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    return env


def seed(env: dict[str, str], participants: int, screens: int = 1) -> dict[str, Any]:
    """Migrate, then create synthetic users, a tool, `screens` screens and an open session."""
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    os.environ.update(env)
    import django

    django.setup()
    from django.contrib.auth.models import Group
    from django.core.files.base import ContentFile
    from rest_framework.authtoken.models import Token

    from feedback import images
    from feedback.context import Actor
    from feedback.models import Screen, Tool, User
    from feedback.services.sessions import session_create
    from feedback.services.users import ensure_role_groups
    from tests import imagedata

    users = User.objects.bulk_create(
        [
            User(username=f"bench{i}", display_name=f"Bench Clinician {i}")
            for i in range(participants + 1)
        ]
    )
    users = list(User.objects.filter(username__startswith="bench").order_by("id"))
    ensure_role_groups()
    users[0].groups.add(Group.objects.get(name="product_owner"))
    Group.objects.get(name="clinician").user_set.add(*users[1:])
    Token.objects.bulk_create([Token(user=u, key=secrets.token_hex(20)) for u in users])
    keys = dict(Token.objects.filter(user__in=users).values_list("user_id", "key"))
    tool = Tool.objects.create(name="Bench Tool", description="synthetic")
    shot = images.process(imagedata.screen_png(800, 600))
    shown = []
    for k in range(screens):
        screen = Screen(
            tool=tool, title=f"Bench screen {k}", version="1", width=shot.width, height=shot.height
        )
        screen.image.save(f"bench{k}.jpg", ContentFile(shot.full.data), save=False)
        screen.web.save(f"bench{k}-web.jpg", ContentFile(shot.web.data), save=False)
        screen.thumb.save(f"bench{k}-thumb.jpg", ContentFile(shot.thumb.data), save=False)
        screen.save()
        shown.append(screen.pk)
    facilitator = users[0]
    # Through the service, as the API does: the facilitator's participant and the screen's
    # aggregate row come with it.
    session = session_create(
        actor=Actor(user=facilitator), title="Bench session", tool=tool, screen_ids=shown
    )
    return {
        "code": session.code,
        "session": session.pk,
        "tool": tool.pk,
        "screen": shown[0],
        "screens": shown,
        "facilitator": keys[facilitator.pk],
        "participants": [keys[u.pk] for u in users[1:]],
        "dimensions": list(session.dimensions),
    }


def start_daphne(env: dict[str, str], tmp: Path, name: str) -> tuple[subprocess.Popen[bytes], str]:
    """Daphne through the launcher `make run` uses, serving Rounds plus the reference routes."""
    proc, port = launch(env, tmp / f"{name}.log", app="bench.refapp:application")
    return proc, f"127.0.0.1:{port}"


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


@dataclass
class Client:
    """One participant socket that timestamps the frames it is waiting for."""

    ws: Any
    host: int = 0  # which Daphne process (index into the bench's hosts) the socket is on
    aggregates: list[tuple[float, dict[str, Any]]] = field(default_factory=list)
    visible: list[tuple[float, bool]] = field(default_factory=list)
    last_aggregate: dict[str, Any] | None = None
    event: asyncio.Event = field(default_factory=asyncio.Event)

    async def pump(self) -> None:
        async for raw in self.ws:
            now = time.perf_counter()
            frame = json.loads(raw)
            kind = frame.get("type")
            if kind == "aggregate":
                self.aggregates.append((now, frame))
                self.last_aggregate = frame
            elif kind == "results_visible":
                self.visible.append((now, frame["visible"]))
            else:
                continue
            self.event.set()


async def connect(host: str, code: str, key: str) -> Any:
    import websockets

    ws = await websockets.connect(
        f"ws://{host}/ws/sessions/{code}/?token={key}",
        origin=f"http://{host}",
        max_queue=None,
        open_timeout=30,
    )
    first = json.loads(await asyncio.wait_for(ws.recv(), 30))
    if first.get("type") != "state":
        raise RuntimeError(f"expected a state frame first, got {first}")
    return ws


async def connect_all(hosts: list[str], code: str, keys: list[str]) -> list[Client]:
    clients: list[Client] = []
    for start in range(0, len(keys), 50):  # in batches: don't SYN-flood one event loop
        batch = keys[start : start + 50]
        sockets = await asyncio.gather(
            *(connect(hosts[(start + i) % len(hosts)], code, k) for i, k in enumerate(batch))
        )
        clients += [Client(ws, (start + i) % len(hosts)) for i, ws in enumerate(sockets)]
    return clients


async def wait_all(clients: list[Client], predicate: Any, timeout: float = 10.0) -> float:
    """Wait until predicate(client) holds for every client; the latest satisfying arrival time."""
    deadline = time.perf_counter() + timeout
    latest = 0.0
    for c in clients:
        while (t := predicate(c)) is None:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise TimeoutError("a participant never received the frame")
            c.event.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(c.event.wait(), remaining)
        latest = max(latest, t)
    return latest


def first_visible(value: bool, after: float) -> Any:
    return lambda c: next((t for t, v in c.visible if v is value and t >= after), None)


def first_aggregate(count: int, after: float) -> Any:
    return lambda c: next(
        (t for t, f in c.aggregates if t >= after and f.get("count", 0) >= count), None
    )


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


TARGETS = ("rounds", "textbook", "floor")
# (row label, seconds between ratings, ratings a target gets in a row before the next target)
MODES = (("ratings 150 ms apart", 0.15, 1), ("back to back", 0.0, 5))


async def connect_ref(host: str, kind: str, room: str) -> Any:
    import websockets

    return await websockets.connect(
        f"ws://{host}/ws/bench/{kind}/{room}/", max_queue=None, open_timeout=30
    )


async def connect_refs(hosts: list[str], kind: str, room: str, n: int) -> list[Client]:
    """N sockets split across the processes the way Rounds' participants are (alternating)."""
    clients: list[Client] = []
    for start in range(0, n, 50):
        batch = await asyncio.gather(
            *(
                connect_ref(hosts[(start + i) % len(hosts)], kind, room)
                for i in range(min(50, n - start))
            )
        )
        clients += [Client(ws, (start + i) % len(hosts)) for i, ws in enumerate(batch)]
    return clients


class Targets:
    """The three servers under test, each with its own N sockets, and how to rate on each.
    Every rating is sent to the first process (a socket there): with two processes, the other
    half of the sockets is reached through Redis."""

    def __init__(self, data: dict[str, Any], groups: dict[str, list[Client]]) -> None:
        self.data, self.groups = data, groups
        self.counts = dict.fromkeys(TARGETS, 0)
        self.raters = 0  # Rounds counts participants who rated: each rating from a new one
        self.senders = {t: [c for c in clients if c.host == 0] for t, clients in groups.items()}

    async def rate(self, target: str) -> float:
        """Send one rating to `target`; seconds until all its sockets hold a frame counting it."""
        clients = self.groups[target]
        dims = self.data["dimensions"]
        i = self.counts[target]
        scores = {d: (i + j) % 5 + 1 for j, d in enumerate(dims)}
        if target == "rounds":
            rater = self.senders[target][self.raters]
            self.raters += 1
            frame = {"type": "rate", "screen": self.data["screen"], "scores": scores}
            frame["client_id"] = _uuid()
            expected = self.raters  # the screen's count: everyone who has rated it so far
        else:
            senders = self.senders[target]
            rater = senders[i % len(senders)]
            frame = {"type": "rate", "scores": scores}
            expected = i + 1
        self.counts[target] = i + 1
        sent = time.perf_counter()
        await rater.ws.send(json.dumps(frame))
        try:
            return await wait_all(clients, first_aggregate(expected, sent)) - sent
        except TimeoutError as exc:
            raise TimeoutError(f"{target}: no frame with count {expected} on every socket") from exc


async def measure(
    hosts: list[str],
    data: dict[str, Any],
    n: int,
    samples: int,
    sustain: float,
    rated_before: int,
) -> dict[str, Any]:
    """One group of N sockets per target; each row interleaves the targets round by round
    (rotating who goes first) so the machine's load falls on all three alike."""
    room = f"{os.getpid()}-{n}"
    facilitator = await connect(hosts[0], data["code"], data["facilitator"])
    tasks = [asyncio.create_task(_drain(facilitator))]
    keys = data["participants"][:n]
    groups = {
        "rounds": await connect_all(hosts, data["code"], keys),
        "textbook": await connect_refs(hosts, "textbook", room, n),
        "floor": await connect_refs(hosts, "floor", room, n),
    }
    for clients in groups.values():
        tasks += [asyncio.create_task(c.pump()) for c in clients]
    await facilitator.send(json.dumps({"type": "show_screen", "screen": data["screen"]}))
    await facilitator.send(json.dumps({"type": "reveal_results", "visible": True}))
    await wait_all(groups["rounds"], first_visible(True, 0.0), timeout=30)
    await asyncio.sleep(1.0)  # presence frames of the joins settle
    targets = Targets(data, groups)
    targets.raters = rated_before  # an earlier group's raters stay counted on the screen
    rows: dict[str, dict[str, list[float]]] = {}
    for label, gap, block in MODES:
        latency: dict[str, list[float]] = {t: [] for t in TARGETS}
        for r in range(samples // block):
            order = TARGETS[r % 3 :] + TARGETS[: r % 3]
            for target in order:
                for _ in range(block):
                    latency[target].append(await targets.rate(target))
                    if gap:
                        await asyncio.sleep(gap)
                if not gap:  # a target's block of back-to-back ratings ends before the next
                    await asyncio.sleep(0.15)
        rows[label] = latency
    misses = await sustained(groups["rounds"], data, sustain) if sustain else None
    for clients in groups.values():
        for c in clients:
            await c.ws.close()
    await facilitator.close()
    for task in tasks:
        task.cancel()
    return {"n": n, "rows": rows, "misses": misses, "rated": targets.raters}


async def sustained(clients: list[Client], data: dict[str, Any], seconds: float) -> dict[str, Any]:
    """20 ratings a second (re-ratings by everyone) for `seconds`; then compare final aggregates."""
    import random

    rng = random.Random(7)
    sent, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        scores = {d: rng.randint(1, 5) for d in data["dimensions"]}
        frame = {"type": "rate", "screen": data["screen"], "scores": scores, "client_id": _uuid()}
        await rng.choice(clients).ws.send(json.dumps(frame))
        sent += 1
        await asyncio.sleep(max(0.0, sent / 20 - elapsed))
    await asyncio.sleep(2.0)
    finals = [
        json.dumps(
            {k: c.last_aggregate.get(k) for k in ("count", "means", "histograms")}, sort_keys=True
        )
        if c.last_aggregate
        else None
        for c in clients
    ]
    truth = max(set(finals), key=finals.count)
    return {
        "ratings_sent": sent,
        "seconds": round(seconds, 1),
        "participants_off_final": sum(f != truth for f in finals),
        "final": truth,
    }


async def _drain(ws: Any) -> None:
    async for _ in ws:
        pass


def _uuid() -> str:
    import uuid

    return str(uuid.uuid4())


async def memory_per_socket(host: str, pid: int, data: dict[str, Any], n: int) -> dict[str, float]:
    before = rss_kb(pid)
    clients = await connect_all([host], data["code"], data["participants"][:n])
    await asyncio.sleep(1.0)
    after = rss_kb(pid)
    for c in clients:
        await c.ws.close()
    return {
        "connected": len(clients),
        "rss_before_mb": before / 1024,
        "rss_after_mb": after / 1024,
        "kb_per_socket": (after - before) / max(1, len(clients)),
    }


def ms(values: list[float]) -> str:
    return f"{pct(values, 0.5) * 1e3:.0f} / {pct(values, 0.95) * 1e3:.0f}"


def report(
    args: argparse.Namespace,
    results: list[dict[str, Any]],
    memory: dict[str, float] | None,
    load: tuple[tuple[float, ...], tuple[float, ...]],
) -> str:
    mode = (
        "two Daphne processes + Redis + PostgreSQL, production settings; each target's N "
        "sockets split evenly across both processes, every rating sent to a socket on the first"
        if args.redis
        else "one Daphne process started like `make run` (backend.settings.dev, DEBUG off, "
        "SQLite + in-process layer), serving bench/refapp.py"
    )
    command = " ".join(
        [".venv/bin/python bench/bench_fanout.py"]
        + ([f"--redis --layer {args.layer}"] if args.redis else [])
        + ["--participants", *map(str, args.participants)]
        + (["--quick"] if args.quick else [])
        + ["--write-report"]
    )
    first = results[0]["rows"][MODES[0][0]]["rounds"]
    lines = [
        f"# Fan-out benchmark ({f'redis, {args.layer} layer' if args.redis else 'embedded'})",
        "",
        f"- {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, nproc {os.cpu_count()}, "
        f"load average {' / '.join(f'{x:.2f}' for x in load[0])} at the start, "
        f"{' / '.join(f'{x:.2f}' for x in load[1])} at the end (shared, loaded machine)",
        f"- {mode}",
        f"- Command: `flock /work/bench.lock {command}`",
        f"- {len(first)} ratings per target per row, the three targets interleaved round by "
        "round (back to back: blocks of 5 per target). Latency: a participant sends `rate` -> "
        "every one of the N `websockets` clients holds the frame that counts it.",
        "- floor: one committed insert, then one pre-serialized frame (framed once) written "
        + (
            "straight to every local socket, and the same text by ONE Redis PUBLISH to the other "
            "process, whose subscriber writes it (framed once) to its local sockets; textbook: "
            f"the same insert, then `group_send` on channels-redis ({args.layer} layer), "
            if args.redis
            else "straight to every local socket; textbook: the same insert, then `group_send` "
            "on Channels' `InMemoryChannelLayer`, "
        )
        + "each consumer serializing and sending in its handler (bench/refapp.py)",
        "",
        "| configuration | N | Rounds p50 / p95 ms | textbook p50 / p95 ms | floor p50 / p95 ms "
        "| Rounds ÷ floor (p95) | textbook ÷ Rounds (p95) | targets (≤ 2x, ≥ 2x) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for result in results:
        for label, latency in result["rows"].items():
            r95, t95, f95 = (pct(latency[t], 0.95) for t in TARGETS)
            over_floor, under_textbook = r95 / f95, t95 / r95
            verdict = ", ".join(
                [
                    "ok" if over_floor <= 2 else "MISSED",
                    "ok" if under_textbook >= 2 else "MISSED",
                ]
            )
            lines.append(
                f"| {label} | {result['n']} | {ms(latency['rounds'])} | "
                f"{ms(latency['textbook'])} | {ms(latency['floor'])} | {over_floor:.2f}x | "
                f"{under_textbook:.2f}x | {verdict} |"
            )
    lines.append("")
    for result in results:
        miss = result["misses"]
        if miss:
            lines.append(
                f"- sustained, N = {result['n']}: {miss['ratings_sent']} ratings in "
                f"{miss['seconds']} s ({miss['ratings_sent'] / miss['seconds']:.1f}/s, aiming "
                f"at 20/s) on Rounds; participants whose last aggregate "
                f"differs from the final one: **{miss['participants_off_final']}**"
            )
    if memory:
        lines.append(
            f"- {memory['connected']} participants connected: RSS {memory['rss_before_mb']:.0f} -> "
            f"{memory['rss_after_mb']:.0f} MB, **{memory['kb_per_socket']:.0f} KB per socket**"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--redis", action="store_true", help="two Daphne processes sharing Redis")
    parser.add_argument(
        "--layer",
        choices=["pubsub", "core"],
        default="pubsub",
        help="with --redis: channels-redis' RedisPubSubChannelLayer or its core RedisChannelLayer",
    )
    parser.add_argument("--quick", action="store_true", help="fewer ratings, 10 s sustained")
    parser.add_argument(
        "--participants",
        type=int,
        nargs="+",
        default=[200],
        help="N sockets per target, one group after the other (e.g. 200 500)",
    )
    parser.add_argument(
        "--write-report", action="store_true", help="write bench/reports/fanout*.md"
    )
    args = parser.parse_args()
    samples, sustain = (15, 10.0) if args.quick else (40, 60.0)
    sizes = sorted(args.participants)
    processes = 2 if args.redis else 1
    for g, n in enumerate(sizes, 1):  # raters are new participants on the first process
        if g * 2 * samples > n // processes:
            parser.error(
                f"each Rounds rating needs a new participant on the first process: "
                f"N = {n} is too small (>= {g * 2 * samples * processes})"
            )
    load_start = os.getloadavg()
    tmp = Path(tempfile.mkdtemp(prefix="rounds-fanout-"))
    env = environment(tmp, args.redis, args.layer)
    if args.redis:
        create_postgres(PG_NAME)
    procs = []
    try:
        data = seed(env, max(500, sizes[-1]))
        procs = [start_daphne(env, tmp, f"daphne{i}") for i in range(2 if args.redis else 1)]
        hosts = [h for _, h in procs]
        memory = None
        if not args.redis and not args.quick:  # first: RSS never shrinks after sockets close
            memory = asyncio.run(memory_per_socket(hosts[0], procs[0][0].pid, data, 500))
        results, rated = [], 0
        for n in sizes:
            last = n == sizes[-1]
            result = asyncio.run(measure(hosts, data, n, samples, sustain if last else 0.0, rated))
            rated = result["rated"]
            results.append(result)
        text = report(args, results, memory, (load_start, os.getloadavg()))
        if args.write_report:
            name = f"fanout-redis-{args.layer}.md" if args.redis else "fanout.md"
            (ROOT / "bench" / "reports" / name).write_text(text)
        print(text)
    finally:
        for proc, _ in procs:
            proc.terminate()
            proc.wait(timeout=10)
        if args.redis:
            drop_postgres(PG_NAME)


if __name__ == "__main__":
    main()
