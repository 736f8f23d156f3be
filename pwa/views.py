"""Serves the static app shell; the service worker's cache name is versioned by file contents."""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.gzip import gzip_page

STATIC_DIR = Path(__file__).resolve().parent / "static" / "pwa"


@lru_cache(maxsize=1)
def _assets() -> tuple[str, list[str]]:
    """(version, URLs to precache): every file of the app, hashed so any change renews the cache.

    Under production's hashed storage a page loads `app.<hash>.js`, whose `import "./api.js"`
    fetches the plain name: both names are precached so the app also opens offline there."""
    digest = hashlib.sha256()
    urls: dict[str, None] = {}
    for file in sorted(p for p in STATIC_DIR.rglob("*") if p.is_file()):
        rel = file.relative_to(STATIC_DIR.parent).as_posix()
        digest.update(rel.encode() + file.read_bytes())
        urls[static(rel)] = None
        urls[settings.STATIC_URL + rel] = None
    return digest.hexdigest()[:12], list(urls)


def _version() -> tuple[str, list[str]]:
    if settings.DEBUG:
        _assets.cache_clear()  # pick up edits without a restart while developing
    return _assets()


@ensure_csrf_cookie
def shell(request: HttpRequest) -> HttpResponse:
    version, _ = _version()
    # Whether this browser's session is signed in, so the page of an anonymous visitor need not
    # ask /api/me/ (a 401 the browser logs as an error). Navigations reach the network first, so
    # the hint is fresh whenever the server answers (app.js trusts it only then).
    signed_in = request.user.is_authenticated
    html = render_to_string("pwa/index.html", {"version": version, "signed_in": signed_in})
    response = HttpResponse(html)
    response["Cache-Control"] = "no-cache"
    return response


def manifest(request: HttpRequest) -> HttpResponse:
    data = {
        "name": "Rounds",
        "short_name": "Rounds",
        "description": "Co-design clinical AI with the people who use it.",
        "id": "/",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "orientation": "any",
        "background_color": "#ffffff",
        "theme_color": "#0b4f6c",
        "icons": [
            {"src": static("pwa/icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("pwa/icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("pwa/icons/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    return HttpResponse(json.dumps(data), content_type="application/manifest+json")


def service_worker(request: HttpRequest) -> HttpResponse:
    version, urls = _version()
    body = render_to_string("pwa/sw.js", {"version": version, "precache": json.dumps(["/", *urls])})
    response = HttpResponse(body, content_type="text/javascript")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


WIDGET = Path(__file__).resolve().parent / "widget" / "widget.js"


@lru_cache(maxsize=1)
def _widget() -> tuple[bytes, str]:
    body = WIDGET.read_bytes()
    return body, hashlib.sha256(body).hexdigest()[:16]


@gzip_page
def widget(request: HttpRequest) -> HttpResponse:
    """GET /widget.js: the feedback widget AI tools embed (docs/output-feedback.md). Loaded by a
    plain script tag from pages of other origins, so it allows cross-origin embedding."""
    if settings.DEBUG:
        _widget.cache_clear()
    body, etag = _widget()
    # GZip turns the tag weak (W/"..."): a revalidation may send either form.
    sent = {
        t.strip().removeprefix("W/") for t in request.headers.get("If-None-Match", "").split(",")
    }
    if f'"{etag}"' in sent:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["ETag"] = f'"{etag}"'
    response["Cache-Control"] = "public, max-age=300"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response
