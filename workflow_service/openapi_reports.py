"""OpenAPI paths of the workflow's reports (merged into openapi.spec)."""

from __future__ import annotations

from typing import Any

ERROR = {"$ref": "#/components/responses/Error"}
DATE = {"type": "string", "format": "date"}
STEP = {"type": "object", "required": ["sop", "step", "cases", "on_time", "late",
                                       "on_time_share"], "properties": {
    "sop": {"type": "string"}, "step": {"type": "string"}, "activity": {"type": "string"},
    "time_standard": {"type": "string", "nullable": True}, "cases": {"type": "integer"},
    "finished": {"type": "integer"}, "on_time": {"type": "integer"},
    "late": {"type": "integer"}, "on_time_share": {"type": "number", "nullable": True},
    "escalations": {"type": "integer"}, "paused_minutes": {"type": "number"}}}

CATEGORY = {"type": "object", "required": ["category", "label", "count", "closed"],
            "properties": {
                "category": {"type": "string", "nullable": True,
                             "description": "the office's topic code; null: none given"},
                "label": {"type": "string"}, "count": {"type": "integer"},
                "closed": {"type": "integer"},
                "median_days_to_close": {"type": "number", "nullable": True}}}


def paths() -> dict[str, Any]:
    def query(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
        return {"name": name, "in": "query", "required": False, "schema": schema,
                "description": description}

    return {"/reports/compliance": {"get": {
        "summary": "SOP compliance of a period (admin, camat, sekcam): per SOP and step the "
                   "cases, on time and late against the mutu baku, on-time share, escalations, "
                   "time with the applicant; per SOP the cases opened; complaints per channel "
                   "and per category (count, closed, median days to close)",
        "security": [{"bearer": []}],
        "parameters": [
            query("from", DATE, "first day (Asia/Jakarta), default today"),
            query("to", DATE, "last day, inclusive, at most 366 days"),
            query("format", {"type": "string", "enum": ["json", "csv", "xlsx"]},
                  "json (default), csv or xlsx (the per-step table)")],
        "responses": {
            "200": {"description": "OK", "content": {
                "application/json": {"schema": {"type": "object", "properties": {
                    "steps": {"type": "array", "items": STEP},
                    "sops": {"type": "array", "items": {"type": "object"}},
                    "complaints": {"type": "array", "items": {"type": "object"}},
                    "complaint_categories": {"type": "array", "items": CATEGORY}}}},
                "text/csv": {}, "application/vnd.openxmlformats-officedocument"
                                ".spreadsheetml.sheet": {}}},
            "401": ERROR, "403": ERROR, "422": ERROR}}},
        "/reports/live": {"get": {
            "summary": "Right now, per SOP (admin, camat, sekcam): open cases, those whose "
                       "current step is past its due time, cases finished today",
            "security": [{"bearer": []}],
            "responses": {"200": {"description": "OK", "content": {"application/json": {
                "schema": {"type": "object", "properties": {
                    "totals": {"type": "object"},
                    "sops": {"type": "array", "items": {"type": "object"}}}}}}},
                "401": ERROR, "403": ERROR}}}}
