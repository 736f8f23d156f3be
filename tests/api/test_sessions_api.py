"""Sessions over REST: create, see, join (users, guests), rate, end, SUS, summary, QR, heat map."""

from __future__ import annotations

import io
import re
import time

import pytest
import segno
from django.core import signing
from PIL import Image

from api.guest import guest_token
from feedback import codes
from feedback.context import Actor
from feedback.models import Rating
from feedback.services import sessions as svc
from tests.conftest import assert_error
from tests.factories import ToolFactory
from tests.factories_sessions import ScreenFactory, join, make_session, screen_ids

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(observer):
    return make_session(observer, allow_guests=False)


def create_body(screens=2, **extra):
    tool = ToolFactory()
    ids = [ScreenFactory(tool=tool).pk for _ in range(screens)]
    return {"title": "Discharge checklist round", "tool": tool.pk, "screens": ids, **extra}


@pytest.mark.parametrize(
    ("persona", "status"),
    [("observer", 201), ("product_owner", 201), ("admin", 201), ("clinician", 403),
     ("outsider", 403), ("anon", 401)],
)  # fmt: skip
def test_who_may_create_a_session(clients, personas, persona, status):
    response = clients[persona].post("/api/sessions/", create_body(), format="json")
    assert response.status_code == status, response.content[:300]
    if status == 201:
        body = response.json()
        assert body["state"] == "open" and codes.is_valid(body["code"])
        assert body["join_url"] == f"http://testserver/join/{body['code']}"
        assert body["facilitator"] == personas[persona].pk
        assert body["dimensions"] == ["usefulness", "clarity", "trust", "workflow_fit"]
        assert len(body["screens"]) == 2 and body["screens"][0]["image_url"]


def test_public_base_url_setting_builds_join_url(clients, settings):
    settings.PUBLIC_BASE_URL = "https://rounds.example.org"
    body = clients["observer"].post("/api/sessions/", create_body(), format="json").json()
    assert body["join_url"] == f"https://rounds.example.org/join/{body['code']}"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": ""}, "title"),
        ({"tool": 999999}, "tool"),
        ({"screens": []}, "screens"),
        ({"screens": "1,2"}, "screens"),
        ({"dimensions": ["Usefulness!"]}, "dimensions"),
        ({"allow_guests": "maybe"}, "allow_guests"),
        ({"tool": 10**30}, "tool"),
        ({"screens": [10**30]}, "screens"),
    ],
)
def test_bad_create_bodies_are_400_with_field_errors(clients, change, field):
    body = assert_error(
        clients["observer"].post("/api/sessions/", {**create_body(), **change}, format="json"),
        400,
        "invalid",
    )
    assert field in body["errors"]


def test_screens_of_another_tool_are_refused(clients):
    body = create_body()
    body["screens"].append(ScreenFactory().pk)
    err = assert_error(clients["observer"].post("/api/sessions/", body, format="json"), 400)
    assert "screens" in err["errors"]


def test_null_dimensions_mean_the_defaults(clients):
    response = clients["observer"].post(
        "/api/sessions/", create_body(dimensions=None), format="json"
    )
    assert response.status_code == 201, response.content[:300]
    assert response.json()["dimensions"] == ["usefulness", "clarity", "trust", "workflow_fit"]


def test_custom_dimensions_are_kept(clients):
    body = create_body(dimensions=["speed", "safety"])
    assert clients["admin"].post("/api/sessions/", body, format="json").json()["dimensions"] == [
        "speed",
        "safety",
    ]


@pytest.mark.parametrize(
    ("persona", "status"),
    [("observer", 200), ("product_owner", 200), ("admin", 200), ("clinician", 404),
     ("outsider", 404), ("anon", 401)],
)  # fmt: skip
def test_who_may_see_a_session(clients, session, persona, status):
    response = clients[persona].get(f"/api/sessions/{session.pk}/")
    assert response.status_code == status
    if status == 200:
        assert response.json()["code"] == session.code


def test_another_observer_does_not_see_my_session(client, session, make_user):
    from tests.conftest import token_client

    other = token_client(make_user("observer"))
    assert_error(other.get(f"/api/sessions/{session.pk}/"), 404)


def test_a_participant_sees_the_session_they_joined(clients, clinician, session):
    join(session, clinician)
    assert clients["clinician"].get(f"/api/sessions/{session.pk}/").status_code == 200


def test_session_list_shows_only_visible_sessions_with_pinned_queries(
    clients, observer, django_assert_max_num_queries
):
    mine = [make_session(observer) for _ in range(4)]
    make_session()  # someone else's
    with django_assert_max_num_queries(6):
        response = clients["observer"].get("/api/sessions/")
    assert [s["id"] for s in response.json()["results"]] == sorted(
        (s.pk for s in mine), reverse=True
    )
    assert len(clients["admin"].get("/api/sessions/").json()["results"]) == 5


