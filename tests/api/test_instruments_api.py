"""Questionnaires in sessions: who answers, scoring, results by role and unit with 95% CIs on
the summary, the CSV and the stats API; the `instrument` frame over the socket."""

from __future__ import annotations

import csv
import io

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from rest_framework.authtoken.models import Token

from backend.asgi import application
from feedback.instruments import PDQI9_ATTRIBUTES
from feedback.models import InstrumentResponse
from tests.conftest import assert_error, token_client
from tests.factories import UnitFactory, UserFactory
from tests.factories_sessions import make_session, screen_ids

PERSONAS = ["observer", "clinician", "product_owner", "admin", "outsider", "anon"]
ALL = ["sus", "umux_lite", "seq", "nasa_tlx", "pdqi9"]
TLX = {
    "mental": 60,
    "physical": 10,
    "temporal": 50,
    "performance": 20,
    "effort": 40,
    "frustration": 30,
}


def session_with(observer, instruments=ALL):
    return make_session(observer, instruments=instruments)


def joined(session, role, unit=None):
    user = UserFactory(roles=["clinician"])
    client = token_client(user)
    body = {"code": session.code, "role": role, "unit": unit.pk if unit else None}
    r = client.post("/api/sessions/join/", body, format="json")
    assert r.status_code == 200, r.content
    assert r.json()["participant"]["role"] == role
    return client


def answer(client, session, instrument, answers, screen=None):
    body = {"instrument": instrument, "answers": answers, "screen": screen}
    return client.post(f"/api/sessions/{session.pk}/instruments/", body, format="json")


@pytest.mark.django_db
def test_results_by_role_and_unit_with_confidence_intervals(clients, observer):
    session = session_with(observer)
    first, second = screen_ids(session)
    west, icu = UnitFactory(name="4 West"), UnitFactory(name="ICU")
    people = [joined(session, "nurse", west), joined(session, "nurse", west),
              joined(session, "physician", icu), joined(session, "pharmacist")]  # fmt: skip
    for client, (a, b) in zip(people, [(7, 6), (6, 6), (4, 5), (5, 3)], strict=True):
        assert answer(client, session, "umux_lite", [a, b]).status_code == 200
    for client, ease in zip(people, [6, 5, 2, 4], strict=True):
        assert answer(client, session, "seq", [ease], screen=first).status_code == 200
    assert answer(people[0], session, "seq", [7], screen=second).json()["score"] == 7.0
    tlx = answer(people[0], session, "nasa_tlx", TLX).json()
    assert tlx["score"] == pytest.approx(35.0) and tlx["subscales"]["mental"] == 60
    summary = clients["observer"].get(f"/api/sessions/{session.pk}/summary/").json()
    umux = summary["instruments"]["umux_lite"]
    # Scores 91.67, 83.33, 58.33, 50: mean 70.83, sd 19.84, t(3) = 3.182: +- 31.56.
    assert umux["n"] == 4 and umux["score"] == pytest.approx(70.83, abs=0.01)
    assert umux["ci95"] == pytest.approx([39.27, 100.0], abs=0.01)  # clipped at 100
    assert umux["by_role"]["nurse"] == {"score": 87.5, "n": 2, "ci95": [34.56, 100.0]}
    assert umux["by_role"]["physician"]["n"] == 1 and umux["by_role"]["physician"]["ci95"] is None
    assert (
        umux["by_unit"][str(west.pk)]["name"] == "4 West"
        and umux["by_unit"][str(west.pk)]["n"] == 2
    )
    assert umux["by_unit"]["unspecified"]["n"] == 1
    seq = summary["instruments"]["seq"]
    assert seq["n"] == 5 and seq["by_screen"][str(first)]["n"] == 4
    assert seq["by_screen"][str(first)]["score"] == 4.25
    assert summary["instruments"]["nasa_tlx"]["n"] == 1
    assert "pdqi9" not in summary["instruments"] and "sus" not in summary["instruments"]

    rows = list(csv.reader(io.StringIO(clients["observer"].get(
        f"/api/sessions/{session.pk}/instruments.csv").content.decode())))  # fmt: skip
    assert rows[0] == ["instrument", "group", "key", "label", "n", "score", "ci95_low", "ci95_high"]
    assert ["umux_lite", "all", "", "", "4", "70.83", "39.27", "100.0"] in rows
    assert ["umux_lite", "role", "nurse", "", "2", "87.5", "34.56", "100.0"] in rows
    assert any(r[:4] == ["umux_lite", "unit", str(west.pk), "4 West"] for r in rows)

    stats = clients["product_owner"].get(f"/api/stats/instruments/?tool={session.tool_id}").json()
    assert stats["instruments"]["umux_lite"]["n"] == 4
    assert stats["instruments"]["seq"]["by_role"]["physician"]["score"] == 2.0


