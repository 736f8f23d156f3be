"""PHI check API: masked text and spans for the PWA's live warning; who may call it."""

from __future__ import annotations

from typing import Any

import pytest

from feedback.models import AuditEntry, Observation
from tests.conftest import assert_error

pytestmark = pytest.mark.django_db

URL = "/api/phi/check/"


def check(client: Any, text: Any) -> Any:
    return client.post(URL, {"text": text}, format="json")


@pytest.mark.parametrize("who", ["observer", "clinician", "product_owner", "admin"])
def test_every_role_gets_masked_text_and_spans(clients, who):
    text = "Mrs. Jane Doe, MRN 12345678, call 555-201-3344"
    response = check(clients[who], text)
    assert response.status_code == 200
    body = response.json()
    assert {s["type"] for s in body["spans"]} == {"NAME", "MRN", "PHONE"}
    for span in body["spans"]:
        assert f"[REDACTED-{span['type']}]" in body["masked"]
        assert text[span["start"] : span["end"]] not in body["masked"]
    assert "Doe" not in body["masked"] and "12345678" not in body["masked"]


def test_clinical_workflow_language_is_left_alone(clients):
    text = "BPA fired 3 times during med rec at 0700 in Epic on 4 West"
    assert check(clients["observer"], text).json() == {"masked": text, "spans": []}


def test_empty_text_has_no_spans(clients):
    assert check(clients["clinician"], "").json() == {"masked": "", "spans": []}


def test_missing_or_oversized_text_is_400(clients):
    assert "text" in assert_error(clients["observer"].post(URL, {}, format="json"), 400)["errors"]
    assert_error(check(clients["observer"], "x" * 20001), 400, "invalid")
    assert_error(check(clients["observer"], ["not", "text"]), 400, "invalid")


@pytest.mark.parametrize("text", [5, 1.5, True, {"a": 1}, None])
def test_non_string_text_is_400(clients, text):
    assert "text" in assert_error(check(clients["observer"], text), 400, "invalid")["errors"]


def test_outsider_and_anonymous_may_not_check(clients):
    assert_error(check(clients["outsider"], "hello"), 403, "forbidden")
    assert_error(check(clients["anon"], "hello"), 401, "not_authenticated")


def test_checking_text_stores_nothing(clients):
    check(clients["observer"], "Mr. John Smith DOB 03/14/1952")
    assert not Observation.objects.exists()
    assert not AuditEntry.objects.exists()
