"""Makes every non-DRF answer under /api/ (unknown routes, oversized bodies) JSON too."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .errors import json_error

_BY_STATUS = {
    400: ("bad_request", "The request could not be read; check its syntax."),
    403: ("forbidden", "You are not allowed to do this."),
    404: ("not_found", "No such resource here; check the path against /api/docs/."),
    405: ("method_not_allowed", "This method is not allowed on this path."),
    413: ("too_large", "The request body is too large."),
}


class ApiNotFoundMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith("/api/") or response.status_code not in _BY_STATUS:
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        code, detail = _BY_STATUS[response.status_code]
        return json_error(code, detail, response.status_code)
