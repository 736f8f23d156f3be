"""OpenAPI: every operation documents the SPEC error shape for the statuses it can answer."""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from rest_framework.permissions import AllowAny

from api.serializers.errors import ErrorSerializer

_DESCRIPTIONS = {
    "400": "Validation failed (`code` invalid, field messages in `errors`) or a bad request.",
    "401": "Not authenticated: send a session cookie or `Authorization: Token <key>`.",
    "403": "Authenticated, but your role may not do this.",
    "404": "Missing, or not visible to you.",
    "405": "Method not allowed on this path.",
    "409": "Conflict with the current state (duplicate key, illegal transition).",
    "413": "Payload too large.",
    "429": "Throttled; see the Retry-After header.",
    "503": "Something the server needs for this (e.g. OCR for photos) is missing or busy; retry.",
}


class ErrorAwareSchema(AutoSchema):
    def _error_codes(self) -> list[str]:
        codes = ["400", "405", "429"] if self.method != "GET" else ["405", "429"]
        if not all(isinstance(p, AllowAny) for p in self.view.get_permissions()):
            codes += ["401", "403"]
        if "{" in self.path or self.method != "GET":
            codes.append("404")
        if self.method in ("POST", "PATCH", "PUT"):
            codes += ["409", "413"]
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
