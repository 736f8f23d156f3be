"""Fixed vocabularies served to the PWA and integrators, and /widget.js itself."""

from __future__ import annotations

import gzip

import pytest

from feedback import instruments, model_cards, output_feedback
from tests.conftest import assert_error

pytestmark = pytest.mark.django_db
PERSONAS = ["observer", "clinician", "product_owner", "admin", "outsider", "anon"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_questionnaire_wording_and_flag_vocabulary_are_public(clients, persona):
    defs = clients[persona].get("/api/instruments/").json()
    assert list(defs) == list(instruments.NAMES)
    assert defs["umux_lite"]["items"] == list(instruments.UMUX_LITE_ITEMS)
    assert defs["nasa_tlx"]["scale"] == [0, 100, 5] and defs["seq"]["per_task"] is True
    vocab = clients[persona].get("/api/output-feedback/vocabulary/").json()
    assert list(vocab["categories"]) == list(output_feedback.CATEGORIES)
    assert list(vocab["harms"]) == list(output_feedback.HARMS)


@pytest.mark.parametrize("persona", PERSONAS)
def test_model_card_fields_are_for_signed_in_users(clients, persona):
    r = clients[persona].get("/api/model-card-fields/")
    if persona == "anon":
        assert_error(r, 401)
    else:
        assert r.json()["fields"] == model_cards.FIELDS


def test_widget_is_served_small_compressed_cacheable_and_embeddable(client):
    r = client.get("/widget.js", HTTP_ACCEPT_ENCODING="gzip")
    assert r.status_code == 200 and r["Content-Type"].startswith("text/javascript")
    assert r["Content-Encoding"] == "gzip" and len(r.content) <= 15 * 1024
    body = gzip.decompress(r.content).decode()
    assert "X-Rounds-Tool-Key" in body and 'credentials: "omit"' in body
    assert r["Cross-Origin-Resource-Policy"] == "cross-origin"
    again = client.get("/widget.js", HTTP_IF_NONE_MATCH=r["ETag"])
    assert again.status_code == 304
