"""Domain errors raised by services; api/ maps each to the SPEC's JSON error shape by its code."""

from __future__ import annotations


class DomainError(Exception):
    """Base class: `code` is the machine code, `http_status` the status the API answers with."""

    code = "invalid"
    http_status = 400

    def __init__(self, detail: str, *, errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors


class ValidationFailed(DomainError):
    code = "invalid"
    http_status = 400


class InvalidImage(DomainError):
    code = "invalid_image"
    http_status = 400


class TooLarge(DomainError):
    code = "too_large"
    http_status = 413


class Forbidden(DomainError):
    code = "forbidden"
    http_status = 403


class NotFound(DomainError):
    code = "not_found"
    http_status = 404


class SessionEnded(NotFound):
    """A join code that belonged to a session which has ended: the same 404, told apart by code."""

    code = "session_ended"


class Conflict(DomainError):
    code = "conflict"
    http_status = 409


class InvalidTransition(DomainError):
    code = "invalid_transition"
    http_status = 409


class Unavailable(DomainError):
    """Something the request needs (e.g. the OCR engine) is missing or busy: try again later."""

    code = "unavailable"
    http_status = 503
