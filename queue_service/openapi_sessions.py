"""OpenAPI of staff sessions: logout, and the login's limits (merged into openapi.build_spec)."""

from __future__ import annotations

from typing import Any

_RETRY_AFTER = {"Retry-After": {"description": "Seconds until a retry may succeed",
                                "schema": {"type": "integer"}}}
_ERROR = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}


def paths() -> dict[str, Any]:
    return {"/auth/logout": {"post": {
        "summary": "Log out: every token of the caller's account is refused from now on",
        "description": "Ends all sessions of the account (each console it is signed in on): "
                       "the queue refuses its tokens at once, the workflow service and the "
                       "stream process within 5 seconds. Staff only (also a first-login "
                       "token); a device token gets 403.",
        "tags": ["staff"], "security": [{"staff": []}],
        "responses": {"204": {"description": "Logged out"},
                      "401": {"$ref": "#/components/responses/E401"},
                      "403": {"$ref": "#/components/responses/E403"}}}}}


def amend(all_paths: dict[str, Any]) -> None:
    """The login's limits: 429 (per address, or username at address) and 503 (hashing busy),
    both with Retry-After."""
    op = all_paths["/auth/token"]["post"]
    op["responses"]["429"] = {
        "description": "Too many attempts from this address (`rate_limited`), or five wrong "
                       "passwords for this username from this address (`too_many_attempts`, "
                       "up to 15 minutes)", "headers": _RETRY_AFTER, "content": _ERROR}
    op["responses"]["503"] = {
        "description": "Every password-hashing slot of the process is busy (`server_busy`)",
        "headers": _RETRY_AFTER, "content": _ERROR}
