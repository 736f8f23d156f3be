"""The flags fast path (api/flag_intake.py) in front of the DRF view: the same answers, byte for
byte, for stored, invalid, unauthorised and rate-limited flags; 201 only once a flag is stored;
503 (nothing stored) when the database fails; live frames and bursts as from the view."""

from __future__ import annotations

import asyncio
import json
import time
import uuid

import pytest
import pytest_asyncio
from channels.db import database_sync_to_async
from channels.testing import HttpCommunicator, WebsocketCommunicator
from django.core.cache import cache
from django.db import OperationalError, connections
from django.test import override_settings

from api import flag_intake
from backend.asgi import application, django_asgi_app
from feedback.models import OutputFeedback, ToolKey, WebhookDelivery
from feedback.ratelimit import FixedWindow
from feedback.services import output_feedback as svc
from tests.api.test_backlog_consumer import ORIGIN as WS_ORIGIN
from tests.api.test_backlog_consumer import token_for
from tests.factories import ToolFactory
from tests.factories_flags import flag_body, issue_key

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]
HOST = "http://127.0.0.1:8123"
VARYING = {"id", "client_id", "created_at"}  # what two stored flags never share


@pytest_asyncio.fixture(autouse=True)
async def _writer_and_thread_connections():
    yield
    await asyncio.to_thread(flag_intake.WRITER.stop)
    await database_sync_to_async(connections.close_all)()


@pytest.fixture
def paths(monkeypatch):
    """Which path answered: 'fast' (stored by the batch writer) or 'view' (flag_submit)."""
    seen: list[str] = []
    batch, single = svc.flag_submit_batch, svc.flag_submit

    def spy_batch(*, items):
        rows = batch(items=items)
        seen.extend("fast" for r in rows if r is not None)
        return rows

    def spy_single(**kwargs):
        seen.append("view")
        return single(**kwargs)

    monkeypatch.setattr(svc, "flag_submit_batch", spy_batch)
    monkeypatch.setattr(svc, "flag_submit", spy_single)
    return seen


@pytest.fixture
def world(db, clinician):
    tool = ToolFactory(name="Discharge summary drafter")
    key, raw = issue_key(tool, [HOST])
    from api.reporter import reporter_token

    return {
        "tool": tool,
        "key": key,
        "raw": raw,
        "reporter": reporter_token(user_id=clinician.pk, tool_id=tool.pk)[0],
        "clinician": clinician,
    }


async def post(tool_id, body, key, origin=HOST, headers=()):
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    sent = [
        (b"host", b"testserver"),
        (b"content-type", b"application/json"),
        (b"content-length", str(len(raw)).encode()),
        *([(b"x-rounds-tool-key", key.encode())] if key is not None else []),
        *([(b"origin", origin.encode())] if origin else []),
        *headers,
    ]
    comm = HttpCommunicator(
        application, "POST", f"/api/tools/{tool_id}/output-feedback/", raw, sent
    )
    response = await comm.get_response(timeout=30)  # a loaded CI machine
    await comm.wait(timeout=10)
    response["headers"] = {k.decode().lower(): v.decode() for k, v in response["headers"]}
    return response


async def both(settings, make_request):
    """The same request answered with the fast path on, then with it off (the view alone)."""
    settings.ROUNDS_FLAG_INTAKE = True
    fast = await make_request()
    await asyncio.to_thread(cache.clear)  # the same rate-limit budget for both
    settings.ROUNDS_FLAG_INTAKE = False
    view = await make_request()
    return fast, view


def assert_same(fast, view, varying=frozenset()):
    assert fast["status"] == view["status"], (fast, view)
    assert set(fast["headers"]) == set(view["headers"]), (fast["headers"], view["headers"])
    for name, value in view["headers"].items():
        if name != "content-length":
            assert fast["headers"][name] == value, name
    for answer in (fast, view):
        assert int(answer["headers"]["content-length"]) == len(answer["body"])
    if not varying:
        assert fast["body"] == view["body"]
        return
    a, b = json.loads(fast["body"]), json.loads(view["body"])
    assert list(a) == list(b)  # same keys, same order
    assert {k: v for k, v in a.items() if k not in varying} == {
        k: v for k, v in b.items() if k not in varying
    }
    # Same rendering (DRF's compact JSON): only the varying values differ.
    assert fast["body"] == json.dumps(a, separators=(",", ":"), ensure_ascii=False).encode()


def fresh(world, **change):
    return lambda: dict(flag_body(reporter=world["reporter"]), **change)


# --- stored flags ----------------------------------------------------------------------------


