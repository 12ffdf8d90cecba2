"""OpenAPI paths of the queue's reports and staffing forecast (merged by openapi.build_spec)."""

from __future__ import annotations

from typing import Any

STAFF: list[dict[str, list[str]]] = [{"staff": []}]
ERRORS = {str(c): {"$ref": f"#/components/responses/E{c}"} for c in (401, 403, 422)}
DATE = {"type": "string", "format": "date", "example": "2026-11-01"}
PERIOD = [
    {"name": "from", "in": "query", "required": False, "schema": DATE,
     "description": "first day (office time zone), default today"},
    {"name": "to", "in": "query", "required": False, "schema": DATE,
     "description": "last day, inclusive; at most 366 days after `from`"},
]
DURATION = {"type": "object", "properties": {
    "count": {"type": "integer"}, "median": {"type": ["number", "null"]},
    "p90": {"type": ["number", "null"]}, "max": {"type": ["number", "null"]}}}
FIGURES = {
    "issued": {"type": "integer"}, "served": {"type": "integer"},
    "no_show": {"type": "integer"}, "cancelled": {"type": "integer"},
    "waiting_minutes": DURATION, "service_minutes": DURATION,
}


def _group(key: str, key_type: str) -> dict[str, Any]:
    return {"type": "array", "items": {"type": "object", "properties": {
        key: {"type": key_type}, **FIGURES}}}


def _number(name: str, description: str, required: bool = False) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": required, "description": description,
            "schema": {"type": "number"}}


def _get(summary: str, schema: dict[str, Any], params: list[Any],
         content: dict[str, Any] | None = None,
         extra: dict[str, Any] | None = None) -> dict[str, Any]:
    body = content or {"application/json": {"schema": schema}}
    return {"get": {"summary": summary, "tags": ["reports"], "security": STAFF,
                    "parameters": params,
                    "responses": {"200": {"description": "OK", "content": body}, **ERRORS,
                                  **(extra or {})}}}


STAFFING = {"type": "object", "required": ["counters", "service_level", "probability_wait"],
            "properties": {
                "counters": {"type": "integer"}, "service_level": {"type": "number"},
                "probability_wait": {"type": "number"},
                "mean_wait_minutes": {"type": ["number", "null"]}}}
SUMMARY = {"type": "object", "properties": {
    "from": DATE, "to": DATE, "timezone": {"type": "string"},
    "totals": {"type": "object", "properties": FIGURES},
    "by_service": _group("service", "string"), "by_counter": _group("counter", "integer"),
    "by_officer": _group("officer", "string"), "by_hour": _group("hour", "integer"),
    "by_day": {"type": "array", "items": {"type": "object"}}}}
JOB = {"type": "object", "required": ["id", "month", "state", "progress"], "properties": {
    "id": {"type": "string"}, "month": {"type": "string"},
    "state": {"type": "string", "enum": ["queued", "running", "done", "failed"]},
    "progress": {"type": "integer", "minimum": 0, "maximum": 100},
    "requested_by": {"type": ["string", "null"]}, "error": {"type": ["string", "null"]}}}
JOB_ID = {"name": "job_id", "in": "path", "required": True,
          "schema": {"type": "string", "maxLength": 40}}
TICKET_ROW = {"type": "object", "properties": {
    "number": {"type": "string"}, "service": {"type": "string"}, "date": DATE,
    "issued": {"type": "string"}, "called": {"type": ["string", "null"]},
    "finished": {"type": ["string", "null"]}, "status": {"type": "string"},
    "counter": {"type": ["integer", "null"]},
    "waiting_minutes": {"type": ["number", "null"]},
    "service_minutes": {"type": ["number", "null"]}}}


def _monthly_paths() -> dict[str, Any]:
    return {
        "/reports/monthly": {"post": {
            "summary": "Ask for the laporan bulanan PDF of a month (admin, camat, sekcam); a "
                       "Celery worker makes it, poll the job for progress",
            "tags": ["reports"], "security": STAFF,
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "required": ["month"], "properties": {
                    "month": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$",
                              "example": "2026-10"}}}}}},
            "responses": {"202": {"description": "Accepted", "content": {
                "application/json": {"schema": JOB}}},
                **{c: ERRORS[c] for c in ERRORS}, "400": {"$ref": "#/components/responses/E400"},
                "503": {"description": "Redis is down: try later"}}}},
        "/reports/monthly/{job_id}": _get(
            "State and progress of a laporan bulanan job", JOB, [JOB_ID],
            extra={"404": {"$ref": "#/components/responses/E404"}}),
        "/reports/monthly/{job_id}/pdf": _get(
            "The finished laporan bulanan (409 while it is still being made)", {}, [JOB_ID],
            content={"application/pdf": {}},
            extra={"404": {"$ref": "#/components/responses/E404"},
                   "409": {"$ref": "#/components/responses/E409"}}),
    }


def paths() -> dict[str, Any]:
    return {
        **_monthly_paths(),
        "/reports/summary": _get(
            "Figures of a period (admin, camat, sekcam): issued, served, no-shows, waiting and "
            "service minutes (median, p90, max) in total and per service, counter, officer, "
            "hour of day and day", SUMMARY, PERIOD),
        "/reports/tickets": _get(
            "One row per ticket of a period (admin, camat, sekcam); no NIK, no name",
            {}, [*PERIOD, {"name": "format", "in": "query", "required": False,
                           "schema": {"type": "string", "enum": ["json", "csv", "xlsx"]}}],
            content={"application/json": {"schema": {"type": "object", "properties": {
                "count": {"type": "integer"},
                "tickets": {"type": "array", "items": TICKET_ROW}}}},
                "text/csv": {},
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}}),
        "/reports/chart": _get(
            "Tickets issued per hour of day or per day of a period as an SVG bar chart drawn "
            "on the server (admin, camat, sekcam)", {}, [
                *PERIOD, {"name": "kind", "in": "query", "required": False,
                          "schema": {"type": "string", "enum": ["hour", "day"]}}],
            content={"image/svg+xml": {}}),
        "/forecast": _get(
            "Counters needed for one hour by Erlang C: the smallest number whose share of "
            "visitors waiting at most the target reaches the target share (admin, camat, "
            "sekcam)", STAFFING, [
                _number("arrivals_per_hour", "visitors per hour (λ)", True),
                _number("service_minutes", "mean minutes at the counter", True),
                _number("target_wait_minutes", "wait target in minutes (default 15)"),
                _number("target_share", "share that must wait at most the target, 0–1 "
                                        "(default 0.8)")]),
        "/forecast/table": _get(
            "Counters needed per weekday and hour from the last weeks' arrivals and service "
            "times (the SOP's standard where there is no history), with the expected wait "
            "for the counters planned", {"type": "object"}, [
                {"name": "weeks", "in": "query", "required": False,
                 "schema": {"type": "integer", "minimum": 1, "maximum": 52}},
                _number("target_wait_minutes", "wait target in minutes (default 15)"),
                _number("target_share", "share within the target, 0–1 (default 0.8)"),
                {"name": "planned", "in": "query", "required": False,
                 "schema": {"type": "integer", "minimum": 0, "maximum": 200},
                 "description": "counters planned (default: every counter of the hall)"},
                {"name": "service", "in": "query", "required": False,
                 "schema": {"type": "string"}}]),
    }
