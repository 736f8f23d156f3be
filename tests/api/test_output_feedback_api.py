"""AI output feedback API: tool keys (scope, revocation, origins), flags (taxonomy, harm, PHI,
idempotency, anonymous limits, reporter tokens), listing, backlog evidence and bursts."""

from __future__ import annotations

import hashlib

import pytest

from feedback.models import AuditEntry, OutputFeedback, ToolKey, WebhookDelivery
from tests.conftest import assert_error
from tests.factories import ToolFactory
from tests.factories_flags import FlagFactory, flag_body, issue_key

pytestmark = pytest.mark.django_db
PERSONAS = ["observer", "clinician", "product_owner", "admin", "outsider", "anon"]
HOST = "http://127.0.0.1:8123"


def expected(persona, allowed, ok):
    if persona == "anon":
        return 401
    return ok if persona in allowed else 403


def keyed(client, tool, key, body, origin=None):
    headers = {"HTTP_X_ROUNDS_TOOL_KEY": key}
    if origin:
        headers["HTTP_ORIGIN"] = origin
    return client.post(f"/api/tools/{tool.pk}/output-feedback/", body, format="json", **headers)


@pytest.fixture
def tool():
    return ToolFactory(name="Discharge summary drafter")


@pytest.fixture
def key(tool):
    return issue_key(tool, [HOST])


# --- keys ------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_admins_and_product_owners_issue_list_and_revoke_keys(clients, persona, tool):
    r = clients[persona].post(f"/api/tools/{tool.pk}/keys/", {"origins": [HOST]}, format="json")
    code = expected(persona, ("admin", "product_owner"), 201)
    if code != 201:
        assert_error(r, code)
        assert not ToolKey.objects.exists()
        made, _ = issue_key(tool)
        assert_error(clients[persona].get(f"/api/tools/{tool.pk}/keys/"), code)
        assert_error(clients[persona].delete(f"/api/tools/{tool.pk}/keys/{made.pk}/"), code)
        made.refresh_from_db()
        assert made.revoked_at is None
        return
    body = r.json()
    assert set(body) >= {"id", "key", "origins"} and body["origins"] == [HOST]
    assert body["key"].startswith("rtk_")
    listed = clients[persona].get(f"/api/tools/{tool.pk}/keys/").json()["results"]
    assert [k["id"] for k in listed] == [body["id"]]
    assert "key" not in listed[0]  # shown once
    assert clients[persona].delete(f"/api/tools/{tool.pk}/keys/{body['id']}/").status_code == 204


def test_key_is_stored_hashed_and_never_returned_again(clients, tool):
    body = (
        clients["admin"]
        .post(
            f"/api/tools/{tool.pk}/keys/", {"origins": ["https://EHR.Example:443/"]}, format="json"
        )
        .json()
    )
    row = ToolKey.objects.get(pk=body["id"])
    assert row.key_hash == hashlib.sha256(body["key"].encode()).hexdigest()
    assert body["key"] not in str(ToolKey.objects.filter(pk=row.pk).values().first())
    assert body["key"] not in str(list(AuditEntry.objects.values()))
    assert row.origins == ["https://ehr.example"]  # normalized as browsers send Origin


@pytest.mark.parametrize(
    "origins",
    [["ehr.example"], ["https://ehr.example/path"], ["ftp://ehr.example"], "https://a.example"],
)
def test_bad_origins_are_refused(clients, tool, origins):
    r = clients["admin"].post(f"/api/tools/{tool.pk}/keys/", {"origins": origins}, format="json")
    assert "origins" in assert_error(r, 400, "invalid")["errors"]


def test_keys_of_an_unknown_tool_are_404(clients):
    assert_error(clients["admin"].post("/api/tools/999/keys/", {}, format="json"), 404)


def test_revoked_key_is_refused_at_once(clients, tool, key):
    row, raw = key
    assert keyed(clients["anon"], tool, raw, flag_body()).status_code == 201
    assert clients["admin"].delete(f"/api/tools/{tool.pk}/keys/{row.pk}/").status_code == 204
    assert_error(keyed(clients["anon"], tool, raw, flag_body()), 401, "not_authenticated")


