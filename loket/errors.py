"""Domain-facing errors that every service maps to one JSON error shape.

``{"error": {"code": "...", "message": "<Bahasa Indonesia>", "field": "...", "request_id": "..."}}``
"""

from __future__ import annotations


class LoketError(Exception):
    """Base for errors a user should read. ``message`` is in Bahasa Indonesia."""

    status = 400
    code = "bad_request"
    # Seconds after which a retry may succeed (429/503): sent as the Retry-After header.
    retry_after: int | None = None

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None,
                 status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status


class ValidationFailed(LoketError):
    status = 422
    code = "validation_error"


class NotFound(LoketError):
    status = 404
    code = "not_found"


class Conflict(LoketError):
    status = 409
    code = "conflict"


class Unauthorized(LoketError):
    status = 401
    code = "unauthorized"


class TooManyAttempts(LoketError):
    status = 429
    code = "too_many_attempts"

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None,
                 retry_after: int | None = None) -> None:
        super().__init__(message, field=field, code=code)
        self.retry_after = retry_after


class ServerBusy(LoketError):
    status = 503
    code = "server_busy"

    def __init__(self, message: str, *, retry_after: int = 5) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Forbidden(LoketError):
    status = 403
    code = "forbidden"
