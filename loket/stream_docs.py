"""The OpenAPI operation of a live event stream (SSE), shared by the services' documents.

The stream routes are served by the stream process (``stream_service.app``) under each
service's own prefix; each service's document lists its own (``<svc>/openapi_streams.py``).
"""

from __future__ import annotations

from typing import Any

_ERROR = {"application/json": {"schema": {"type": "object", "properties": {
    "error": {"type": "object", "properties": {
        "code": {"type": "string"}, "message": {"type": "string"},
        "field": {"type": "string"}, "request_id": {"type": "string"}}}}}}}
_RETRY_AFTER = {"Retry-After": {"schema": {"type": "integer"},
                                "description": "seconds to wait before trying again"}}

RESUME = [
    {"name": "Last-Event-ID", "in": "header", "required": False, "schema": {"type": "string"},
     "description": "Resume after this event id (browsers send it when they reconnect)."},
    {"name": "after", "in": "query", "required": False,
     "schema": {"type": "string", "pattern": "^([0-9]+|latest)$"},
     "description": "Resume after this id; `latest` starts from now."},
]
TOKEN = {"name": "token", "in": "query", "required": False, "schema": {"type": "string"},
          "description": "The token, for clients that cannot send headers (the TV's "
                         "EventSource); otherwise `Authorization: Bearer`."}
DESCRIPTION = (
    "Server-Sent Events, served by the stream process. Each event: `id: <int>`, "
    "`event: <type>`, `data: <Event JSON>`; a comment line every 15 s keeps the connection "
    "alive (a client that stops reading is dropped). A client resuming further behind than "
    "LOKET_STREAM_REPLAY_MAX ids gets one `reset` event (queue: the board snapshot, whose "
    "`last_event_id` is the event id) and the stream goes on from there. When the stream's "
    "token stops being valid (logout, password or account change, deactivated account, "
    "revoked device) the stream ends within 5 s with one `revoked` event whose data is "
    "`{code, message}`.")


def stream_op(summary: str, who: str, params: list[dict[str, Any]],
               refused: dict[str, str], security: list[Any]) -> dict[str, Any]:
    responses: dict[str, Any] = {"200": {"description": "event stream",
                                         "content": {"text/event-stream": {}}}}
    for code, text in {**refused, "422": "Invalid Last-Event-ID or after; `field` names it",
                       "429": "Too many open streams from this address (LOKET_STREAM_MAX_PER_"
                              "ADDRESS)",
                       "503": "The stream process is full (LOKET_STREAM_MAX_TOTAL)"}.items():
        responses[code] = {"description": text, "content": _ERROR}
        if code in ("429", "503"):
            responses[code]["headers"] = _RETRY_AFTER
    return {"get": {"summary": summary, "description": f"{who} {DESCRIPTION}",
                    "tags": ["events"], "security": security, "x-streaming": True,
                    "parameters": params, "responses": responses}}
