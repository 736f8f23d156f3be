"""Faults with real processes: a Redis of the test's own stopped and restarted by PID, a Daphne
process killed with SIGKILL mid-session and mid-sync, a reader that stops reading. Each checks
that nothing acked is lost or stored twice and that clients recover, and prints its figures."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets
from rest_framework.authtoken.models import Token

from feedback.models import Comment, Observation, Rating
from tests.factories import UserFactory
from tests.factories_sessions import make_session, screen_ids
from tests.live import free_port, launch, process_env, stop

pytestmark = [pytest.mark.redis, pytest.mark.slow]
PASSWORD = "synthetic-pass-2026"


@contextmanager
def own_redis(
    tmp_path: Path, port: int | None = None
) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    """A redis-server of this test on a free port (never the shared one); killed by its PID."""
    port = port or free_port()
    proc = subprocess.Popen(
        ["redis-server", "--port", str(port), "--save", "", "--appendonly", "no",
         "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
            break
        time.sleep(0.05)
    try:
        yield proc, port
    finally:
        proc.kill()
        proc.wait()


def serve(tmp_path: Path, name: str, redis_port: int, **env: str) -> tuple[Any, str]:
    extra = {"REDIS_URL": f"redis://127.0.0.1:{redis_port}/0", "ROUNDS_PRESENCE_TTL": "2",
             "ROUNDS_PRESENCE_REFRESH": "0.5", **env}  # fmt: skip
    proc, port = launch(process_env(extra), tmp_path / f"{name}-{uuid.uuid4().hex[:6]}.log")
    return proc, f"http://127.0.0.1:{port}"


async def opened(base: str, code: str, token: str) -> tuple[Any, dict]:
    url = base.replace("http", "ws") + f"/ws/sessions/{code}/?token={token}"
    ws = await websockets.connect(url, origin=base, open_timeout=30)
    state = json.loads(await asyncio.wait_for(ws.recv(), 30))
    assert state["type"] == "state"
    return ws, state


async def until(ws: Any, match: Any, timeout: float = 20) -> dict:
    async with asyncio.timeout(timeout):
        while True:
            frame = json.loads(await ws.recv())
            if match(frame):
                return frame


def people(n: int) -> tuple[Any, list[str], list[Any]]:
    session = make_session(UserFactory(roles=["observer"]))
    users = [UserFactory(roles=["clinician"]) for _ in range(n)]
    keys = [Token.objects.create(user=u).key for u in (session.facilitator, *users)]
    return session, keys, users


def test_redis_outage_degrades_live_updates_and_they_resume_with_state(
    redis_required, transactional_db, tmp_path
):
    session, keys, users = people(3)
    screens = screen_ids(session)
    users[2].set_password(PASSWORD)
    users[2].save()
    with own_redis(tmp_path) as (redis_proc, redis_port):
        a_proc, a = serve(tmp_path, "a", redis_port)
        b_proc, b = serve(tmp_path, "b", redis_port)
        try:

            async def scenario() -> dict[str, float]:
                lead, _ = await opened(a, session.code, keys[0])
                near, _ = await opened(a, session.code, keys[1])
                far, _ = await opened(b, session.code, keys[2])
                redis_proc.send_signal(signal.SIGKILL)
                redis_proc.wait()
                down = time.monotonic()
                for ws in (lead, near, far):
                    frame = await until(ws, lambda f: f["type"] == "error")
                    assert frame["code"] == "degraded"
                async with httpx.AsyncClient(timeout=30) as http:
                    creds = {"username": users[2].username, "password": PASSWORD}
                    login = await http.post(f"{b}/api/auth/token/", json=creds)
                    assert login.status_code == 200, login.text
                    auth = {"Authorization": f"Token {keys[3]}"}
                    joined = await http.post(f"{b}/api/sessions/join/",
                                             json={"code": session.code}, headers=auth)  # fmt: skip
                    assert joined.status_code == 200, joined.text
                    rated = await http.post(
                        f"{b}/api/sessions/{session.pk}/ratings/",
                        json={"screen": screens[0], "scores": {"trust": 4}, "comment": "Kept"},
                        headers=auth,
                    )
                    assert rated.status_code == 200, rated.text
                fresh, _ = await opened(b, session.code, keys[3])  # handshakes fail open
                await lead.send(json.dumps({"type": "show_screen", "screen": screens[1]}))
                await until(near, lambda f: f["type"] == "screen")  # same process: still live
                with own_redis(tmp_path, redis_port):
                    back = time.monotonic()
                    for ws in (far, fresh):  # the other process re-sends the whole state
                        state = await until(ws, lambda f: f["type"] == "state")
                        assert state["screen"]["id"] == screens[1]
                    recovered = time.monotonic() - back
                    rate = {"type": "rate", "screen": screens[1], "scores": {"trust": 2},
                            "client_id": str(uuid.uuid4())}  # fmt: skip
                    await near.send(json.dumps(rate))
                    agg = await until(lead, lambda f: f["type"] == "aggregate")
                    assert agg["screen"] == screens[1] and agg["count"] == 1
                for ws in (lead, near, far, fresh):
                    await ws.close()
                return {"outage_s": back - down, "recovered_s": recovered}

            figures = asyncio.run(scenario())
        finally:
            stop(a_proc)
            stop(b_proc)
    assert Rating.objects.filter(session=session).count() == 2
    assert Comment.objects.filter(session=session, text="Kept").count() == 1
    print(f"\nredis outage: 0 lost, 0 duplicated, recovered in {figures['recovered_s']:.2f} s")
    assert figures["recovered_s"] < 10


def test_killed_process_participants_resume_elsewhere_nothing_lost_or_doubled(
    redis_required, transactional_db, tmp_path
):
    session, keys, _ = people(4)
    screen = screen_ids(session)[0]
    with own_redis(tmp_path) as (_, redis_port):
        a_proc, a = serve(tmp_path, "a", redis_port)
        b_proc, b = serve(tmp_path, "b", redis_port)
        try:

            async def scenario() -> float:
                lead, _ = await opened(a, session.code, keys[0])
                on_b = [(await opened(b, session.code, k))[0] for k in keys[1:]]
                await until(lead, lambda f: f["type"] == "presence" and f["count"] == 4)
                frames = [{"type": "rate", "screen": screen, "scores": {"trust": n + 1},
                           "comment": f"Note {n}", "client_id": str(uuid.uuid4())}
                          for n in range(4)]  # fmt: skip
                for ws, frame in zip(on_b, frames, strict=True):
                    await ws.send(json.dumps(frame))
                b_proc.send_signal(signal.SIGKILL)  # mid-session: some acked, some not
                b_proc.wait()
                killed = time.monotonic()
                # The page queue resends every unacked frame after reconnecting (here: to A,
                # as the proxy would send it); resending acked ones too must change nothing.
                for key, frame in zip(keys[1:], frames, strict=True):
                    ws, _ = await opened(a, session.code, key)
                    await ws.send(json.dumps(frame))
                    ack = await until(ws, lambda f: f["type"] == "ack")
                    assert ack["client_id"] == frame["client_id"]
                resumed = time.monotonic() - killed
                # B's connections expire (TTL 2 s here): the count settles at the 4 on A.
                await until(lead, lambda f: f["type"] == "presence" and f["count"] == 4, 15)
                await lead.close()
                return resumed

            resumed = asyncio.run(scenario())
        finally:
            stop(a_proc)
            with suppress(Exception):
                stop(b_proc)
    assert Rating.objects.filter(session=session).count() == 4
    assert sorted(Comment.objects.filter(session=session).values_list("text", flat=True)) == [
        f"Note {n}" for n in range(4)
    ]
    print(f"\nkill -9 mid-session: 0 lost, 0 duplicated, all resumed in {resumed:.2f} s")


def test_killed_process_mid_sync_loses_and_doubles_nothing(
    redis_required, transactional_db, tmp_path, observer
):
    from tests.factories import UnitFactory, WorkflowFactory

    unit, workflow = UnitFactory(), WorkflowFactory()
    key = Token.objects.create(user=observer).key
    batch = [{"client_id": str(uuid.uuid4()), "captured_at": "2026-12-01T08:00:00Z",
              "unit": unit.pk, "workflow": workflow.pk, "role_observed": "nurse",
              "description": f"Synthetic pain point {n}: scanner rejects wristband",
              "severity": 2, "frequency": "daily"} for n in range(200)]  # fmt: skip
    with own_redis(tmp_path) as (_, redis_port):
        a_proc, a = serve(tmp_path, "a", redis_port)
        b_proc, b = serve(tmp_path, "b", redis_port)
        try:
            headers = {"Authorization": f"Token {key}"}

            def post_to_b() -> None:
                with suppress(httpx.HTTPError):
                    httpx.post(f"{b}/api/observations/sync/", json={"observations": batch},
                               headers=headers, timeout=60)  # fmt: skip

            sender = threading.Thread(target=post_to_b)
            sender.start()
            time.sleep(0.3)
            os.kill(b_proc.pid, signal.SIGKILL)
            b_proc.wait()
            sender.join()
            retry = httpx.post(f"{a}/api/observations/sync/", json={"observations": batch},
                               headers=headers, timeout=120)  # fmt: skip
        finally:
            stop(a_proc)
    assert retry.status_code == 200
    statuses = {r["status"] for r in retry.json()["results"]}
    assert statuses <= {"created", "duplicate"}
    stored = Observation.objects.filter(client_id__in=[i["client_id"] for i in batch]).count()
    assert stored == 200
    print(f"\nkill -9 mid-sync: 0 lost, 0 duplicated ({sorted(statuses)} on retry)")
