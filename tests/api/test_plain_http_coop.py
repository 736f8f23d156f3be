"""api.middleware.PlainHttpCoopMiddleware: no Cross-Origin-Opener-Policy where browsers ignore it
(plain HTTP at a LAN address) and log an error for it; kept over HTTPS and on localhost."""

from __future__ import annotations

import pytest

COOP = "Cross-Origin-Opener-Policy"


@pytest.fixture
def lan(settings):
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost", "10.1.2.3", "testserver"]


@pytest.mark.parametrize(
    ("host", "secure", "kept"),
    [("10.1.2.3:8000", False, False), ("10.1.2.3:8000", True, True),
     ("localhost:8000", False, True), ("127.0.0.1:8000", False, True)],
)  # fmt: skip
def test_coop_header_only_where_browsers_use_it(client, lan, host, secure, kept):
    response = client.get("/api/auth/csrf/", HTTP_HOST=host, secure=secure)
    assert response.status_code == 200
    assert (COOP in response) is kept