def test_a_key_works_only_for_its_own_tool(clients, tool, key):
    other = ToolFactory()
    r = keyed(clients["anon"], other, key[1], flag_body())
    assert_error(r, 403, "forbidden")
    assert not OutputFeedback.objects.filter(tool=other).exists()


@pytest.mark.parametrize("raw", ["", "nonsense", "rtk_abc", "rtk_deadbeef0000_wrong"])
def test_unknown_keys_are_401(clients, tool, key, raw):
    r = keyed(clients["anon"], tool, raw or "x", flag_body())
    assert_error(r, 401, "not_authenticated")


# --- origins and CORS -----------------------------------------------------------------------


def test_browser_flag_from_an_allowed_origin_gets_cors_headers(clients, tool, key):
    r = keyed(clients["anon"], tool, key[1], flag_body(), origin=HOST)
    assert r.status_code == 201, r.content
    assert r["Access-Control-Allow-Origin"] == HOST
    assert "Origin" in r["Vary"]
    assert "Access-Control-Allow-Credentials" not in r


def test_browser_flag_from_another_origin_is_refused(clients, tool, key):
    r = keyed(clients["anon"], tool, key[1], flag_body(), origin="http://evil.example")
    assert_error(r, 403, "forbidden")
    assert "Access-Control-Allow-Origin" not in r
    assert not OutputFeedback.objects.exists()


def test_preflight_answers_allowed_origins_only(clients, tool, key):
    url = f"/api/tools/{tool.pk}/output-feedback/"
    ok = clients["anon"].options(
        url,
        HTTP_ORIGIN=HOST,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="content-type,x-rounds-tool-key",
    )
    assert ok.status_code == 204
    assert ok["Access-Control-Allow-Origin"] == HOST
    assert "x-rounds-tool-key" in ok["Access-Control-Allow-Headers"]
    assert "POST" in ok["Access-Control-Allow-Methods"]
    bad = clients["anon"].options(url, HTTP_ORIGIN="http://evil.example")
    assert bad.status_code == 403 and "Access-Control-Allow-Origin" not in bad
    key[0].revoked_at = key[0].created_at
    key[0].save()
    gone = clients["anon"].options(url, HTTP_ORIGIN=HOST)
    assert gone.status_code == 403 and "Access-Control-Allow-Origin" not in gone


def test_server_to_server_calls_send_no_origin_and_need_none(clients, tool):
    _, raw = issue_key(tool, [])
    assert keyed(clients["anon"], tool, raw, flag_body()).status_code == 201
    assert_error(keyed(clients["anon"], tool, raw, flag_body(), origin=HOST), 403)


# --- the flag itself ------------------------------------------------------------------------


def test_flag_is_stored_with_every_field(clients, tool, key):
    body = flag_body(harm="severe", harm_reached=True)
    r = keyed(clients["anon"], tool, key[1], body)
    assert r.status_code == 201, r.content
    out = r.json()
    assert out["tool"] == tool.pk and out["client_id"] == body["client_id"]
    assert out["output_ref"] == body["output_ref"] and out["model_version"] == "scribe-2.3.1"
    assert out["verdict"] == "not_helpful"
    assert out["categories"] == ["hallucination", "omission"]  # taxonomy order
    assert out["harm"] == "severe" and out["harm_reached"] is True
    assert out["anonymous"] is True and out["reporter"] is None
    assert OutputFeedback.objects.get(pk=out["id"]).key_id == key[0].pk


