"""Real Daphne processes on 127.0.0.1 sharing the test database (and Redis if REDIS_URL)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def database_url() -> str:
    """The URL of the database this test process is using (the test database)."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or "postgres"
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{user}@{host}:{port}/{db['NAME']}"


def wait_for(port: int, proc: subprocess.Popen[bytes], log: Path, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args} exited early:\n{log.read_text()[-3000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"{proc.args} did not listen on {port}:\n{log.read_text()[-3000:]}")


def launch(
    env: dict[str, str],
    log: Path,
    port: int | None = None,
    app: str = "backend.asgi:application",
) -> tuple[subprocess.Popen[bytes], int]:
    """Start `backend.server` (the Daphne launcher `make run` uses) serving `app` on `port` (or a
    free one) with `env`, output to `log`; returns once it listens."""
    port = port or free_port()
    command = [sys.executable, "-m", "backend.server", "-b", "127.0.0.1", "-p", str(port)]
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [*command, app],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    wait_for(port, proc, log)
    return proc, port


def process_env(extra_env: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a process serving this test run's database, media and Redis prefix."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="backend.settings.test",
        DATABASE_URL=database_url(),
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        PYTHONUNBUFFERED="1",
        ROUNDS_CHANNEL_PREFIX=settings.CHANNEL_PREFIX,
    )
    if settings.REDIS_URL:
        env["REDIS_URL"] = settings.REDIS_URL
    env.update(extra_env or {})
    return env


@contextmanager
def daphne(
    log_dir: Path, name: str = "daphne", extra_env: dict[str, str] | None = None
) -> Iterator[str]:
    """Start one Daphne process on the test database; yields its base URL; stops it afterwards."""
    env = process_env(extra_env)
    proc, port = launch(env, log_dir / f"{name}-{uuid.uuid4().hex[:8]}.log")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(proc)


@contextmanager
def worker(log_dir: Path, extra_env: dict[str, str] | None = None, *args: str) -> Iterator[Path]:
    """Start `manage.py rounds_worker` (what `make run` starts) on the test database, polling
    fast; yields its log file; stops it afterwards."""
    log = log_dir / f"worker-{uuid.uuid4().hex[:8]}.log"
    env = process_env({"ROUNDS_SCHEDULER_INTERVAL": "0.3", **(extra_env or {})})
    command = [sys.executable, "manage.py", "rounds_worker", "--interval", "0.1"]
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [*command, "--no-startup-delay", *args],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        yield log
    finally:
        stop(proc)


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
