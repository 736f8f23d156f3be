"""The API fuzzed from its own OpenAPI schema (schemathesis), as an admin, an observer and a
clinician: no 500, no status code the schema does not document, no response off its schema.

A short, seeded run (`derandomize`): the same cases every run, so a failure reproduces. Run alone
with `make test-fuzz`; `make test` runs it in the SQLite leg. The fuzzing identities are restored
before every case, because the API may legitimately end them (DELETE /api/auth/token/, logout,
revoke-tokens, erase)."""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from django.contrib.auth.models import Group
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from feedback.models import User

pytestmark = [pytest.mark.django_db, pytest.mark.fuzz]

ROLES = ("admin", "observer", "clinician")
EXAMPLES = int(os.environ.get("ROUNDS_FUZZ_EXAMPLES", "6"))
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]


# Loaded at collection: serving /api/schema/ touches no table.
schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Any:
    """As Django's test client does: the WSGI handler's request signals would close the
    connection that holds the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def token_for(role: str) -> str:
    """The fuzzing user of `role`, active, in its group, with a live token (re-made if the last
    case ended it)."""
    user, _ = User.objects.get_or_create(username=f"fuzz-{role}")
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
    group, _ = Group.objects.get_or_create(name=role)
    user.groups.set([group])
    token, _ = Token.objects.get_or_create(user=user)
    return token.key


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_server_error_and_no_undocumented_answer(case: Any) -> None:
    for role in ROLES:
        headers = {"Authorization": f"Token {token_for(role)}"}
        case.call_and_validate(headers=headers, checks=CHECKS)
