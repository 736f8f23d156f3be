"""The flags fast path in a real `make run` launcher killed mid-load: every flag answered 201
is in the database, and sending every flag again afterwards stores each exactly once."""

from __future__ import annotations

import http.client
import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from api.reporter import reporter_token
from feedback.models import OutputFeedback
from tests.factories import ToolFactory
from tests.factories_flags import flag_body, issue_key
from tests.live import launch, process_env, stop

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def send(port: int, tool: int, key: str, body: dict) -> tuple[int, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(
            "POST",
            f"/api/tools/{tool}/output-feedback/",
            json.dumps(body),
            {"Content-Type": "application/json", "X-Rounds-Tool-Key": key},
        )
        response = conn.getresponse()
        return response.status, json.loads(response.read())
    finally:
        conn.close()


def test_acked_flags_survive_a_killed_server_and_resent_flags_are_stored_once(tmp_path, clinician):
    tool = ToolFactory()
    _, key = issue_key(tool)
    token = reporter_token(user_id=clinician.pk, tool_id=tool.pk)[0]
    bodies = [flag_body(reporter=token, output_ref=f"note/{i}") for i in range(400)]
    env = process_env()
    proc, port = launch(env, tmp_path / "first.log")
    acked: dict[str, int] = {}
    lock = threading.Lock()

    def one(body: dict) -> None:
        try:
            status, out = send(port, tool.pk, key, body)
        except (OSError, http.client.HTTPException, ValueError):
            return  # no answer: the flag may or may not be stored
        if status == 201:
            with lock:
                acked[body["client_id"]] = out["id"]

    try:
        with ThreadPoolExecutor(16) as pool:
            for body in bodies:
                pool.submit(one, body)
            deadline = time.monotonic() + 120
            while len(acked) < 100 and time.monotonic() < deadline:
                time.sleep(0.01)
            proc.kill()  # SIGKILL, mid-load: no clean shutdown of the writer
    finally:
        stop(proc)
    assert 100 <= len(acked) < len(bodies), len(acked)
    stored = dict(OutputFeedback.objects.values_list("client_id", "id"))
    assert {str(c): i for c, i in stored.items() if str(c) in acked} == acked  # none lost

    proc, port = launch(env, tmp_path / "second.log")
    try:
        with ThreadPoolExecutor(8) as pool:
            again = list(pool.map(lambda b: send(port, tool.pk, key, b), bodies))
    finally:
        stop(proc)
    before = {str(c) for c in stored}
    for body, (status, out) in zip(bodies, again, strict=True):
        assert status == (200 if body["client_id"] in before else 201), (status, out)
        if body["client_id"] in acked:
            assert out["id"] == acked[body["client_id"]]
    assert OutputFeedback.objects.count() == len(bodies)  # each exactly once
