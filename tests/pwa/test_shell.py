"""The app shell, manifest and service worker are served correctly, with nothing from a CDN."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db
STATIC = Path(__file__).resolve().parents[2] / "pwa" / "static" / "pwa"


def test_shell_page(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert 'type="module"' in html and 'lang="en"' in html
    assert "csrftoken" in response.cookies


def test_deep_links_serve_the_shell(client):
    for path in ("/capture", "/login", "/backlog/12"):
        assert client.get(path).status_code == 200


def test_manifest_is_installable(client):
    response = client.get("/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    data = json.loads(response.content)
    assert data["start_url"] == "/" and data["display"] == "standalone"
    sizes = {i["sizes"] for i in data["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in data["icons"]:
        assert client.get(icon["src"]).status_code == 200


def test_service_worker_root_scope_and_versioned_cache(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    body = response.content.decode()
    version = re.search(r'const VERSION = "([0-9a-f]{12})"', body).group(1)
    precache = json.loads(re.search(r"const PRECACHE = (\[.*?\]);", body).group(1))
    assert "/" in precache and "/static/pwa/js/app.js" in precache
    assert f'data-version="{version}"' in client.get("/").content.decode()
    assert "await cache.addAll" in body


def test_no_cdn_anywhere_in_the_app():
    pattern = re.compile(r"https?://(?!127\.0\.0\.1|localhost)[\w.-]+\.\w+/", re.I)
    scanned = [f for f in STATIC.rglob("*") if f.suffix in (".js", ".css", ".html", ".json")]
    assert len(scanned) >= 20, scanned  # an empty or moved folder must not pass vacuously
    for file in scanned:
        text = file.read_text(encoding="utf-8", errors="ignore")
        found = [m for m in pattern.findall(text) if "w3.org" not in m]
        assert not found, f"{file} loads from {found}"