@pytest.mark.parametrize("origin", [HOST, None])
async def test_a_stored_flag_is_answered_as_the_view_answers_it(settings, world, paths, origin):
    if origin is None:  # server to server: a key without origins, no Origin header
        _, world["raw"] = await database_sync_to_async(issue_key)(world["tool"], [])
    body = fresh(world, comment="Left out the anticoagulant change; call 617-555-0199.")
    fast, view = await both(
        settings, lambda: post(world["tool"].pk, body(), world["raw"], origin=origin)
    )
    assert paths == ["fast", "view"]
    assert fast["status"] == 201
    assert_same(fast, view, VARYING)
    out = json.loads(fast["body"])
    assert out["reporter"] == world["clinician"].pk and out["anonymous"] is False
    assert "617-555-0199" not in out["comment"] and out["phi_redacted"] == ["PHONE"]
    assert out["categories"] == ["hallucination", "omission"]
    if origin:
        assert fast["headers"]["access-control-allow-origin"] == HOST
    else:
        assert "access-control-allow-origin" not in fast["headers"]
    stored = await database_sync_to_async(OutputFeedback.objects.get)(pk=out["id"])
    assert stored.key_id is not None and stored.comment == out["comment"]


PRODUCTION = {
    "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
    "SECURE_HSTS_SECONDS": 3600,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
    "SECURE_HSTS_PRELOAD": True,
    "SECURE_SSL_REDIRECT": True,
}


async def test_production_headers_match_too(settings, world, paths):
    # Django's middleware reads these settings once, when the handler loads it.
    try:
        with override_settings(**PRODUCTION):
            django_asgi_app.load_middleware(is_async=True)
            proto = [(b"x-forwarded-proto", b"https")]
            body = fresh(world)
            fast, view = await both(
                settings, lambda: post(world["tool"].pk, body(), world["raw"], headers=proto)
            )
            settings.ROUNDS_FLAG_INTAKE = True
            plain = await post(world["tool"].pk, body(), world["raw"])
    finally:
        django_asgi_app.load_middleware(is_async=True)
    assert fast["status"] == 201 and "strict-transport-security" in fast["headers"]
    assert_same(fast, view, VARYING)
    assert plain["status"] == 301  # plain HTTP is redirected by Django, as before
    assert paths == ["fast", "view"]


async def test_replays_and_conflicts_are_the_views(settings, world, paths):
    body = flag_body(reporter=world["reporter"])
    first = await post(world["tool"].pk, body, world["raw"])
    again = await post(world["tool"].pk, body, world["raw"])
    changed = await post(world["tool"].pk, dict(body, harm="severe"), world["raw"])
    assert [first["status"], again["status"], changed["status"]] == [201, 200, 409]
    assert paths == ["fast", "view", "view"]
    assert json.loads(again["body"]) == json.loads(first["body"])
    assert await database_sync_to_async(OutputFeedback.objects.count)() == 1


async def test_concurrent_flags_are_batched_and_every_acked_one_is_stored(world, paths):
    sizes: list[int] = []
    batch = svc.flag_submit_batch

    def sized(*, items):
        if not sizes:  # hold the first batch until the others queued: batching, on any machine
            deadline = time.monotonic() + 20
            while (
                len(items) + flag_intake.WRITER.queue.qsize() < 30 and time.monotonic() < deadline
            ):
                time.sleep(0.01)
        sizes.append(len(items))
        return batch(items=items)

    svc.flag_submit_batch = sized
    try:
        bodies = [flag_body(reporter=world["reporter"], output_ref=f"n/{i}") for i in range(60)]
        same = flag_body(reporter=world["reporter"])  # sent twice at once: stored once
        answers = await asyncio.gather(
            *(post(world["tool"].pk, b, world["raw"]) for b in [*bodies, same, same])
        )
    finally:
        svc.flag_submit_batch = batch
    statuses = [a["status"] for a in answers]
    assert statuses[:60] == [201] * 60 and sorted(statuses[60:]) == [200, 201]
    assert max(sizes) > 1  # several flags per transaction
    acked = {json.loads(a["body"])["id"] for a in answers if a["status"] == 201}
    await asyncio.to_thread(flag_intake.WRITER.stop)
    stored = await database_sync_to_async(
        lambda: set(OutputFeedback.objects.values_list("id", flat=True))
    )()
    assert acked == stored and len(stored) == 61


