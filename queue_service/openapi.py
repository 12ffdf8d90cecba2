"""The OpenAPI 3 document of the queue service, written by hand next to the code it describes."""

from __future__ import annotations

from typing import Any

from queue_service import (
    openapi_access,
    openapi_admin,
    openapi_reports,
    openapi_sessions,
    openapi_streams,
    openapi_survey,
)
from queue_service.domain.calling import PRIORITY_CATEGORIES
from queue_service.domain.states import STATUSES
from queue_service.validation import FAULT_CODES


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*codes: int) -> dict[str, Any]:
    text = {400: "Bad request (e.g. malformed JSON)", 401: "No or invalid token",
            403: "Not allowed for this role or device", 404: "Not found",
            409: "Not allowed in the current state", 413: "Body too large",
            422: "Invalid input; `field` names it",
            429: "Too many wrong passwords for this username: locked for a while"}
    return {str(c): {"$ref": f"#/components/responses/E{c}"} for c in codes if c in text}


NULLABLE_STR = {"type": ["string", "null"]}
NULLABLE_INT = {"type": ["integer", "null"]}
STAFF_SECURITY: list[dict[str, list[str]]] = [{"staff": []}]
ID_PARAM = {"name": "ticket_id", "in": "path", "required": True,
            "schema": {"type": "integer", "minimum": 1, "maximum": 2147483647}}
COUNTER_PARAM = {"name": "counter_id", "in": "path", "required": True,
                 "schema": {"type": "integer", "minimum": 1, "maximum": 2147483647}}

