"""Fan-out benchmark: rating -> every participant holds the new aggregate, vs a one-frame floor.

Real Daphne process(es), real `websockets` clients, synthetic users only. Writes
bench/reports/fanout.md (or fanout-redis-<layer>.md with --redis: two Daphne processes, Redis,
PostgreSQL).
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
REDIS_URL = "redis://127.0.0.1:6379/0"


def environment(tmp: Path, redis: bool, layer: str = "pubsub") -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="backend.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        SECURE_SSL_REDIRECT="0",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        MEDIA_ROOT=str(tmp / "media"),
        ROUNDS_CHANNEL_PREFIX=f"bench-{os.getpid()}",
    )
    env.pop("REDIS_URL", None)
    if redis:
        env["DATABASE_URL"] = f"{PG_SERVER}/{PG_NAME}"
        env["REDIS_URL"] = REDIS_URL
        env["REDIS_CHANNEL_LAYER"] = layer
    else:
        env["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    return env


def seed(env: dict[str, str], participants: int) -> dict[str, Any]:
    """Migrate, then create synthetic users, a tool, a screen and an open session."""
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
    screen = Screen(
        tool=tool, title="Bench screen", version="1", width=shot.width, height=shot.height
    )
    screen.image.save("bench.jpg", ContentFile(shot.full.data), save=False)
    screen.web.save("bench-web.jpg", ContentFile(shot.web.data), save=False)
    screen.thumb.save("bench-thumb.jpg", ContentFile(shot.thumb.data), save=False)
    screen.save()
    facilitator = users[0]
    # Through the service, as the API does: the facilitator's participant and the screen's
    # aggregate row come with it.
    session = session_create(
        actor=Actor(user=facilitator), title="Bench session", tool=tool, screen_ids=[screen.pk]
    )
    return {
        "code": session.code,
        "session": session.pk,
        "screen": screen.pk,
        "facilitator": keys[facilitator.pk],
        "participants": [keys[u.pk] for u in users[1:]],
        "dimensions": list(session.dimensions),
    }


def start_daphne(env: dict[str, str], tmp: Path, name: str) -> tuple[subprocess.Popen[bytes], str]:
    proc, port = launch(env, tmp / f"{name}.log")
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
        clients += [Client(ws) for ws in sockets]
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


async def measure(
    hosts: list[str], data: dict[str, Any], n: int, samples: int, sustain: float
) -> dict[str, Any]:
    facilitator = await connect(hosts[0], data["code"], data["facilitator"])
    tasks = [asyncio.create_task(_drain(facilitator))]
    clients = await connect_all(hosts, data["code"], data["participants"][:n])
    tasks += [asyncio.create_task(c.pump()) for c in clients]
    await facilitator.send(json.dumps({"type": "show_screen", "screen": data["screen"]}))
    await asyncio.sleep(0.5)

    floor = []
    for i in range(samples):  # floor: one frame (results_visible) fanned out to every socket
        visible = i % 2 == 0
        sent = time.perf_counter()
        await facilitator.send(json.dumps({"type": "reveal_results", "visible": visible}))
        floor.append(await wait_all(clients, first_visible(visible, sent)) - sent)
        await asyncio.sleep(0.15)
    await facilitator.send(json.dumps({"type": "reveal_results", "visible": True}))
    await wait_all(clients, first_visible(True, time.perf_counter() - 0.001))

    latency = []
    dims = data["dimensions"]
    for i in range(samples):  # each rating from a new participant: count goes up by one
        sent = time.perf_counter()
        scores = {d: (i + j) % 5 + 1 for j, d in enumerate(dims)}
        frame = {"type": "rate", "screen": data["screen"], "scores": scores, "client_id": _uuid()}
        await clients[i % len(clients)].ws.send(json.dumps(frame))
        latency.append(await wait_all(clients, first_aggregate(i + 1, sent)) - sent)
        await asyncio.sleep(0.15)  # past the 100 ms coalescing window: one broadcast per rating

    misses = await sustained(clients, data, sustain)
    for c in clients:
        await c.ws.close()
    await facilitator.close()
    return {"floor": floor, "latency": latency, "misses": misses}


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


def report(
    args: argparse.Namespace, result: dict[str, Any], memory: dict[str, float] | None
) -> str:
    floor, lat = result["floor"], result["latency"]
    f50, f95, l50, l95 = pct(floor, 0.5), pct(floor, 0.95), pct(lat, 0.5), pct(lat, 0.95)
    ratio = l95 / f95 if f95 else float("inf")
    mode = (
        f"two Daphne processes + Redis ({args.layer} layer) + PostgreSQL"
        if args.redis
        else ("one Daphne process, embedded default (SQLite + in-process layer)")
    )
    miss = result["misses"]
    lines = [
        f"# Fan-out benchmark ({f'redis, {args.layer} layer' if args.redis else 'embedded'})",
        "",
        f"- {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, nproc {os.cpu_count()}; {mode}",
        f"- Command: `.venv/bin/python bench/bench_fanout.py"
        f"{f' --redis --layer {args.layer}' if args.redis else ''}"
        f"{' --quick' if args.quick else ''}`",
        f"- {args.participants} participants (`websockets` clients) in one session, "
        f"{len(lat)} ratings",
        "",
        "| measure | p50 ms | p95 ms |",
        "|---|---|---|",
        f"| floor: one frame (results_visible) to every socket "
        f"| {f50 * 1e3:.1f} | {f95 * 1e3:.1f} |",
        f"| rating -> every participant holds the new aggregate "
        f"| {l50 * 1e3:.1f} | {l95 * 1e3:.1f} |",
        "",
        f"- p95 rating / p95 floor = **{ratio:.2f}x** "
        f"(target <= 2: {'ok' if ratio <= 2 else 'MISSED'})",
        f"- sustained: {miss['ratings_sent']} ratings in {miss['seconds']} s (20/s); "
        f"participants whose last aggregate differs from the final one: "
        f"**{miss['participants_off_final']}**",
    ]
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
    parser.add_argument("--participants", type=int, default=200)
    args = parser.parse_args()
    samples, sustain = (20, 10.0) if args.quick else (60, 60.0)
    tmp = Path(tempfile.mkdtemp(prefix="rounds-fanout-"))
    env = environment(tmp, args.redis, args.layer)
    if args.redis:
        create_postgres(PG_NAME)
    procs = []
    try:
        data = seed(env, max(500, args.participants))
        procs = [start_daphne(env, tmp, f"daphne{i}") for i in range(2 if args.redis else 1)]
        hosts = [h for _, h in procs]
        result = asyncio.run(measure(hosts, data, args.participants, samples, sustain))
        memory = None
        if not args.redis:
            memory = asyncio.run(memory_per_socket(hosts[0], procs[0][0].pid, data, 500))
        text = report(args, result, memory)
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
