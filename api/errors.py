"""The one exception handler: every API error becomes {"code", "detail", "errors"?}."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, RequestDataTooBig, TooManyFieldsSent
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views import csrf
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_handler

from feedback.errors import DomainError

_CODES = {
    exceptions.ParseError: "bad_request",
    exceptions.AuthenticationFailed: "not_authenticated",
    exceptions.NotAuthenticated: "not_authenticated",
    exceptions.PermissionDenied: "forbidden",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.NotAcceptable: "not_acceptable",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.Throttled: "throttled",
}


def error_body(code: str, detail: str, errors: dict[str, Any] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"code": code, "detail": detail}
    if errors is not None:
        body["errors"] = errors
    return body


def json_error(code: str, detail: str, status_code: int) -> JsonResponse:
    return JsonResponse(error_body(code, detail), status=status_code)


def _flatten(value: Any, prefix: str = "") -> list[str]:
    """Nested DRF errors (list items, nested objects) as plain sentences naming where they are."""
    if isinstance(value, dict):
        return [m for k, v in value.items() for m in _flatten(v, prefix + _where(k))]
    if isinstance(value, list):
        if any(isinstance(v, dict | list) for v in value):
            return [m for i, v in enumerate(value) for m in _flatten(v, prefix + _where(i))]
        return [prefix + str(v) for v in value]
    return [prefix + str(value)]


def _where(key: Any) -> str:
    return f"item {key}: " if str(key).isdigit() else f"{key}: "


def _field_errors(data: Any) -> dict[str, list[str]]:
    """The SPEC's `{field: [message]}`, whatever depth the serializer reported at."""
    if not isinstance(data, dict):
        return {"non_field_errors": _flatten(data)}
    return {
        ("non_field_errors" if k == NON_FIELD_ERRORS else str(k)): _flatten(v)
        for k, v in data.items()
    }


_UNIQUE_CODES = {"unique", "unique_together"}


def _django_validation(exc: DjangoValidationError) -> Response:
    """model.full_clean() reports a unique constraint as a ValidationError: that one is a 409."""
    found = (
        [e for errs in exc.error_dict.values() for e in errs]
        if hasattr(exc, "error_dict")
        else exc.error_list
    )
    if found and all(e.code in _UNIQUE_CODES for e in found):
        detail = " ".join(m for e in found for m in e.messages)
        return Response(
            error_body("conflict", f"{detail} Choose another name, or use the existing one."),
            status=status.HTTP_409_CONFLICT,
        )
    errors = exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.messages}
    detail = "Some fields are invalid; fix the fields listed in errors and resend."
    return Response(
        error_body("invalid", detail, _field_errors(errors)), status=status.HTTP_400_BAD_REQUEST
    )


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DomainError):
        response = Response(error_body(exc.code, exc.detail, exc.errors), status=exc.http_status)
        if getattr(exc, "retry_after", None):
            response["Retry-After"] = str(exc.retry_after)  # type: ignore[attr-defined]
        return response
    if isinstance(exc, RequestDataTooBig | TooManyFieldsSent):
        return Response(
            error_body("too_large", "The request body is too large; send less data per request."),
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    if isinstance(exc, DjangoValidationError):
        return _django_validation(exc)
    if isinstance(exc, RecursionError):  # json.loads on `[[[[...` deeper than the stack allows
        detail = "The JSON is nested too deeply to read; send a flatter document."
        return Response(error_body("bad_request", detail), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    handled = drf_handler(exc, context)
    if handled is None:
        return None
    response = handled
    if isinstance(exc, exceptions.ValidationError):
        response.data = error_body(
            "invalid",
            "Some fields are invalid; fix the fields listed in errors and resend.",
            _field_errors(exc.detail),
        )
        return response
    code = next((c for cls, c in _CODES.items() if isinstance(exc, cls)), "error")
    detail = str(exc.detail) if isinstance(exc, exceptions.APIException) else str(exc)
    if code == "forbidden" and str(detail).startswith("CSRF Failed: "):  # DRF's session check
        detail = _csrf_detail(str(detail).removeprefix("CSRF Failed: "))
    response.data = error_body(code, str(detail))
    return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: under /api/ a JSON 403 saying how to pass the check; HTML elsewhere."""
    if not (request.path == "/api" or request.path.startswith("/api/")):
        return csrf.csrf_failure(request, reason=reason)
    return json_error("forbidden", _csrf_detail(reason), 403)


def _csrf_detail(reason: str) -> str:
    return (
        f"CSRF check failed ({reason.rstrip('.')}). With a session cookie, GET /api/auth/csrf/ "
        "and send the csrftoken cookie's value in the X-CSRFToken header (and a same-site "
        "Origin); scripts should use Authorization: Token <key> instead."
    )


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler404 (DEBUG off): JSON like every other error; the PWA routes its own pages."""
    return json_error("not_found", f"Nothing at {request.path}; see /api/docs/ for the API.", 404)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500 (DEBUG off): JSON, no traceback; the details are in the server log."""
    return json_error("server_error", "Something went wrong on the server; it is logged.", 500)