def test_same_client_id_replays_and_changed_content_conflicts(clients, tool, key):
    body = flag_body()
    first = keyed(clients["anon"], tool, key[1], body)
    again = keyed(clients["anon"], tool, key[1], body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    changed = keyed(clients["anon"], tool, key[1], dict(body, harm="severe"))
    assert_error(changed, 409, "conflict")
    assert OutputFeedback.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"categories": ["wrong"]}, "categories"),
        ({"categories": ["omission", "omission"]}, "categories"),
        ({"harm": "catastrophic"}, "harm"),
        ({"harm": None, "harm_reached": True}, "harm_reached"),
        ({"verdict": "meh"}, "verdict"),
        ({"output_ref": "The patient has a history of CHF and was given"}, "output_ref"),
        ({"output_ref": ""}, "output_ref"),
        ({"model_version": "v 1"}, "model_version"),
        ({"client_id": "not-a-uuid"}, "client_id"),
        ({"harm_reached": "sometimes"}, "harm_reached"),
        ({"comment": "x" * 2001}, "comment"),
    ],
)
def test_taxonomy_harm_and_shape_are_validated(clients, tool, key, change, field):
    r = keyed(clients["anon"], tool, key[1], flag_body(**change))
    assert field in assert_error(r, 400, "invalid")["errors"]
    assert not OutputFeedback.objects.exists()


@pytest.mark.parametrize("harm", ["none", "mild", "moderate", "severe", "death"])
def test_every_ahrq_harm_level_is_accepted(clients, tool, key, harm):
    assert keyed(clients["anon"], tool, key[1], flag_body(harm=harm)).status_code == 201


def test_comments_go_through_the_phi_guard(clients, tool, key):
    comment = "Summary for John Smith MRN 00482913 listed the wrong dose; call 617-555-0199"
    r = keyed(clients["anon"], tool, key[1], flag_body(comment=comment))
    out = r.json()
    assert "John Smith" not in out["comment"] and "00482913" not in out["comment"]
    assert "617-555-0199" not in out["comment"]
    assert "[REDACTED-NAME]" in out["comment"] and "[REDACTED-MRN]" in out["comment"]
    assert {"NAME", "MRN", "PHONE"} <= set(out["phi_redacted"])
    stored = OutputFeedback.objects.get(pk=out["id"])
    assert "Smith" not in stored.comment and "00482913" not in stored.comment
    # A replay of the same raw comment is the same flag, not a conflict.
    assert (
        keyed(
            clients["anon"],
            tool,
            key[1],
            dict(flag_body(comment=comment), client_id=out["client_id"]),
        ).status_code
        == 200
    )


def test_anonymous_flags_are_limited_per_key(clients, tool, key, settings):
    settings.ROUNDS_ANONYMOUS_FLAGS_PER_MINUTE = 3
    for _ in range(3):
        assert keyed(clients["anon"], tool, key[1], flag_body()).status_code == 201
    r = keyed(clients["anon"], tool, key[1], flag_body())
    assert_error(r, 429, "throttled")
    assert 1 <= int(r["Retry-After"]) <= 60
    # Another key has its own budget; signed-in reporters are not anonymous.
    _, other = issue_key(tool)
    assert keyed(clients["anon"], tool, other, flag_body()).status_code == 201
    token = clients["clinician"].post(f"/api/tools/{tool.pk}/reporter-token/").json()["reporter"]
    signed = keyed(clients["anon"], tool, key[1], flag_body(reporter=token))
    assert signed.status_code == 201 and signed.json()["anonymous"] is False
    # A replay of an already stored flag is never throttled.
    first = OutputFeedback.objects.filter(reporter=None, key=key[0]).first()
    replay = flag_body(
        client_id=str(first.client_id),
        output_ref=first.output_ref,
        model_version=first.model_version,
        categories=first.categories,
        harm=first.harm,
        comment=first.comment,
    )
    assert keyed(clients["anon"], tool, key[1], replay).status_code == 200


# --- who reports ----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_users_may_flag_with_their_own_sign_in(clients, personas, persona, tool):
    r = clients[persona].post(f"/api/tools/{tool.pk}/output-feedback/", flag_body(), format="json")
    code = expected(persona, ("observer", "clinician", "product_owner", "admin"), 201)
    if code != 201:
        assert_error(r, code)
        return
    assert r.json()["reporter"] == personas[persona].pk and r.json()["anonymous"] is False


@pytest.mark.parametrize("persona", PERSONAS)
def test_reporter_tokens_are_for_users_with_a_role(clients, persona, tool):
    r = clients[persona].post(f"/api/tools/{tool.pk}/reporter-token/")
    code = expected(persona, ("observer", "clinician", "product_owner", "admin"), 201)
    if code != 201:
        assert_error(r, code)
    else:
        assert set(r.json()) == {"reporter", "expires_at"}