# --- everything else is the view's answer, byte for byte -------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        {"categories": ["wrong"]},
        {"categories": ["omission", "omission"]},
        {"categories": "omission"},
        {"harm": "catastrophic"},
        {"harm": None, "harm_reached": True},
        {"harm_reached": "true"},
        {"verdict": "meh"},
        {"verdict": " helpful"},  # DRF trims it: stored by the view
        {"output_ref": "The patient has a history of CHF and was given"},
        {"model_version": 3},
        {"client_id": "not-a-uuid"},
        {"comment": "x" * 2001},
        {"comment": "nul \x00 byte"},
        {"reporter": "forged:token"},
        {"reporter": ""},  # anonymous: limited per key, so the view's
    ],
)
async def test_invalid_or_unusual_flags_get_the_views_answer(settings, world, paths, change):
    client_id = str(uuid.uuid4())

    def request():
        body = dict(flag_body(reporter=world["reporter"], client_id=client_id), **change)
        return post(world["tool"].pk, body, world["raw"])

    fast, view = await both(settings, request)
    assert "fast" not in paths
    if fast["status"] == 201:  # stored by the view in the first round: a replay in the second
        assert view["status"] == 200 and json.loads(fast["body"]) == json.loads(view["body"])
    else:
        assert fast["status"] == 400, fast
        assert_same(fast, view)


@pytest.mark.parametrize(
    "raw",
    [b"", b"{", b"[]", b'{"client_id": NaN}', b"\xff\xfe{}", "\ufeff{}".encode()],
)
async def test_unreadable_bodies_get_the_views_answer(settings, world, paths, raw):
    fast, view = await both(settings, lambda: post(world["tool"].pk, raw, world["raw"]))
    assert paths == [] and fast["status"] == 400
    assert_same(fast, view)


async def test_unauthorised_flags_get_the_views_answer(settings, world, paths, clinician):
    tool = world["tool"]
    other = await database_sync_to_async(ToolFactory)()
    _, other_key = await database_sync_to_async(issue_key)(other, [HOST])
    cases = [
        lambda: post(tool.pk, fresh(world)(), "rtk_deadbeef0000_wrong"),  # unknown key
        lambda: post(tool.pk, fresh(world)(), other_key),  # another tool's key
        lambda: post(tool.pk, fresh(world)(), world["raw"], origin="http://evil.example"),
        lambda: post(tool.pk, fresh(world)(), world["raw"], origin="null"),
        lambda: post(tool.pk + 1000, fresh(world)(), world["raw"]),  # token for another tool
        lambda: post(tool.pk, flag_body(), None),  # no key, no sign-in
    ]
    expected = [401, 403, 403, 403, 403, 401]
    for case, status in zip(cases, expected, strict=True):
        fast, view = await both(settings, case)
        assert fast["status"] == status, fast
        assert_same(fast, view)
    # The reporter deactivated, then the key revoked: refused at once, as by the view.
    clinician.is_active = False
    await database_sync_to_async(clinician.save)()
    fast, view = await both(settings, lambda: post(tool.pk, fresh(world)(), world["raw"]))
    assert fast["status"] == 400 and b"reporter" in fast["body"]
    assert_same(fast, view)
    world["key"].revoked_at = world["key"].created_at
    await database_sync_to_async(world["key"].save)()
    fast, view = await both(settings, lambda: post(tool.pk, fresh(world)(), world["raw"]))
    assert fast["status"] == 401
    assert_same(fast, view)
    assert paths == []
    assert await database_sync_to_async(OutputFeedback.objects.count)() == 0


async def test_rate_limited_anonymous_flags_get_the_views_answer(
    settings, world, paths, monkeypatch
):
    # One window for the whole test (a minute turning over between the two would let both in).
    frozen = FixedWindow(name="anonflags", limit=1, seconds=60, clock=lambda: 1_000_030.0)
    monkeypatch.setattr(svc, "anonymous_limiter", lambda: frozen)

    async def two():
        first = await post(world["tool"].pk, flag_body(), world["raw"])
        return first, await post(world["tool"].pk, flag_body(), world["raw"])

    fast, view = await both(settings, two)
    assert [fast[0]["status"], fast[1]["status"]] == [201, 429]
    assert_same(fast[0], view[0], VARYING)
    assert_same(fast[1], view[1])
    assert "retry-after" in fast[1]["headers"]
    assert paths == ["view"] * 4


@pytest.mark.parametrize(
    "extra",
    [
        [(b"authorization", b"Token nope")],
        [(b"cookie", b"sessionid=nope")],
        [(b"x-rounds-tool-key", b"second")],
    ],
)
async def test_other_sign_ins_and_odd_headers_take_the_view(settings, world, paths, extra):
    answer = await post(world["tool"].pk, fresh(world)(), world["raw"], headers=extra)
    assert paths in ([], ["view"]) and answer["status"] in (201, 400, 401, 403)


