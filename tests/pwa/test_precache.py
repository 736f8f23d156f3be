"""Under production's hashed static storage the service worker precaches what pages really load."""

from __future__ import annotations

import json
import re

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


@pytest.fixture
def hashed_static(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    settings.DEBUG = False
    call_command("collectstatic", "--noinput", verbosity=0)
    from pwa import views

    views._assets.cache_clear()
    yield
    views._assets.cache_clear()


def test_precache_lists_hashed_and_plain_module_urls(client, hashed_static):
    body = client.get("/sw.js").content.decode()
    precache = json.loads(re.search(r"const PRECACHE = (\[.*?\]);", body).group(1))
    # app.js is loaded hashed by the page, but imports ./api.js by its plain name.
    assert any(re.fullmatch(r"/static/pwa/js/app\.[0-9a-f]{12}\.js", u) for u in precache)
    assert "/static/pwa/js/api.js" in precache
    assert "/static/pwa/js/views/capture.js" in precache
    assert len(precache) == len(set(precache))
