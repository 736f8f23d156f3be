"""Bodies over ROUNDS_MAX_REQUEST_BYTES get a 413 JSON before Django reads them."""

from __future__ import annotations

import json

import pytest
from channels.testing import HttpCommunicator
from django.test import override_settings

from backend.asgi import application

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


async def post(path, body, headers):
    comm = HttpCommunicator(application, "POST", path, body=body, headers=[HOST, *headers])
    response = await comm.get_response(timeout=10)
    response["json"] = json.loads(response["body"] or b"null")
    response["headers"] = dict(response["headers"])
    return response


JSON = (b"content-type", b"application/json")
HOST = (b"host", b"127.0.0.1")


@override_settings(ROUNDS_MAX_REQUEST_BYTES=1000)
async def test_declared_length_over_the_limit_is_413_json():
    body = json.dumps({"username": "x" * 2000, "password": "y"}).encode()
    response = await post(
        "/api/auth/token/", body, [JSON, (b"content-length", str(len(body)).encode())]
    )
    assert response["status"] == 413
    assert response["headers"][b"content-type"] == b"application/json"
    assert response["json"]["code"] == "too_large"
    assert "1000" in response["json"]["detail"] or "limit" in response["json"]["detail"]


@override_settings(ROUNDS_MAX_REQUEST_BYTES=1000)
async def test_chunked_body_over_the_limit_is_413_json():
    body = json.dumps({"username": "x" * 2000, "password": "y"}).encode()
    response = await post("/api/auth/token/", body, [JSON, (b"transfer-encoding", b"chunked")])
    assert response["status"] == 413
    assert response["json"]["code"] == "too_large"


async def test_chunked_body_under_the_limit_is_read():
    """Without Content-Length DRF would see an empty body and ask for every field."""
    body = json.dumps({"username": "nobody", "password": "wrong-password"}).encode()
    response = await post("/api/auth/token/", body, [JSON, (b"transfer-encoding", b"chunked")])
    assert response["status"] == 400
    assert response["json"]["code"] == "invalid"
    assert "non_field_errors" in response["json"]["errors"], response["json"]


async def test_body_under_the_limit_passes_through():
    body = json.dumps({"username": "nobody", "password": "wrong-password"}).encode()
    response = await post(
        "/api/auth/token/", body, [JSON, (b"content-length", str(len(body)).encode())]
    )
    assert response["status"] == 400 and "non_field_errors" in response["json"]["errors"]
