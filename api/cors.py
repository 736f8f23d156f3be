"""CORS for the few endpoints a page of another origin calls (the embedded feedback widget):
only origins an administrator allowed, no cookies, and preflights answered without a key."""

from __future__ import annotations

from django.http import HttpResponse

from feedback.output_feedback import normalize_origin

ALLOW_HEADERS = "content-type, x-rounds-tool-key"
MAX_AGE = "600"


def request_origin(request: object) -> str | None:
    """The request's `Origin` normalized like stored origins; None for non-browser callers."""
    raw = getattr(request, "headers", {}).get("Origin")
    if not raw:
        return None
    return normalize_origin(raw) or "null"  # "null": sandboxed iframes, file: pages


def allow(response: HttpResponse, origin: str, methods: str = "POST, OPTIONS") -> HttpResponse:
    """Let `origin` read this response (never with credentials: the widget sends no cookies)."""
    response["Access-Control-Allow-Origin"] = origin
    response["Access-Control-Allow-Methods"] = methods
    response["Access-Control-Allow-Headers"] = ALLOW_HEADERS
    response["Access-Control-Expose-Headers"] = "Retry-After"
    response["Access-Control-Max-Age"] = MAX_AGE
    vary(response)
    return response


def vary(response: HttpResponse) -> None:
    existing = response.get("Vary", "")
    if "origin" not in existing.lower():
        response["Vary"] = f"{existing}, Origin" if existing else "Origin"