def test_reporter_token_names_the_clinician_for_that_tool_only(clients, clinician, tool, key):
    token = clients["clinician"].post(f"/api/tools/{tool.pk}/reporter-token/").json()["reporter"]
    r = keyed(clients["anon"], tool, key[1], flag_body(reporter=token), origin=HOST)
    assert r.status_code == 201 and r.json()["reporter"] == clinician.pk
    other = ToolFactory()
    _, other_key = issue_key(other)
    wrong_tool = keyed(clients["anon"], other, other_key, flag_body(reporter=token))
    assert "reporter" in assert_error(wrong_tool, 400, "invalid")["errors"]
    forged = keyed(clients["anon"], tool, key[1], flag_body(reporter=token[:-2] + "xx"))
    assert_error(forged, 400, "invalid")
    clinician.is_active = False
    clinician.save()
    assert_error(keyed(clients["anon"], tool, key[1], flag_body(reporter=token)), 400)


def test_unknown_tool_is_404_for_signed_in_flags(clients):
    assert_error(
        clients["clinician"].post("/api/tools/424242/output-feedback/", flag_body(), format="json"),
        404,
    )


# --- reading --------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_flags_are_read_by_observers_product_owners_and_admins(clients, persona, tool):
    FlagFactory(tool=tool)
    r = clients[persona].get(f"/api/tools/{tool.pk}/output-feedback/")
    code = expected(persona, ("observer", "product_owner", "admin"), 200)
    if code != 200:
        assert_error(r, code)
    else:
        assert len(r.json()["results"]) == 1 and set(r.json()) == {"results", "next", "previous"}


def test_list_filters_and_pages(clients, tool, django_assert_max_num_queries):
    FlagFactory(tool=tool, model_version="1.0", harm="mild", harm_rank=1)
    severe = FlagFactory(
        tool=tool, model_version="1.1", harm="severe", harm_rank=3, categories=["unsafe_suggestion"]
    )
    FlagFactory(tool=tool, model_version="1.1", verdict="helpful", categories=[])
    FlagFactory()  # another tool
    url = f"/api/tools/{tool.pk}/output-feedback/"
    get = clients["observer"].get

    def ids(query):
        return [f["id"] for f in get(url + query).json()["results"]]

    assert len(ids("")) == 3
    assert len(ids("?model_version=1.1")) == 2
    assert ids("?category=unsafe_suggestion") == [severe.pk]
    assert ids("?harm_min=moderate") == [severe.pk]
    assert len(ids("?harm_min=none")) == 2
    assert len(ids("?since=2000-01-01T00:00:00Z&until=2999-01-01T00:00:00Z")) == 3
    assert ids("?until=2000-01-01T00:00:00Z") == []
    for bad in ("?harm_min=awful", "?category=nope", "?since=yesterday"):
        assert_error(get(url + bad), 400, "invalid")
    first = get(url + "?page_size=2").json()
    assert len(first["results"]) == 2 and first["next"]
    second = get(first["next"]).json()
    assert len(second["results"]) == 1 and second["next"] is None
    with django_assert_max_num_queries(4):
        get(url)


# --- evidence, priority and bursts ----------------------------------------------------------