def test_mine_lists_only_the_sessions_you_facilitate(clients, observer, admin_user):
    theirs = make_session(admin_user)
    joined = make_session()
    join(joined, observer)
    mine = make_session(observer)
    assert [s["id"] for s in clients["observer"].get("/api/sessions/").json()["results"]] == [
        mine.pk,
        joined.pk,
    ]
    listed = clients["observer"].get("/api/sessions/?mine=true").json()["results"]
    assert [s["id"] for s in listed] == [mine.pk]
    # An admin may read every session; `mine` narrows it to hers, and widens nothing for others.
    mine_admin = clients["admin"].get("/api/sessions/?mine=true").json()["results"]
    assert [s["id"] for s in mine_admin] == [theirs.pk]
    assert clients["clinician"].get("/api/sessions/?mine=true").status_code == 403


# --- join ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [("observer", 200), ("clinician", 200), ("product_owner", 200), ("admin", 200),
     ("outsider", 403), ("anon", 401)],
)  # fmt: skip
def test_who_may_join_a_session_without_guests(clients, session, persona, status):
    response = clients[persona].post(
        "/api/sessions/join/", {"code": session.code, "display_name": "RN 4W"}, format="json"
    )
    assert response.status_code == status, response.content[:300]
    if status == 200:
        body = response.json()
        assert body["session"]["id"] == session.pk and "guest_token" not in body
        assert body["participant"]["session"] == session.pk


def test_code_is_matched_however_it_was_typed(clients, session):
    typed = f" {session.code[:3].lower()}-{session.code[3:].lower()} "
    response = clients["clinician"].post("/api/sessions/join/", {"code": typed}, format="json")
    assert response.status_code == 200


@pytest.mark.parametrize("code", ["ACDEFG", "O0O0O0", "", "x" * 40])
def test_wrong_code_is_404_or_400(clients, session, code):
    response = clients["clinician"].post("/api/sessions/join/", {"code": code}, format="json")
    assert response.status_code in (400, 404) and response.json()["code"] in (
        "invalid",
        "not_found",
    )
    if code.strip():
        assert response.status_code == 404


def test_ended_session_cannot_be_joined_and_says_it_ended_and_nothing_more(clients, session):
    me = session.participants.get(is_facilitator=True)
    svc.session_end(actor=Actor(user=session.facilitator), participant=me, collect_sus=False)
    for persona in ("clinician", "anon"):
        body = assert_error(
            clients[persona].post("/api/sessions/join/", {"code": session.code}, format="json"),
            404,
        )
        assert body["code"] == "session_ended"
        assert body["detail"] == "This session has ended."
        assert session.title not in str(body) and str(session.pk) not in str(body)


def test_anonymous_guest_gets_a_token_that_rates(clients):
    guests = make_session(allow_guests=True)
    body = (
        clients["anon"]
        .post(
            "/api/sessions/join/", {"code": guests.code, "display_name": "Student"}, format="json"
        )
        .json()
    )
    assert body["participant"]["is_guest"] is True and body["guest_token"]
    response = clients["anon"].post(
        f"/api/sessions/{guests.pk}/ratings/",
        {"screen": screen_ids(guests)[0], "scores": {"trust": 4}},
        format="json",
        HTTP_X_GUEST_TOKEN=body["guest_token"],
    )
    assert response.status_code == 200 and response.json()["scores"] == {"trust": 4}


def test_guest_token_works_as_a_query_parameter_like_on_the_socket(clients):
    guests = make_session(allow_guests=True)
    token = guest_token(session_id=guests.pk, participant_id=join(guests).pk)
    response = clients["anon"].post(
        f"/api/sessions/{guests.pk}/ratings/?guest={token}",
        {"screen": screen_ids(guests)[0], "scores": {"clarity": 5}},
        format="json",
    )
    assert response.status_code == 200, response.content[:300]
    assert Rating.objects.get().scores == {"clarity": 5}


def test_guest_token_of_one_session_is_refused_on_another(clients):
    first, second = make_session(allow_guests=True), make_session(allow_guests=True)
    token = guest_token(session_id=first.pk, participant_id=join(first).pk)
    response = clients["anon"].post(
        f"/api/sessions/{second.pk}/ratings/",
        {"screen": screen_ids(second)[0], "scores": {"trust": 4}},
        format="json",
        HTTP_X_GUEST_TOKEN=token,
    )
    assert_error(response, 403, "forbidden")
    forged = clients["anon"].post(
        f"/api/sessions/{first.pk}/ratings/", {}, format="json", HTTP_X_GUEST_TOKEN="x:y"
    )
    assert_error(forged, 401)


