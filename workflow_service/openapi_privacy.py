"""OpenAPI notes of personal data by need (issue #17), merged into openapi.build_spec: who
reads a case's applicant in full, who downloads a document."""

from __future__ import annotations

from typing import Any

NOTES = {
    ("/cases/{case_id}", "get"):
        "The applicant is masked (`nik_masked`, `phone_masked`). With `?reveal=1` the "
        "applicant's `nik`, `phone` and `contact` come in full, only for whoever holds the "
        "case's current step (its role, a delegate, the assignee; not kept off by the step's "
        "section); each such read is written to the access log "
        "(`GET /api/queue/admin/access-log`). Anyone else asking gets 403 `not_step_holder`.",
    ("/documents/{document_id}.pdf", "get"):
        "Documents carry personal data: only staff of the case download them — whoever holds "
        "or held one of its steps, was assigned one, issued the document, or the Camat, the "
        "Sekcam and the administrator. Others get 403 `not_case_staff`.",
}


REVEAL = {"name": "reveal", "in": "query", "required": False,
          "description": "1: the applicant in full (the current step's holder only, logged)",
          "schema": {"type": "string", "enum": ["0", "1", "true", "false"]}}


def annotate(paths: dict[str, Any]) -> None:
    for (path, method), note in NOTES.items():
        operation = paths.get(path, {}).get(method)
        if operation is not None:
            operation["description"] = note
    case = paths.get("/cases/{case_id}", {}).get("get")
    if case is not None:
        case.setdefault("parameters", []).append(REVEAL)