async def test_the_fast_path_is_off_when_the_middleware_changes(settings, world, paths):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE]
    settings.MIDDLEWARE.remove("django.middleware.clickjacking.XFrameOptionsMiddleware")
    answer = await post(world["tool"].pk, fresh(world)(), world["raw"])
    assert answer["status"] == 201 and paths == ["view"]


# --- failures ---------------------------------------------------------------------------------


async def test_a_database_error_in_a_batch_answers_503_and_stores_nothing(world, monkeypatch):
    announce = svc._announce

    def broken(flags):  # after the insert, inside the transaction
        raise OperationalError("disk I/O error")

    monkeypatch.setattr(svc, "_announce", broken)
    answers = await asyncio.gather(
        *(post(world["tool"].pk, fresh(world)(), world["raw"]) for _ in range(5))
    )
    for answer in answers:
        assert answer["status"] == 503
        assert answer["headers"]["content-type"] == "application/json"
        assert answer["headers"]["retry-after"] == "1"
        body = json.loads(answer["body"])
        assert body["code"] == "unavailable" and "same client_id" in body["detail"]
    assert await database_sync_to_async(OutputFeedback.objects.count)() == 0
    monkeypatch.setattr(svc, "_announce", announce)  # the database is back: the writer goes on
    assert (await post(world["tool"].pk, fresh(world)(), world["raw"]))["status"] == 201
    assert await database_sync_to_async(OutputFeedback.objects.count)() == 1


async def test_a_lost_race_on_a_client_id_is_answered_by_the_view(world, paths, monkeypatch):
    """Another process stored the same client_id between the batch's read and its insert."""
    body = fresh(world)()
    real = svc.sel.may_flag

    def racing(ids):
        svc.flag_submit(
            tool_id=world["tool"].pk,
            data=svc.FlagInput(
                client_id=uuid.UUID(body["client_id"]),
                output_ref=body["output_ref"],
                model_version=body["model_version"],
                verdict=body["verdict"],
                categories=tuple(body["categories"]),
                harm=body["harm"],
                comment=body["comment"],
            ),
            reporter=world["clinician"].pk,
            key=world["key"],
        )
        return real(ids)

    monkeypatch.setattr(svc.sel, "may_flag", racing)
    answer = await post(world["tool"].pk, body, world["raw"])
    assert answer["status"] == 200  # the stored flag, as a replay
    assert await database_sync_to_async(OutputFeedback.objects.count)() == 1


# --- live frames and bursts -------------------------------------------------------------------


async def test_fast_flags_arrive_live_and_a_burst_fires_once(settings, world, observer, paths):
    settings.ROUNDS_FLAG_BURST = {"count": 3, "minutes": 5}
    hook = {"url": "http://127.0.0.1:9/hook", "secret": "s", "events": ["output_feedback.burst"]}
    from feedback.models import Webhook

    await database_sync_to_async(Webhook.objects.create)(**hook)
    query = f"?token={await token_for(observer)}"
    comm = WebsocketCommunicator(application, f"/ws/output-feedback/{query}", headers=[WS_ORIGIN])
    assert (await comm.connect(timeout=10))[0]
    assert (await comm.receive_json_from(timeout=10))["type"] == "hello"
    answers = await asyncio.gather(
        *(
            post(world["tool"].pk, fresh(world, model_version="4.1")(), world["raw"])
            for _ in range(5)
        )
    )
    assert [a["status"] for a in answers] == [201] * 5 and paths == ["fast"] * 5
    frames = [await comm.receive_json_from(timeout=10) for _ in range(6)]
    flags = sorted(f["flag"]["id"] for f in frames if f["type"] == "flag")
    assert flags == sorted(json.loads(a["body"])["id"] for a in answers)
    bursts = [f["burst"] for f in frames if f["type"] == "burst"]
    assert len(bursts) == 1 and bursts[0]["model_version"] == "4.1"
    assert await comm.receive_nothing(timeout=0.3)
    await comm.disconnect()
    deliveries = await database_sync_to_async(WebhookDelivery.objects.count)()
    assert deliveries == 1


async def test_keys_are_read_per_batch_so_a_revocation_counts_at_once(world, paths):
    assert (await post(world["tool"].pk, fresh(world)(), world["raw"]))["status"] == 201
    await database_sync_to_async(ToolKey.objects.filter(pk=world["key"].pk).update)(
        revoked_at=world["key"].created_at
    )
    assert (await post(world["tool"].pk, fresh(world)(), world["raw"]))["status"] == 401
    assert paths == ["fast"]
