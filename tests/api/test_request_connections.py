"""A request's database connection is closed when the request ends, by the process serving it.

Under ASGI each request runs on a thread of its own, and Django sends `request_finished` from the
event loop, so nothing closed the connection on the thread that owned it: every request left one
open until a full garbage-collection pass found the dead thread (Django ticket #33497). With the
launcher's rarer full passes, the load scenario ran PostgreSQL out of connections ("too many
clients", thousands of 500s). Counted here from outside, on the real Daphne launcher: the sockets
to PostgreSQL, or the open handles on the SQLite file, that the serving process holds."""

from __future__ import annotations

import os
from pathlib import Path

import httpx
import pytest
from django.db import connection
from rest_framework.authtoken.models import Token

from tests.live import launch, process_env, stop

pytestmark = [pytest.mark.slow]


def held_connections(pid: int) -> int:
    fds = Path(f"/proc/{pid}/fd")
    links = []
    for fd in fds.iterdir():
        try:
            links.append(os.readlink(fd))
        except OSError:
            continue  # closed meanwhile
    if connection.vendor == "sqlite":
        name = os.path.realpath(connection.settings_dict["NAME"])
        return sum(1 for link in links if link == name)
    inodes = {link[8:-1] for link in links if link.startswith("socket:[")}
    port = int(connection.settings_dict.get("PORT") or 5432)
    held = 0
    for table in ("tcp", "tcp6"):
        lines = Path(f"/proc/{pid}/net/{table}").read_text().splitlines()[1:]
        for line in lines:
            fields = line.split()
            remote, state, inode = fields[2], fields[3], fields[9]
            if inode in inodes and int(remote.rsplit(":", 1)[1], 16) == port and state == "01":
                held += 1
    return held


def test_each_request_closes_its_database_connection(transactional_db, tmp_path, observer):
    key = Token.objects.create(user=observer).key
    proc, port = launch(process_env(), tmp_path / "daphne.log")
    try:
        headers = {"Authorization": f"Token {key}"}
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers=headers) as client:
            before = held_connections(proc.pid)
            for n in range(60):
                path = ("/api/me/", "/api/observations/", "/api/backlog/")[n % 3]
                assert client.get(path).status_code == 200, path
            after = held_connections(proc.pid)
    finally:
        stop(proc)
    # Sixty requests, each on its own thread: none may leave its connection behind.
    assert after - before == 0, f"{after - before} connections left open by 60 requests"
