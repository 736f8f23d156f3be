"""Blind-first quorum reveal and named-region pins, over the socket and REST; who may name
regions; the heat map counts region picks with pointer pins."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from feedback.models import Screen
from feedback.selectors.sessions import screen_pins
from tests.api.test_session_consumer import drain, member, new_session, new_user, opened, until
from tests.conftest import assert_error
from tests.factories_sessions import ScreenFactory

PERSONAS = ["observer", "clinician", "product_owner", "admin", "outsider", "anon"]
REGIONS = [
    {"id": "dose", "label": "Suggested dose", "box": [0.1, 0.2, 0.4, 0.2]},
    {"id": "why", "label": "Why this alert fired", "box": [0.5, 0.6, 0.5, 0.4]},
]
SCORES = {"usefulness": 4, "clarity": 3, "trust": 2, "workflow_fit": 4}


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_session_runners_name_regions_of_a_screen(clients, persona):
    screen = ScreenFactory()
    r = clients[persona].patch(f"/api/screens/{screen.pk}/", {"regions": REGIONS}, format="json")
    if persona in ("observer", "product_owner", "admin"):
        assert r.status_code == 200, r.content
        assert r.json()["regions"] == REGIONS
        assert clients["clinician"].get(f"/api/screens/{screen.pk}/").json()["regions"] == REGIONS
    else:
        assert_error(r, 401 if persona == "anon" else 403)
        assert Screen.objects.get(pk=screen.pk).regions == []
    shown = clients[persona].get(f"/api/screens/{screen.pk}/")
    if persona == "anon":
        assert_error(shown, 401)
    else:  # like /api/tools/{id}/screens/: anyone signed in reads screens
        assert shown.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "regions",
    [
        [{"id": "a", "label": "A", "box": [0.8, 0.1, 0.5, 0.1]}],  # outside the screen
        [{"id": "a", "label": "", "box": [0.1, 0.1, 0.1, 0.1]}],
        [{"id": "a", "label": "A", "box": [0.1, 0.1, 0.1, 0.1]}] * 2,  # same id twice
        [{"id": "a b", "label": "A", "box": [0.1, 0.1, 0.1, 0.1]}],
        [{"id": "a", "label": "A", "box": [0.1, 0.1, 0, 0.1]}],
        "dose",
    ],
)
def test_bad_regions_are_400(clients, regions):
    screen = ScreenFactory()
    r = clients["observer"].patch(f"/api/screens/{screen.pk}/", {"regions": regions}, format="json")
    assert "regions" in assert_error(r, 400, "invalid")["errors"]


@database_sync_to_async
def name_regions(session):
    Screen.objects.filter(pk__in=session.screen_list).update(regions=REGIONS)


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_quorum_hides_results_until_enough_participants_rated_the_shown_screen():
    session = await new_session()
    first, second = session.screen_list
    facilitator = await opened(session.code, session.facilitator)
    assert (await until(facilitator, "state"))["quorum"] is None
    a, b = await member(session), await member(session)
    await facilitator.send_json_to({"type": "show_screen", "screen": first})
    await facilitator.send_json_to({"type": "set_quorum", "quorum": 2})
    assert (await until(a, "quorum"))["quorum"] == 2
    await a.send_json_to({"type": "rate", "screen": first, "scores": SCORES, "client_id": "a1"})
    await until(a, "ack")
    frames = await drain(b)
    assert not any(f["type"] in ("aggregate", "results_visible") for f in frames), frames
    await b.send_json_to({"type": "rate", "screen": first, "scores": SCORES, "client_id": "b1"})
    assert (await until(a, "results_visible"))["visible"] is True
    agg = await until(a, "aggregate")
    assert agg["screen"] == first and agg["count"] == 2
    # A late joiner's state says so too; the next screen starts hidden again.
    late = await opened(session.code, await new_user("clinician"))
    state = await until(late, "state")
    assert state["results_visible"] is True and state["quorum"] == 2
    assert (await until(b, "results_visible"))["visible"] is True  # b saw the reveal too
    await facilitator.send_json_to({"type": "show_screen", "screen": second})
    assert (await until(b, "results_visible"))["visible"] is False
    # Only the facilitator sets a quorum.
    await a.send_json_to({"type": "set_quorum", "quorum": 1})
    assert (await until(a, "error"))["code"] == "forbidden"
    await facilitator.send_json_to({"type": "set_quorum", "quorum": 0})
    assert (await until(facilitator, "error"))["code"] == "invalid"
    for comm in (facilitator, a, b, late):
        await comm.disconnect()


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_region_pins_arrive_like_pointer_pins_and_count_on_the_heat_map():
    session = await new_session()
    first = session.screen_list[0]
    await name_regions(session)
    facilitator = await opened(session.code, session.facilitator)
    state = await until(facilitator, "state")
    assert state["session"]["screens"][0]["regions"] == REGIONS
    a = await member(session)
    await a.send_json_to({"type": "comment", "screen": first, "text": "Dose looks wrong",
                          "region": "dose", "client_id": "c1"})  # fmt: skip
    note = await until(facilitator, "comment")
    assert note["region"] == "dose" and note["pin"] == pytest.approx({"x": 0.3, "y": 0.3})
    await a.send_json_to({"type": "rate", "screen": first, "scores": SCORES, "region": "why",
                          "comment": "Explain more"})  # fmt: skip
    rated = await until(facilitator, "comment")
    assert rated["source"] == "comment" and rated["region"] == "why"
    await a.send_json_to({"type": "comment", "screen": first, "text": "x", "region": "nope"})
    assert "region" in (await until(a, "error"))["errors"]
    await a.send_json_to({"type": "comment", "screen": first, "text": "x", "region": "dose",
                          "pin": {"x": 0.5, "y": 0.5}})  # fmt: skip
    assert (await until(a, "error"))["code"] == "invalid"
    pins = await database_sync_to_async(screen_pins)(session=session, screen_id=first)
    assert sorted((round(x, 6), round(y, 6)) for x, y in pins) == [(0.3, 0.3), (0.75, 0.8)]
    await a.disconnect()
    await facilitator.disconnect()
