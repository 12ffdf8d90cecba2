"""OpenAPI path of the access log of personal data (merged into openapi.build_spec)."""

from __future__ import annotations

from typing import Any

from loket.access_log import PAGE_SIZE_MAX, RECORD_KINDS

_ERR = {str(c): {"$ref": f"#/components/responses/E{c}"} for c in (401, 403, 422)}

ENTRY: dict[str, Any] = {
    "type": "object",
    "description": "One full read of a visitor's NIK or phone number (never the data itself)",
    "properties": {
        "id": {"type": "integer"}, "at": {"type": "string", "format": "date-time"},
        "staff": {"type": "string", "description": "username (or the reading service)"},
        "staff_id": {"type": ["integer", "null"]},
        "service": {"type": "string", "enum": ["queue", "workflow"]},
        "record": {"type": "object", "properties": {
            "kind": {"type": "string", "enum": list(RECORD_KINDS)},
            "id": {"type": "integer"}}},
        "fields": {"type": "array", "items": {"type": "string"}},
        "reason": {"type": "string", "description": 'e.g. "melayani tiket A001 di loket 2", '
                   '"memegang langkah 3 kasus 17"'},
    },
}


def _query(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": schema,
            "description": description}


def paths() -> dict[str, Any]:
    return {"/admin/access-log": {"get": {
        "summary": "Access log of personal data: who read a visitor's full NIK or phone, when, "
                   "which ticket or case and why; newest first (admin)",
        "tags": ["admin"], "security": [{"staff": []}],
        "parameters": [
            _query("from", {"type": "string", "format": "date"},
                   "first local day (office time zone), inclusive"),
            _query("to", {"type": "string", "format": "date"}, "last local day, inclusive"),
            _query("staff", {"type": "string", "maxLength": 60}, "username"),
            _query("page", {"type": "integer", "minimum": 1, "maximum": 100000}, "from 1"),
            _query("per_page", {"type": "integer", "minimum": 1, "maximum": PAGE_SIZE_MAX},
                   "default 50")],
        "responses": {"200": {"description": "OK", "content": {"application/json": {
            "schema": {"type": "object", "properties": {
                "entries": {"type": "array", "items": ENTRY},
                "total": {"type": "integer"}, "page": {"type": "integer"},
                "per_page": {"type": "integer"}}}}}}, **_ERR},
    }}}