def test_expired_guest_token_is_refused_401(clients, monkeypatch, settings):
    guests = make_session(allow_guests=True)
    old = int(time.time()) - settings.GUEST_TOKEN_MAX_AGE - 60
    monkeypatch.setattr(signing.TimestampSigner, "timestamp", lambda self: signing.b62_encode(old))
    token = guest_token(session_id=guests.pk, participant_id=join(guests).pk)
    monkeypatch.undo()
    response = clients["anon"].post(
        f"/api/sessions/{guests.pk}/ratings/",
        {"screen": screen_ids(guests)[0], "scores": {"trust": 4}},
        format="json",
        HTTP_X_GUEST_TOKEN=token,
    )
    assert_error(response, 401, "not_authenticated")
    assert not Rating.objects.exists()


# --- ratings -------------------------------------------------------------------------------------


def rate(client, session, **body):
    body = {"screen": screen_ids(session)[0], "scores": {"trust": 3}, **body}
    return client.post(f"/api/sessions/{session.pk}/ratings/", body, format="json")


@pytest.mark.parametrize(
    ("persona", "status"),
    [("clinician", 200), ("product_owner", 403), ("admin", 403), ("observer", 403),
     ("outsider", 404), ("anon", 401)],
)  # fmt: skip
def test_who_may_rate_over_rest(clients, personas, session, persona, status):
    if persona == "clinician":
        join(session, personas["clinician"])
    # the observer is the facilitator, who steers rather than rates
    assert rate(clients[persona], session).status_code == status


def test_rerating_over_rest_replaces_and_masks_phi(clients, clinician, session):
    join(session, clinician)
    rate(clients["clinician"], session, scores={"trust": 1})
    body = rate(
        clients["clinician"],
        session,
        scores={"trust": 5},
        comment="ring me on (555) 201-3344",
        pin={"x": 0.1, "y": 0.9},
    ).json()
    assert body["phi_redacted"] == ["PHONE"] and "201-3344" not in body["comment"]
    assert Rating.objects.filter(session=session).count() == 1
    assert Rating.objects.get().scores == {"trust": 5}


@pytest.mark.parametrize("client_id", ["r-17", 42, "6C1F5A9E-4B7D-4E0A-9D55-0B6A1D2F3E4C"])
def test_any_client_id_is_accepted_and_echoed_as_sent(clients, clinician, session, client_id):
    join(session, clinician)
    response = rate(clients["clinician"], session, client_id=client_id)
    assert response.status_code == 200, response.content[:300]
    assert response.json()["client_id"] == client_id


@pytest.mark.parametrize(
    "body",
    [{"scores": {"trust": 6}}, {"scores": {"nope": 2}}, {"scores": "high"}, {"screen": 999999},
     {"pin": {"x": -0.1, "y": 0.5}}, {"comment": "x" * 2001}, {"client_id": "x" * 101},
     {"client_id": {"id": 1}}, {"client_id": True},
     {"screen": 10**30}, {"scores": {"trust": 10**30}}],
)  # fmt: skip
def test_bad_ratings_are_400(clients, clinician, session, body):
    join(session, clinician)
    assert_error(rate(clients["clinician"], session, **body), 400, "invalid")
    assert not Rating.objects.exists()


# --- end, SUS, summary, QR, heat map -------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [("observer", 200), ("product_owner", 403), ("admin", 403), ("clinician", 403),
     ("outsider", 404), ("anon", 401)],
)  # fmt: skip
def test_only_the_facilitator_ends_a_session(clients, personas, session, persona, status):
    if persona == "clinician":
        join(session, personas["clinician"])
    response = clients[persona].post(f"/api/sessions/{session.pk}/end/", {}, format="json")
    assert response.status_code == status
    if status == 200:
        assert response.json()["state"] == "ended"


