"""The Daphne launcher (backend.server): Django, not Twisted, answers every request body."""

from __future__ import annotations

import http.client
import json
from urllib.parse import urlparse

import pytest
from rest_framework.authtoken.models import Token

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def request(base: str, method: str, path: str, body: bytes = b"", headers=None):
    url = urlparse(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=20)
    conn.request(method, path, body=body, headers=headers or {})
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response, data


def test_malformed_multipart_gets_a_json_400_not_a_dropped_connection(live_server_url, make_user):
    key = Token.objects.create(user=make_user("admin")).key
    response, data = request(
        live_server_url,
        "POST",
        "/api/units/",
        b"this is not multipart",
        {"Authorization": f"Token {key}", "Content-Type": "multipart/form-data; boundary=zzz"},
    )
    assert response.status == 400
    assert response.getheader("Content-Type") == "application/json"
    assert json.loads(data)["code"] in ("bad_request", "invalid")


def post_unit_name(base: str, key: str, name: str):
    """POST /api/units/ as a hand-written multipart form with one field, `name`."""
    body = (
        b'--zzz\r\nContent-Disposition: form-data; name="name"\r\n\r\n'
        + name.encode()
        + b"\r\n--zzz--\r\n"
    )
    headers = {"Authorization": f"Token {key}", "Content-Type": "multipart/form-data; boundary=zzz"}
    return request(base, "POST", "/api/units/", body, headers)


def test_multipart_upload_still_reaches_django(live_server_url, make_user):
    key = Token.objects.create(user=make_user("admin")).key
    response, data = post_unit_name(live_server_url, key, "9 West")
    assert response.status == 201, data
    assert json.loads(data)["name"] == "9 West"


def test_throttled_status_line_names_the_status(live_server_url, make_user, settings):
    make_user("observer", username="tess")
    creds = json.dumps({"username": "tess", "password": "wrong"}).encode()
    for _ in range(settings.LOGIN_FAILURE_LIMIT + 1):
        response, _ = request(
            live_server_url,
            "POST",
            "/api/auth/token/",
            creds,
            {"Content-Type": "application/json"},
        )
    assert response.status == 429
    assert response.reason == "Too Many Requests"


def test_request_bodies_stay_in_memory_whatever_their_size():
    """Twisted would spool a body over 100 kB (every photo) to a temporary file on disk."""
    from types import SimpleNamespace

    from backend.server import BodyToDjangoRequest, MemoryBody

    for length in (10, 5 * 2**20, None):
        request = SimpleNamespace()
        BodyToDjangoRequest.gotLength(request, length)
        assert type(request.content) is MemoryBody


def test_a_body_over_the_cap_is_dropped_not_buffered():
    from backend.server import MemoryBody

    body = MemoryBody(cap=10)
    assert body.write(b"12345") == 5
    assert body.write(b"678901") == 6  # crosses the cap: everything so far is let go
    assert body.over and body.getvalue() == b""
    body.write(b"more")
    assert body.getvalue() == b""


def test_only_daphnes_redacting_access_log_is_written(monkeypatch):
    """Twisted's own access line (unredacted query strings) is not even formatted."""
    import io

    from daphne import cli, http_protocol
    from daphne import server as daphne_server

    from backend import server

    for module, name in [
        (daphne_server, "HTTPFactory"),
        (daphne_server, "WebSocketFactory"),
        (http_protocol, "WebRequest"),
        (cli, "AccessLogGenerator"),
    ]:
        monkeypatch.setattr(module, name, getattr(module, name))  # main() patches them
    monkeypatch.setattr(cli.CommandLineInterface, "run", lambda self, args: None)
    server.main()
    assert daphne_server.HTTPFactory is server.QuietHTTPFactory
    factory = server.QuietHTTPFactory(server=None)
    factory._logFile = io.StringIO()
    factory.log(request=None)  # the base class would format the (here absent) request
    assert factory._logFile.getvalue() == ""


def test_an_oversized_body_gets_a_json_413_from_the_launcher(live_server_url):
    from backend.server import MAX_BODY

    response, data = request(
        live_server_url,
        "POST",
        "/api/observations/sync/",
        b"x" * (MAX_BODY + 1),
        {"Content-Type": "application/json"},
    )
    assert response.status == 413
    assert response.getheader("Content-Type") == "application/json"
    assert json.loads(data)["code"] == "too_large"


def test_a_photo_sized_upload_arrives_whole_through_the_launcher(live_server_url, make_user):
    key = Token.objects.create(user=make_user("admin")).key
    name = "9 West " + "x" * (3 * 2**20)  # a 3 MB field: far past Twisted's 100 kB spool point
    response, data = post_unit_name(live_server_url, key, name)
    # The unit name is too long for the model: a 400 naming the field shows Django read it all.
    assert response.status == 400, data
    assert "name" in json.loads(data)["errors"]


def test_the_collector_is_settled_once_the_application_is_loaded():
    """Full collector passes would walk Django's objects on every run (35-230 ms stalls of every
    socket, bench/bench_fanout.py --redis): after settling they are frozen out of its reach."""
    import gc

    from backend import server

    before = gc.get_threshold()
    try:
        server.settle_collector()
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold() == server.GC_THRESHOLDS
        assert server.GC_THRESHOLDS[2] > before[2]
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
