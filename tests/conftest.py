"""Shared fixtures: personas for every role plus an outsider and anonymous, API clients, media."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest

PERSONAS = ("observer", "clinician", "product_owner", "admin", "outsider", "anon")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def pytest_configure(config: pytest.Config) -> None:
    os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Browser tests last: Playwright's sync API holds a loop that async tests must not see."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(scope="session", autouse=True)
def _no_stray_database_sessions(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """Connections left in worker threads (database_sync_to_async) would keep PostgreSQL from
    dropping the test database at the end ("being accessed by other users")."""
    yield
    with django_db_blocker.unblock():
        from django.db import connection

        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
        connection.close()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _clear_own_cache() -> None:
    """Empty this run's cache. On Redis, `cache.clear()` is FLUSHDB, which would wipe every
    other run (and every other install) sharing the server: delete only our prefix's keys."""
    from django.conf import settings
    from django.core.cache import cache

    if "redis" not in settings.CACHES["default"]["BACKEND"].lower():
        cache.clear()
        return
    client = cache._cache.get_client(write=True)  # type: ignore[attr-defined]
    prefix = settings.CACHES["default"].get("KEY_PREFIX", "")
    keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
    if keys:
        client.delete(*keys)


@pytest.fixture(autouse=True)
def _clear_cache() -> Iterator[None]:
    _clear_own_cache()
    yield
    _clear_own_cache()


@pytest.fixture
def make_user(db: Any) -> Callable[..., Any]:
    from tests.factories import UserFactory

    def make(*roles: str, **kwargs: Any) -> Any:
        return UserFactory(roles=list(roles), **kwargs)

    return make


@pytest.fixture
def observer(make_user: Callable[..., Any]) -> Any:
    return make_user("observer", username="olive")


@pytest.fixture
def clinician(make_user: Callable[..., Any]) -> Any:
    return make_user("clinician", username="casey")


@pytest.fixture
def product_owner(make_user: Callable[..., Any]) -> Any:
    return make_user("product_owner", username="parker")


@pytest.fixture
def admin_user(make_user: Callable[..., Any]) -> Any:
    return make_user("admin", username="ada")


@pytest.fixture
def outsider(make_user: Callable[..., Any]) -> Any:
    """Signed in, but holds no role."""
    return make_user(username="oscar")


def token_client(user: Any | None) -> Any:
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    client = APIClient()
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def personas(
    observer: Any, clinician: Any, product_owner: Any, admin_user: Any, outsider: Any
) -> dict[str, Any]:
    return {
        "observer": observer,
        "clinician": clinician,
        "product_owner": product_owner,
        "admin": admin_user,
        "outsider": outsider,
        "anon": None,
    }


@pytest.fixture
def clients(personas: dict[str, Any]) -> dict[str, Any]:
    return {name: token_client(user) for name, user in personas.items()}


# Who may reach an admin-only endpoint, persona by persona (for `parametrize("persona,status", …)`).
ADMIN_ONLY = [
    ("admin", 200),
    ("observer", 403),
    ("clinician", 403),
    ("product_owner", 403),
    ("outsider", 403),
    ("anon", 401),
]


def assert_error(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    """The SPEC error shape: JSON with code and detail (and errors only for validation)."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert isinstance(body.get("code"), str) and body["code"]
    assert isinstance(body.get("detail"), str) and body["detail"]
    if code is not None:
        assert body["code"] == code, body
    if status == 400 and body["code"] == "invalid":
        assert isinstance(body.get("errors"), dict) and body["errors"]
    return body


def _reachable(host: str, port: int) -> bool:
    import socket

    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def need(condition: bool, reason: str) -> None:
    """Skip with a clear reason outside CI; in CI (CI=true) a missing leg is a failure."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture
def tesseract() -> None:
    """Observation photos are checked for PHI text with Tesseract; without it they are refused."""
    from feedback import ocr

    need(
        ocr.available(),
        f"tesseract-ocr is not installed, so photos are refused. {ocr.INSTALL_HINT}",
    )


@pytest.fixture
def redis_required(settings: Any) -> str:
    """Tests marked `redis` belong to the PostgreSQL + Redis leg (`make test` runs both legs)."""
    from urllib.parse import urlparse

    if not settings.REDIS_URL:
        pytest.skip("REDIS_URL is not set: this test runs in the PostgreSQL + Redis leg")
    url = urlparse(settings.REDIS_URL)
    need(
        _reachable(url.hostname or "127.0.0.1", url.port or 6379),
        f"Redis at {settings.REDIS_URL} is unreachable",
    )
    return str(settings.REDIS_URL)


@pytest.fixture
def live_server_url(transactional_db: Any, tmp_path: Any) -> Iterator[str]:
    """A real Daphne process serving the test database."""
    from tests.live import daphne

    with daphne(tmp_path) as url:
        yield url
