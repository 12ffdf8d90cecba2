"""The workflow API's OpenAPI 3 document."""

from __future__ import annotations

from typing import Any

from workflow_service import (
    openapi_documents,
    openapi_privacy,
    openapi_reports,
    openapi_streams,
)

ERROR = {"$ref": "#/components/responses/Error"}


def _op(summary: str, *, auth: bool = True, body: dict[str, Any] | None = None,
        ok: str = "200", params: list[dict[str, Any]] | None = None,
        content_type: str = "application/json", errors: tuple[str, ...] = ()) -> dict[str, Any]:
    op: dict[str, Any] = {"summary": summary, "responses": {
        ok: {"description": "OK", "content": {content_type: {"schema": {}}}}}}
    for code in ("400", "401", "403", "404", "409", "413", "415", "422", *errors):
        if code in ("401", "403") and not auth:
            continue
        op["responses"][code] = ERROR
    if auth:
        op["security"] = [{"bearer": []}]
    if body is not None:
        op["requestBody"] = {"required": False, "content": {"application/json": {"schema": body}}}
    if params:
        op["parameters"] = params
    return op


def _path_param(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": schema}


def _query(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": schema}


# Ids are INTEGER columns: a larger one is no address (404), like any unknown id.
ID_SCHEMA = {"type": "integer", "minimum": 1, "maximum": 2**31 - 1, "example": 1}
CASE_ID = _path_param("case_id", ID_SCHEMA)
CODE = _path_param("code", {"type": "string", "minLength": 1, "maxLength": 40,
                            "pattern": "^[A-Za-z0-9-]+$"})
# Text limits as workflow_service/validation.py checks them (422 naming the field).
ACTION_BODY = {"type": "object", "properties": {
    "output": {"type": "string", "maxLength": 4000},
    "checked_requirements": {"type": "array", "maxItems": 100,
                             "items": {"type": "string", "maxLength": 200}},
    "decision": {"type": "string", "maxLength": 60},
    "reason": {"type": "string", "maxLength": 4000},
    "assignee": {"type": "string", "maxLength": 60}}}


APPLICANT = {"type": "object", "properties": {
    "name": {"type": "string", "maxLength": 120},
    "nik": {"type": "string", "pattern": "^[0-9]{16}$"},
    "phone": {"type": "string"}, "contact": {"type": "string", "maxLength": 120},
    "answers": {"type": "object"}}}


def spec() -> dict[str, Any]:
    paths: dict[str, Any] = {
        "/healthz": {"get": _op("Alive", auth=False)},
        "/readyz": {"get": _op("Database and Redis reachable", auth=False, errors=("503",))},
        "/sops": {"get": _op("All SOPs as JSON", auth=False)},
        "/sops/": {"get": _op("An index page of every SOP sheet", auth=False,
                              content_type="text/html")},
        "/sops/{code}": {"get": _op("One SOP as JSON", auth=False, params=[CODE])},
        "/sops/{code}/sheet": {"get": _op("The printable SOP sheet (A4)", auth=False,
                                          params=[CODE], content_type="text/html")},
        "/cases": {
            "get": _op("Worklist by role and status", params=[
                _query("role", {"type": "string"}),
                _query("status", {"type": "string",
                                  "enum": ["open", "done", "rejected", "cancelled"]}),
                _query("mine", {"type": "string", "enum": ["1", "true", "0", "false"]}),
                _query("sop", {"type": "string"})]),
            "post": _op("Staff intake of a case without a ticket", ok="201", body={
                "type": "object", "required": ["sop"], "properties": {
                    "sop": {"type": "string"}, "channel": {"type": "string"},
                    "subject": {"type": "string"},
                    "applicant": APPLICANT}}),
        },
        "/cases/external": {"get": _op(
            "Open cases whose file is with an outside office (e.g. the KK at the Dinas)")},
        "/cases/{case_id}": {"get": _op("A case with its steps and audit log",
                                        params=[CASE_ID])},
        "/cases/{case_id}/applicant": {"put": _op(
            "Add or correct the applicant (NIK checked; shown masked)", params=[CASE_ID],
            body=APPLICANT)},
        "/cases/{case_id}/documents": {"get": _op("Documents of a case", params=[CASE_ID])},
        "/cases/{case_id}/documents/{kind}": {"post": _op(
            "Issue a document (PDF) with the next register number: once per case and kind, "
            "by the role of the SOP step that produces it, in that step's state (403 "
            "outside_remit, 409 document_not_ready / document_already_issued)", ok="201",
            params=[CASE_ID, _path_param("kind", {
                "type": "string", "enum": ["tanda_terima", "surat_pengantar",
                                           "lembar_disposisi", "rekomendasi"]})],
            body={"type": "object"})},
        "/documents/{document_id}.pdf": {"get": _op(
            "Download a document", params=[_path_param("document_id", ID_SCHEMA)],
            content_type="application/pdf")},
        "/track/{code}": {"get": _op("Public case status (no personal data)", auth=False,
                                     params=[CODE])},
        "/t/{code}": {"get": _op("Public case status page", auth=False, params=[CODE],
                                 content_type="text/html")},
        **openapi_streams.paths(),  # served by the stream process
        "/calendar/overrides": {
            "get": _op("Local closed/open days"),
            "post": _op("Add a local closed/open day", ok="201", body={
                "type": "object", "required": ["date", "kind", "name"], "properties": {
                    "date": {"type": "string", "format": "date"},
                    "kind": {"type": "string", "enum": ["closed", "open"]},
                    "name": {"type": "string", "maxLength": 120}}}),
        },
        "/calendar/overrides/{day}": {"delete": _op("Remove a local day", params=[
            _path_param("day", {"type": "string", "format": "date"})])},
        "/incidents": {"get": _op("Parked notifications")},
        "/incidents/{notification_id}/retry": {"post": _op("Retry a parked notification",
                                                           params=[_path_param(
                                                               "notification_id",
                                                               ID_SCHEMA)])},
    }
    paths.update(openapi_reports.paths())
    paths.update(openapi_documents.paths())
    from workflow_service.openapi_reception import paths as reception_paths

    paths.update(reception_paths())
    openapi_privacy.annotate(paths)
    from workflow_service.openapi_citizen import paths as citizen_paths

    paths.update(citizen_paths())
    for action in ("complete", "return", "resubmit", "reject", "reassign", "cancel"):
        paths[f"/cases/{{case_id}}/steps/current/{action}"] = {"post": _op(
            f"{action} the current step", params=[CASE_ID], body=ACTION_BODY)}
    from workflow_service.openapi_routing import paths as routing_paths

    paths.update(routing_paths())
    return {
        "openapi": "3.0.3",
        "info": {"title": "Loket — Workflow API", "version": "1.0",
                 "description": "Cases walked through the Genteng SOPs. Errors use one "
                                "shape with a Bahasa Indonesia message."},
        "servers": [{"url": "/api/workflow"}],
        "paths": paths,
        "components": {
            "schemas": {},
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "responses": {"Error": {"description": "Error", "content": {"application/json": {
                "schema": {"type": "object", "required": ["error"], "properties": {
                    "error": {"type": "object", "required": ["code", "message"], "properties": {
                        "code": {"type": "string"}, "message": {"type": "string"},
                        "field": {"type": "string", "nullable": True},
                        "request_id": {"type": "string", "nullable": True}}}}}}}}},
        },
    }