def test_summary_has_aggregates_comments_pins_and_sus(clients, clinician, session):
    casey = join(session, clinician)
    first = screen_ids(session)[0]
    svc.rating_submit(
        participant=casey, screen_id=first, scores={"trust": 4, "clarity": 2},
        comment="Font too small", pin={"x": 0.3, "y": 0.3},
    )  # fmt: skip
    svc.comment_add(participant=casey, screen_id=first, text="Where is the dose?", pin=None)
    me = session.participants.get(is_facilitator=True)
    svc.session_end(actor=Actor(user=session.facilitator), participant=me, collect_sus=True)
    assert clients["clinician"].post(
        f"/api/sessions/{session.pk}/sus/", {"answers": [5, 1] * 5}, format="json"
    ).json() == {"score": 100.0}
    body = clients["observer"].get(f"/api/sessions/{session.pk}/summary/").json()
    one, two = body["screens"]
    assert (one["screen"], one["count"], one["means"]["trust"]) == (first, 1, 4.0)
    assert one["histograms"]["clarity"] == [0, 1, 0, 0, 0] and one["means"]["usefulness"] is None
    assert {c["text"] for c in one["comments"]} == {"Font too small", "Where is the dose?"}
    assert one["pins"] == [{"x": 0.3, "y": 0.3}]
    assert two["count"] == 0 and two["comments"] == []
    assert body["sus"] == {"responses": 1, "mean": 100.0, "scores": [100.0]}


def test_summary_without_sus_says_null(clients, session):
    assert clients["observer"].get(f"/api/sessions/{session.pk}/summary/").json()["sus"] is None


@pytest.mark.parametrize(
    ("persona", "status"),
    [("observer", 200), ("product_owner", 200), ("admin", 200), ("clinician", 404),
     ("outsider", 404), ("anon", 401)],
)  # fmt: skip
@pytest.mark.parametrize("path", ["summary/", "qr.svg"])
def test_who_may_see_summary_and_qr(clients, personas, session, persona, status, path):
    join(session, personas["clinician"])  # even a participant may not
    response = clients[persona].get(f"/api/sessions/{session.pk}/{path}")
    assert response.status_code == status


def test_qr_is_an_svg_of_the_join_url(clients, session):
    response = clients["observer"].get(f"/api/sessions/{session.pk}/qr.svg")
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.lstrip().startswith(b"<svg") and b"<path" in response.content


def svg_modules(svg: str) -> set[tuple[int, int]]:
    """The dark modules of segno's one-path SVG (absolute M, relative m and h moves)."""
    path = re.search(r' d="([^"]+)"', svg)
    assert path, svg[:200]
    dark, x, y = set(), 0, 0
    for cmd, arg in re.findall(r"([Mmh])(-?\d+(?: -?[\d.]+)?)", path.group(1)):
        if cmd == "h":
            dark |= {(x + i, y) for i in range(int(arg))}
            x += int(arg)
            continue
        dx, dy = (int(float(v)) for v in arg.split())  # rows are drawn at y + 0.5
        x, y = (dx, dy) if cmd == "M" else (x + dx, y + dy)
    return dark


def test_qr_decodes_to_the_join_url(clients, session):
    join_url = clients["observer"].get(f"/api/sessions/{session.pk}/").json()["join_url"]
    svg = clients["observer"].get(f"/api/sessions/{session.pk}/qr.svg").content.decode()

    def modules(text: str) -> set[tuple[int, int]]:
        matrix = segno.make(text, error="m").matrix
        return {(c, r) for r, row in enumerate(matrix) for c, v in enumerate(row) if v}

    drawn = svg_modules(svg)
    left, top = min(x for x, _ in drawn), min(y for _, y in drawn)
    drawn = {(x - left, y - top) for x, y in drawn}  # the finder pattern touches the quiet zone
    assert drawn == modules(join_url) and drawn != modules(join_url + "X")


def heat(client, session, screen_id, query=None):
    q = f"?session={session.pk}" if query is None else query
    return client.get(f"/api/screens/{screen_id}/heatmap.png{q}")


def test_heatmap_draws_pins_on_the_screen(clients, clinician, session):
    casey = join(session, clinician)
    first = screen_ids(session)[0]
    before = Image.open(io.BytesIO(heat(clients["observer"], session, first).content))
    for _ in range(5):
        svc.comment_add(participant=casey, screen_id=first, text="here", pin={"x": 0.5, "y": 0.5})
    response = heat(clients["observer"], session, first)
    assert response["Content-Type"] == "image/png"
    after = Image.open(io.BytesIO(response.content)).convert("RGB")
    assert after.size == (400, 300)
    assert after.getpixel((200, 150)) != before.convert("RGB").getpixel((200, 150))
    assert after.getpixel((5, 295)) == before.convert("RGB").getpixel((5, 295))


def test_heatmap_refusals(clients, session):
    first = screen_ids(session)[0]
    assert_error(heat(clients["observer"], session, ScreenFactory().pk), 404)
    assert_error(heat(clients["observer"], session, first, query=""), 400, "invalid")
    assert_error(heat(clients["observer"], session, first, query="?session=x"), 400, "invalid")
    assert_error(heat(clients["clinician"], session, first), 404)
    assert_error(heat(clients["anon"], session, first), 401)