@pytest.mark.django_db
def test_answering_again_replaces_and_bad_answers_are_400(observer):
    session = session_with(observer)
    nurse = joined(session, "nurse")
    assert answer(nurse, session, "pdqi9", {"accurate": 3}).status_code == 400
    full = dict.fromkeys(PDQI9_ATTRIBUTES, 4)
    assert answer(nurse, session, "pdqi9", full).json()["score"] == 36.0
    assert answer(nurse, session, "pdqi9", dict(full, accurate=1)).json()["score"] == 33.0
    assert InstrumentResponse.objects.filter(instrument="pdqi9").count() == 1
    assert "screen" in assert_error(answer(nurse, session, "seq", [5]), 400)["errors"]
    assert_error(answer(nurse, session, "nps", [9]), 400)
    assert_error(answer(nurse, session, "nasa_tlx", dict(TLX, mental=57)), 400)


@pytest.mark.django_db
def test_only_the_sessions_questionnaires_and_not_the_facilitator(clients, observer):
    session = session_with(observer, instruments=["seq"])
    nurse = joined(session, "nurse")
    assert_error(answer(nurse, session, "umux_lite", [5, 5]), 409, "conflict")
    facilitator = token_client(observer)
    assert_error(answer(facilitator, session, "seq", [5], screen=screen_ids(session)[0]), 403)
    stranger = token_client(UserFactory(roles=["clinician"]))
    assert_error(answer(stranger, session, "seq", [5], screen=screen_ids(session)[0]), 404)
    assert_error(answer(clients["anon"], session, "seq", [5]), 401)
    bad = clients["observer"].post(
        "/api/sessions/", {"title": "x", "tool": session.tool_id, "screens": screen_ids(session),
                           "instruments": ["sus", "nps"]}, format="json",
    )  # fmt: skip
    assert "instruments" in assert_error(bad, 400)["errors"]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_instrument_results_are_read_by_reviewers_only(clients, persona, observer):
    session = session_with(observer)
    r = clients[persona].get(f"/api/sessions/{session.pk}/instruments.csv")
    if persona == "anon":
        assert_error(r, 401)
    elif persona in ("product_owner", "admin", "observer"):  # observer is the facilitator here
        assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    else:  # like the summary: a session you may not review does not exist for you
        assert_error(r, 404)
    stats = clients[persona].get(f"/api/stats/instruments/?tool={session.tool_id}")
    if persona in ("observer", "product_owner", "admin"):
        assert stats.status_code == 200
    else:
        assert_error(stats, 401 if persona == "anon" else 403)


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_instrument_frame_is_scored_and_acknowledged(observer):
    session = await database_sync_to_async(session_with)(observer)
    user = await database_sync_to_async(UserFactory)(roles=["clinician"])
    token = await database_sync_to_async(lambda: Token.objects.create(user=user).key)()
    comm = WebsocketCommunicator(
        application, f"/ws/sessions/{session.code}/?token={token}",
        [(b"origin", b"http://127.0.0.1:8000")],
    )  # fmt: skip
    assert (await comm.connect())[0]
    assert (await comm.receive_json_from(timeout=3))["type"] == "state"
    await comm.send_json_to({"type": "instrument", "instrument": "umux_lite", "answers": [6, 5],
                             "client_id": "q1"})  # fmt: skip
    frames = [await comm.receive_json_from(timeout=3) for _ in range(2)]
    ack = next(f for f in frames if f["type"] == "ack")
    assert ack["client_id"] == "q1" and ack["score"] == 75.0
    await comm.send_json_to({"type": "instrument", "instrument": "umux_lite", "answers": [9, 5]})
    error = await comm.receive_json_from(timeout=3)
    while error["type"] != "error":
        error = await comm.receive_json_from(timeout=3)
    assert error["code"] == "invalid" and "answers" in error["errors"]
    await comm.disconnect()