SCHEMAS: dict[str, Any] = {
    "Error": {
        "type": "object", "required": ["error"],
        "properties": {"error": {
            "type": "object", "required": ["code", "message"],
            "properties": {"code": {"type": "string"},
                           "message": {"type": "string", "description": "Bahasa Indonesia"},
                           "field": NULLABLE_STR, "request_id": NULLABLE_STR}}},
    },
    "Step": {"type": "object", "properties": {"activity": {"type": "string"},
                                              "time_standard": NULLABLE_STR}},
    "Service": {
        "type": "object",
        "required": ["code", "name", "prefix", "open", "waiting", "estimated_wait_minutes"],
        "properties": {
            "code": {"type": "string"}, "name": {"type": "string"},
            "prefix": {"type": "string"}, "open": {"type": "boolean"},
            "waiting": {"type": "integer"}, "estimated_wait_minutes": {"type": "integer"},
            "bring": {"type": "array", "items": {"type": "string"}},
            "bring_is_demo": {"type": "boolean"}, "service_minutes": NULLABLE_INT,
            "steps": {"type": "array", "items": _ref("Step")},
            "questions": {"type": "array", "items": {}},
            "standard_url": {"type": "string", "description": "the service's standar "
                             "pelayanan page (the kiosk shows it as a QR code)"},
        },
    },
    "VisitorIn": {
        "type": "object",
        "properties": {
            "name": {"type": "string", "maxLength": 100},
            "nik": {"type": "string", "description": "16 digits, checked with python-stdnum"},
            "phone": {"type": "string"},
            "consent": {"type": "boolean", "description": "must be true when any data is given"},
        },
    },
    "IssueRequest": {
        "type": "object", "required": ["service"],
        "properties": {
            "service": {"type": "string", "example": "ektp"},
            "visitor": _ref("VisitorIn"),
            "priority": {"type": ["string", "null"], "enum": [*PRIORITY_CATEGORIES, None]},
            "details": {"type": "object", "description": "service-specific answers "
                        "(guest: purpose, meet, institution, group_size; complaint: category, "
                        "description)"},
        },
    },
    "IssuedTicket": {
        "type": "object",
        "required": ["id", "number", "service", "tracking_code", "status", "status_url"],
        "properties": {
            "id": {"type": "integer"}, "number": {"type": "string", "example": "C007"},
            "service": {"type": "string"}, "service_name": {"type": "string"},
            "tracking_code": {"type": "string"}, "position": NULLABLE_INT,
            "people_ahead": NULLABLE_INT, "estimated_wait_minutes": NULLABLE_INT,
            "status": {"type": "string"}, "priority": NULLABLE_STR,
            "issued_at": {"type": "string", "format": "date-time"},
            "service_day": {"type": "string", "format": "date"},
            "nik_masked": NULLABLE_STR, "office": {"type": "string"},
            "status_url": {"type": "string"},
        },
    },
    "CounterRef": {"type": ["object", "null"],
                   "properties": {"id": {"type": "integer"}, "number": {"type": "integer"},
                                  "name": {"type": "string"}}},
    "PublicTicket": {
        "type": "object",
        "properties": {
            "number": {"type": "string"}, "service": {"type": "string"},
            "service_name": {"type": "string"}, "status": {"type": "string", "enum": STATUSES},
            "position": NULLABLE_INT, "people_ahead": NULLABLE_INT,
            "estimated_wait_minutes": NULLABLE_INT, "counter": _ref("CounterRef"),
            "issued_at": {"type": "string"}, "called_at": NULLABLE_STR,
        },
    },
    "StaffTicket": {
        "type": "object",
        "description": "Everything staff see. visitor.nik and visitor.phone only on GET "
                       "/tickets/id/{id} for the officer serving the ticket (called or "
                       "serving at their counter), each read in the access log; otherwise "
                       "nik_masked and phone_masked.",
        "properties": {
            "id": {"type": "integer"}, "number": {"type": "string"},
            "service": {"type": "string"}, "status": {"type": "string", "enum": STATUSES},
            "priority": NULLABLE_STR, "tracking_code": {"type": "string"},
            "counter": _ref("CounterRef"), "recalls": {"type": "integer"},
            "position": NULLABLE_INT, "estimated_wait_minutes": NULLABLE_INT,
            "issued_at": {"type": "string"}, "original_issued_at": {"type": "string"},
            "called_at": NULLABLE_STR, "serving_at": NULLABLE_STR, "finished_at": NULLABLE_STR,
            "return_to_service": NULLABLE_STR, "details": {"type": "object"},
            "visitor": {"type": ["object", "null"]}, "nik_masked": NULLABLE_STR,
        },
    },
    "Current": {"type": ["object", "null"],
                "properties": {"number": {"type": "string"}, "service": {"type": "string"},
                               "status": {"type": "string"}, "called_at": NULLABLE_STR,
                               "recalls": {"type": "integer"}}},
    "Counter": {
        "type": "object",
        "properties": {"id": {"type": "integer"}, "number": {"type": "integer"},
                       "name": {"type": "string"},
                       "status": {"type": "string", "enum": ["open", "paused", "closed"]},
                       "services": {"type": "array", "items": {"type": "string"}},
                       "officer": {"type": ["object", "null"]}, "current": _ref("Current")},
    },
    "Board": {
        "type": "object",
        "properties": {
            "office": {"type": "object"},
            "counters": {"type": "array", "items": _ref("Counter")},
            "last_calls": {"type": "array", "items": {
                "type": "object",
                "properties": {"event_id": {"type": "integer"}, "number": {"type": "string"},
                               "service": {"type": "string"}, "counter_id": {"type": "integer"},
                               "counter_number": {"type": "integer"},
                               "counter_name": {"type": "string"},
                               "called_at": {"type": "string"}, "recall": {"type": "boolean"}}}},
            "waiting": {"type": "array", "items": {"type": "object"}},
            "announcements": {"type": "array", "items": {"type": "string"}},
            "last_event_id": {"type": "integer"},
        },
    },
    "Event": {
        "type": "object", "description": "data: of one SSE event",
        "properties": {"id": {"type": "integer"}, "type": {"type": "string"},
                       "at": {"type": "string"},
                       "ticket": {"type": "object", "properties": {
                           "id": {"type": "integer"}, "number": {"type": "string"},
                           "service": {"type": "string"}, "priority": NULLABLE_STR,
                           "status": {"type": "string"}}},
                       "counter": _ref("CounterRef")},
    },
}


def _op(summary: str, responses: dict[str, Any], *, security: list[Any] | None = None,
        body: dict[str, Any] | None = None, params: list[Any] | None = None,
        tags: tuple[str, ...] = ()) -> dict[str, Any]:
    op: dict[str, Any] = {"summary": summary, "responses": responses, "tags": list(tags)}
    if security is not None:
        op["security"] = security
    if body is not None:
        op["requestBody"] = {"required": True,
                             "content": {"application/json": {"schema": body}}}
    if params:
        op["parameters"] = params
    return op


def _action(summary: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"post": _op(summary, {"200": _json(_ref("StaffTicket"), "The ticket after it"),
                                  **_errors(400, 401, 403, 404, 409, 422)},
                        security=STAFF_SECURITY, body=body, params=[ID_PARAM],
                        tags=("tickets",))}


def _counter_change(summary: str) -> dict[str, Any]:
    return {"post": _op(summary, {"200": _json(_ref("Counter"), "The counter"),
                                  **_errors(401, 403, 404, 409)},
                        security=STAFF_SECURITY, params=[COUNTER_PARAM], tags=("counters",))}


