"""OpenAPI paths of document re-issues (#17), merged into openapi.spec."""

from __future__ import annotations

from typing import Any

ERROR = {"$ref": "#/components/responses/Error"}
KINDS = ["tanda_terima", "surat_pengantar", "lembar_disposisi", "rekomendasi"]
DOCUMENT = {"type": "object", "properties": {
    "id": {"type": "integer"}, "case_id": {"type": "integer"}, "kind": {"type": "string"},
    "number": {"type": "string"}, "version": {"type": "integer"},
    "replaces_id": {"type": "integer", "nullable": True},
    "reason": {"type": "string", "nullable": True}, "created_at": {"type": "string"},
    "created_by": {"type": "string", "nullable": True}, "url": {"type": "string"}}}


def paths() -> dict[str, Any]:
    return {"/cases/{case_id}/documents/{kind}/reissue": {"post": {
        "summary": "Re-issue a document under its register number (the next version); the "
                   "reason is required, who and when are recorded. Only the role of the SOP "
                   "step that produces the document, in the state where it is produced (403 "
                   "outside_remit, 409 document_not_ready / document_not_issued)",
        "security": [{"bearer": []}],
        "parameters": [
            {"name": "case_id", "in": "path", "required": True,
             "schema": {"type": "integer", "minimum": 1}},
            {"name": "kind", "in": "path", "required": True,
             "schema": {"type": "string", "enum": KINDS}}],
        "requestBody": {"required": True, "content": {"application/json": {"schema": {
            "type": "object", "required": ["reason"], "properties": {
                "reason": {"type": "string", "minLength": 5, "maxLength": 500},
                "classification": {"type": "string", "maxLength": 200},
                "forward_to": {"type": "string", "maxLength": 200},
                "instruction": {"type": "string", "maxLength": 2000}}}}}},
        "responses": {
            "201": {"description": "The new version", "content": {"application/json": {
                "schema": DOCUMENT}}},
            **dict.fromkeys(("400", "401", "403", "404", "409", "413", "415", "422"), ERROR)}}}}