def test_flags_are_backlog_evidence_on_create_and_link(clients, clinician, tool, key):
    token = clients["clinician"].post(f"/api/tools/{tool.pk}/reporter-token/").json()["reporter"]
    mine = keyed(clients["anon"], tool, key[1], flag_body(reporter=token)).json()
    anon = keyed(clients["anon"], tool, key[1], flag_body(harm="severe")).json()
    item = (
        clients["product_owner"]
        .post(
            "/api/backlog/",
            {"title": "Scribe drops anticoag changes", "output_feedback": [mine["id"]]},
            format="json",
        )
        .json()
    )
    assert item["evidence_counts"]["output_feedback"] == 1
    assert clinician.pk in item["followers"]
    assert [f["id"] for f in item["evidence"]["output_feedback"]] == [mine["id"]]
    before = item["priority"]
    linked = (
        clients["product_owner"]
        .post(
            f"/api/backlog/{item['id']}/evidence/", {"output_feedback": [anon["id"]]}, format="json"
        )
        .json()
    )
    assert linked["evidence_counts"]["output_feedback"] == 2
    assert linked["priority"] > before
    assert linked["priority_breakdown"]["ai_harm"] > 0
    assert linked["patient_safety"] is True  # severe harm possible is patient-safety evidence
    bad = clients["product_owner"].post(
        f"/api/backlog/{item['id']}/evidence/", {"output_feedback": [987654]}, format="json"
    )
    assert "output_feedback" in assert_error(bad, 400)["errors"]
    # The clinician who flagged sees the item, with only their own flag.
    own = clients["clinician"].get(f"/api/backlog/{item['id']}/").json()["evidence"]
    assert [f["id"] for f in own["output_feedback"]] == [mine["id"]]
    csv = clients["product_owner"].get("/api/backlog/export.csv")
    lines = b"".join(csv.streaming_content).decode().splitlines()
    assert "output_feedback" in lines[0].split(",")


def test_harm_reached_outranks_harm_possible_and_reporters_count_once(clients, tool):
    def item_with(*flags):
        return (
            clients["product_owner"]
            .post(
                "/api/backlog/",
                {"title": "t", "output_feedback": [f.pk for f in flags]},
                format="json",
            )
            .json()
        )

    possible = FlagFactory(tool=tool, harm="mild", harm_rank=1)
    reached = FlagFactory(tool=tool, harm="mild", harm_rank=1, harm_reached=True)
    a = item_with(possible)["priority_breakdown"]["ai_harm"]
    b = item_with(reached)["priority_breakdown"]["ai_harm"]
    assert b > a > 0


def test_a_burst_on_one_model_version_shows_on_stats_and_fires_a_webhook(
    clients, tool, key, settings
):
    settings.ROUNDS_FLAG_BURST = {"count": 3, "minutes": 10}
    hook = clients["admin"].post(
        "/api/webhooks/",
        {
            "url": "http://127.0.0.1:9/hook",
            "secret": "synthetic-secret",
            "events": ["output_feedback.burst"],
        },
        format="json",
    )
    assert hook.status_code == 201, hook.content
    for _ in range(2):
        keyed(clients["anon"], tool, key[1], flag_body(model_version="3.0"))
    keyed(clients["anon"], tool, key[1], flag_body(model_version="2.9"))
    stats = clients["observer"].get(f"/api/stats/output-feedback/?tool={tool.pk}").json()
    assert not any(v["burst"] for v in stats["versions"])
    assert not WebhookDelivery.objects.exists()
    for _ in range(3):
        keyed(clients["anon"], tool, key[1], flag_body(model_version="3.0"))
    stats = clients["observer"].get(f"/api/stats/output-feedback/?tool={tool.pk}").json()
    by_version = {v["model_version"]: v for v in stats["versions"]}
    assert by_version["3.0"]["burst"] is True and by_version["3.0"]["count"] == 5
    assert by_version["2.9"]["burst"] is False
    assert stats["burst_rule"] == {"count": 3, "minutes": 10}
    deliveries = WebhookDelivery.objects.filter(event="output_feedback.burst")
    assert deliveries.count() == 1  # once per window, not once per flag
    assert '"model_version": "3.0"' in deliveries.get().body


@pytest.mark.parametrize("persona", PERSONAS)
def test_flag_stats_are_for_dashboard_readers(clients, persona, tool):
    r = clients[persona].get(f"/api/stats/output-feedback/?tool={tool.pk}")
    code = expected(persona, ("observer", "product_owner", "admin"), 200)
    if code != 200:
        assert_error(r, code)
    else:
        assert r.json()["versions"] == []


def test_flag_stats_need_a_known_tool(clients):
    assert_error(clients["observer"].get("/api/stats/output-feedback/"), 400)
    assert_error(clients["observer"].get("/api/stats/output-feedback/?tool=999"), 404)
