"""OpenAPI: every operation documents the SPEC error shape for the statuses it can answer."""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema

from api.serializers.errors import ErrorSerializer

_DESCRIPTIONS = {
    "400": "Validation failed (`code` invalid, field messages in `errors`) or a bad request.",
    "401": "Not authenticated: send a session cookie or `Authorization: Token <key>`.",
    "403": "Authenticated, but your role may not do this.",
    "404": "Missing, or not visible to you.",
    "405": "Method not allowed on this path.",
    "406": "The Accept header asks for a type this path cannot answer with.",
    "409": "Conflict with the current state (duplicate key, illegal transition).",
    "413": "Payload too large.",
    "415": "Unsupported Content-Type for the body.",
    "429": "Throttled; see the Retry-After header.",
    "503": "Something the server needs for this (e.g. OCR for photos) is missing or busy; retry.",
}


class ErrorAwareSchema(AutoSchema):
    def _error_codes(self) -> list[str]:
        # Any call can carry a bad query parameter, filter or cursor (400), a bad or expired
        # token (401, even where anonymous callers are welcome), a session cookie without its
        # CSRF token or a role that may not (403), and name a missing or invisible row or an
        # invalid cursor (404).
        codes = ["400", "401", "403", "404", "405", "406", "429"]
        if self.method in ("POST", "PATCH", "PUT", "DELETE"):
            codes += ["409", "413", "415"]
        codes += getattr(self.view, "extra_error_statuses", ())  # e.g. "503" where OCR runs
        return sorted(set(codes))

    def _get_response_bodies(self, direction: str = "response") -> dict[str, Any]:
        bodies: dict[str, Any] = super()._get_response_bodies(direction=direction)  # type: ignore[arg-type]
        for code in self._error_codes():
            if code not in bodies:
                body = self._get_response_for_code(ErrorSerializer, code, direction=direction)
                body["description"] = _DESCRIPTIONS[code]
                bodies[code] = body
        return bodies
