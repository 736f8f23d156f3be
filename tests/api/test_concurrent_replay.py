"""Two real Daphne processes replay the same batch at the same moment on PostgreSQL: the unique
index on client_id, not a read-then-write check, keeps every observation stored exactly once."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection
from rest_framework.authtoken.models import Token

from feedback.models import Observation
from tests.factories import UnitFactory, WorkflowFactory
from tests.factories_capture import payload
from tests.live import daphne

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

ROUNDS = 3
BATCH = 150


@pytest.fixture
def on_postgres(transactional_db: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://...): SQLite serialises writers")


def _at_once(calls: list[Any]) -> list[Any]:
    """Run the calls in threads released together by a barrier; return their results in order."""
    barrier = threading.Barrier(len(calls))
    out: list[Any] = [None] * len(calls)

    def run(i: int) -> None:
        barrier.wait()
        out[i] = calls[i]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return out


def _poster(base: str, token: str, path: str, body: Any) -> Any:
    import httpx

    def call() -> Any:
        headers = {"Authorization": f"Token {token}"}
        return httpx.post(f"{base}{path}", json=body, headers=headers, timeout=60)

    return call


def test_concurrent_batch_replays_from_two_processes_store_each_item_once(
    on_postgres, tmp_path, make_user
):
    user, refs = make_user("observer"), (UnitFactory(), WorkflowFactory())
    token = Token.objects.create(user=user).key
    with daphne(tmp_path, "a") as a, daphne(tmp_path, "b") as b:
        for _ in range(ROUNDS):
            items = [payload(*refs) for _ in range(BATCH)]
            body = {"observations": items}
            calls = [_poster(base, token, "/api/observations/sync/", body) for base in (a, b, a, b)]
            responses = _at_once(calls)
            assert [r.status_code for r in responses] == [200] * 4, [
                r.text[:300] for r in responses
            ]
            results = [r.json()["results"] for r in responses]
            for i, item in enumerate(items):
                answers = [res[i] for res in results]
                assert {x["client_id"] for x in answers} == {item["client_id"]}
                assert sorted(x["status"] for x in answers) == ["created"] + ["duplicate"] * 3
                assert len({x["id"] for x in answers}) == 1
    keys = [i for i in Observation.objects.values_list("client_id", flat=True)]
    assert len(keys) == len(set(keys)) == ROUNDS * BATCH


def test_concurrent_single_posts_answer_one_201_and_the_rest_200(on_postgres, tmp_path, make_user):
    user, refs = make_user("observer"), (UnitFactory(), WorkflowFactory())
    token = Token.objects.create(user=user).key
    item = payload(*refs)
    with daphne(tmp_path, "a") as a, daphne(tmp_path, "b") as b:
        calls = [_poster(base, token, "/api/observations/", item) for base in (a, b, a, b)]
        responses = _at_once(calls)
    assert sorted(r.status_code for r in responses) == [200, 200, 200, 201]
    assert len({r.json()["id"] for r in responses}) == 1
    assert Observation.objects.filter(client_id=item["client_id"]).count() == 1