def build_spec(server_url: str = "/api/queue") -> dict[str, Any]:
    paths: dict[str, Any] = {
        "/services": {"get": _op(
            "Services a visitor can choose, and whether the hall hands out numbers now",
            {"200": _json(
                {"type": "object", "properties": {
                    "services": {"type": "array", "items": _ref("Service")},
                    "office": {"type": "object", "required": ["open", "message"], "properties": {
                        "open": {"type": "boolean"},
                        "message": {"type": ["string", "null"],
                                    "description": "Why it is closed: hours, next opening"}}}}},
                "Services")},
            security=[], tags=("public",))},
        "/tickets": {
            "post": _op(
                "Issue a ticket (kiosk device token; Idempotency-Key makes retries safe: the "
                "same key with the same request on the same service day answers the first "
                "ticket; with another request 422 idempotency_mismatch; a key of an earlier "
                "service day issues a fresh ticket). 409 "
                "daily_quota_reached (the admin's daily quota of the service), "
                "service_closed or office_closed (outside opening hours or on a holiday, when "
                "LOKET_ENFORCE_OPENING_HOURS is on)",
                {"201": _json(_ref("IssuedTicket"), "The ticket"),
                 **_errors(400, 401, 403, 409, 413, 422)},
                security=[{"device": []}, {"staff": []}], body=_ref("IssueRequest"),
                params=[{"name": "Idempotency-Key", "in": "header", "required": False,
                         "schema": {"type": "string", "maxLength": 100}}],
                tags=("tickets",)),
            "get": _op(
                "Today's tickets (staff); NIK masked",
                {"200": _json({"type": "object", "properties": {
                    "tickets": {"type": "array", "items": _ref("StaffTicket")}}}, "Tickets"),
                 **_errors(401, 403, 404, 422)},
                security=STAFF_SECURITY,
                params=[{"name": "status", "in": "query", "required": False,
                         "schema": {"type": "string", "enum": list(STATUSES)}},
                        {"name": "service", "in": "query", "required": False,
                         "schema": {"type": "string"}}],
                tags=("tickets",)),
        },
        "/tickets/{tracking_code}": openapi_survey.with_phone_page({"get": _op(
            "Public status of a ticket by its tracking code (no personal data)",
            {"200": _json(_ref("PublicTicket"), "Status"), **_errors(404)}, security=[],
            params=[{"name": "tracking_code", "in": "path", "required": True,
                     "schema": {"type": "string"}}], tags=("public",))}),
        "/tickets/id/{ticket_id}": {"get": _op(
            "One ticket for staff (only the officer serving it sees the full NIK, logged)",
            {"200": _json(_ref("StaffTicket"), "Ticket"), **_errors(401, 403, 404)},
            security=STAFF_SECURITY, params=[ID_PARAM], tags=("tickets",))},
        "/tickets/{ticket_id}/recall": _action(
            "Call again (after N recalls the next one marks no-show)"),
        "/tickets/{ticket_id}/start": _action("Start serving (called → serving)"),
        "/tickets/{ticket_id}/finish": _action(
            "Finish (serving → done; transfer-and-return goes back to the first service)"),
        "/tickets/{ticket_id}/no-show": _action("Visitor did not come (called)"),
        "/tickets/{ticket_id}/hold": _action("Put on hold; frees the counter"),
        "/tickets/{ticket_id}/resume": _action(
            "Back to waiting, keeping the original issue time"),
        "/tickets/{ticket_id}/transfer": _action(
            "Transfer to another service", body={
                "type": "object", "required": ["service"],
                "properties": {"service": {"type": "string"},
                               "return_after": {"type": "boolean"}}}),
        "/tickets/{ticket_id}/cancel": _action("Cancel"),
        "/counters": {"get": _op(
            "Counters with status, officer and current ticket",
            {"200": _json({"type": "object", "properties": {
                "counters": {"type": "array", "items": _ref("Counter")}}}, "Counters"),
             **_errors(401, 403)}, security=STAFF_SECURITY, tags=("counters",))},
        "/counters/{counter_id}/call-next": {"post": _op(
            "Call the next ticket by the calling rules",
            {"200": _json(_ref("StaffTicket"), "The called ticket"),
             "204": {"description": "Nobody is waiting"}, **_errors(401, 403, 404, 409)},
            security=STAFF_SECURITY, params=[COUNTER_PARAM], tags=("counters",))},
        "/counters/{counter_id}/call": {"post": _op(
            "Call a specific waiting ticket",
            {"200": _json(_ref("StaffTicket"), "The called ticket"),
             **_errors(400, 401, 403, 404, 409, 422)},
            security=STAFF_SECURITY, params=[COUNTER_PARAM],
            body={"type": "object", "required": ["ticket_id"],
                  "properties": {"ticket_id": {"type": "integer"}}}, tags=("counters",))},
        "/counters/{counter_id}/open": _counter_change(
            "Open the counter (the officer sits down)"),
        "/counters/{counter_id}/pause": _counter_change("Pause the counter"),
        "/counters/{counter_id}/close": _counter_change("Close the counter"),
        "/board": {"get": _op(
            "Snapshot for the TV", {"200": _json(_ref("Board"), "Board"), **_errors(422)},
            security=[], params=[{"name": "services", "in": "query", "required": False,
                                  "schema": {"type": "string"},
                                  "description": "comma-separated service codes"}],
            tags=("public",))},
        **openapi_streams.paths(),  # served by the stream process
        "/announcements": {
            "get": _op("Running text", {"200": _json({"type": "object", "properties": {
                "announcements": {"type": "array", "items": {"type": "string"}}}},
                "Announcements")}, security=[], tags=("public",)),
            "put": _op("Replace the running text (admin, sekcam, camat, kasi)",
                       {"200": _json({"type": "object"}, "Announcements"),
                        **_errors(400, 401, 403, 422)}, security=STAFF_SECURITY,
                       body={"type": "object", "properties": {
                           "announcements": {"type": "array", "items": {"type": "string"}},
                           "text": {"type": "string"}}}, tags=("staff",)),
        },
        "/kiosk/faults": {
            "post": _op("A kiosk reports a fault (kiosk device token)",
                        {"201": _json(_ref("Event"), "The recorded event"),
                         **_errors(400, 401, 403, 422)}, security=[{"device": []}],
                        body={"type": "object", "required": ["code"], "properties": {
                            "code": {"type": "string", "enum": list(FAULT_CODES)},
                            "detail": {"type": "string", "maxLength": 200}}}, tags=("staff",)),
            "get": _op("Recent kiosk faults (staff)", {"200": _json(
                {"type": "object", "properties": {"faults": {"type": "array",
                                                             "items": _ref("Event")}}},
                "Faults"), **_errors(401, 403)}, security=STAFF_SECURITY, tags=("staff",)),
        },
        "/auth/token": {"post": _op(
            "Sign in: username + password → bearer token",
            {"200": _json({"type": "object", "properties": {
                "token": {"type": "string"}, "staff": {"type": "object"}}}, "Token"),
             **_errors(400, 401, 422, 429)}, security=[],
            body={"type": "object", "required": ["username", "password"],
                  "properties": {"username": {"type": "string"},
                                 "password": {"type": "string"}}}, tags=("staff",))},
        "/me": {"get": _op("Who am I (staff or device)", {
            "200": _json({"type": "object"}, "Caller"), **_errors(401, 403)},
            security=[{"staff": []}, {"device": []}], tags=("staff",))},
        "/openapi.json": {"get": _op("This document", {
            "200": _json({"type": "object"}, "OpenAPI 3.1")}, security=[], tags=("docs",))},
        "/docs": {"get": {"summary": "This document as a readable page",
                                    "security": [], "tags": ["docs"],
                                    "responses": {"200": {"description": "HTML",
                                                          "content": {"text/html": {}}}}}},
    }
    paths.update(openapi_admin.paths())
    paths.update(openapi_reports.paths())
    paths.update(openapi_survey.paths())
    paths.update(openapi_sessions.paths())
    openapi_sessions.amend(paths)
    paths.update(openapi_access.paths())
    responses = {f"E{c}": _json(_ref("Error"), text) for c, text in {
        400: "Bad request (malformed JSON, wrong body type)",
        401: "Missing, expired or unknown token",
        403: "The caller's role or device may not do this",
        404: "No such ticket, counter or path",
        409: "The current state does not allow this (paused counter, finished ticket...)",
        413: "The body is larger than the limit",
        422: "Invalid field; `field` names it, `message` says why in Bahasa Indonesia",
        429: "Too many wrong passwords for this username: locked for up to 15 minutes",
    }.items()}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Loket queue API", "version": "1.0.0",
                 "description": "Tickets, counters, calling rules and live events of the "
                                "service hall of Kecamatan Genteng. Every error has the shape "
                                "`{\"error\": {\"code\", \"message\", \"field\", "
                                "\"request_id\"}}` with a message in Bahasa Indonesia."},
        "servers": [{"url": server_url}],
        "paths": paths,
        "components": {
            "schemas": {**SCHEMAS, **openapi_admin.SCHEMAS},
            "responses": responses,
            "securitySchemes": {
                "staff": {"type": "http", "scheme": "bearer",
                          "description": "Token from POST /api/queue/auth/token"},
                "device": {"type": "http", "scheme": "bearer",
                           "description": "Device token (dev_…) of a kiosk or display"},
            },
        },
    }
