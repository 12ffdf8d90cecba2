"""OpenAPI paths of the citizen's side: SKM survey, IKM report, standar pelayanan, the phone
page (merged into openapi.build_spec)."""

from __future__ import annotations

from typing import Any

from queue_service.domain import skm
from queue_service.validation_survey import MAX_COMMENT

_ERR = {c: {"$ref": f"#/components/responses/E{c}"} for c in (400, 401, 403, 404, 409, 422)}

SURVEY_REQUEST: dict[str, Any] = {
    "type": "object", "required": ["answers"],
    "properties": {
        "answers": {"type": "object", "description": "Unsur code → 1..4 (an unsur may be left "
                    "out); the nine unsur of PermenPANRB 14/2017",
                    "properties": {code: {"type": "integer", "minimum": 1, "maximum": 4,
                                          "description": name}
                                   for code, (name, _q, _a) in skm.UNSUR.items()},
                    "additionalProperties": False},
        "profile": {"type": "object", "properties": {
            "age": {"type": "integer", "minimum": skm.AGE_RANGE[0],
                    "maximum": skm.AGE_RANGE[1]},
            "gender": {"type": "string", "enum": list(skm.GENDERS)},
            "education": {"type": "string", "enum": list(skm.EDUCATIONS)},
            "occupation": {"type": "string", "enum": list(skm.OCCUPATIONS)}}},
        "comment": {"type": ["string", "null"], "maxLength": MAX_COMMENT},
    },
}

SKM_REPORT: dict[str, Any] = {
    "type": "object",
    "required": ["respondents", "unsur", "ikm", "mutu", "kinerja", "sample_needed",
                 "sample_reached"],
    "properties": {
        "respondents": {"type": "integer"}, "population": {"type": "integer"},
        "unsur": {"type": "array", "items": {"type": "object", "properties": {
            "code": {"type": "string"}, "name": {"type": "string"},
            "answered": {"type": "integer"}, "nrr": {"type": ["number", "null"]},
            "converted": {"type": ["number", "null"]}, "priority": {"type": "boolean"}}}},
        "ikm": {"type": ["number", "null"], "description": "25..100, two decimals"},
        "mutu": {"type": ["string", "null"], "enum": ["A", "B", "C", "D", None]},
        "kinerja": {"type": ["string", "null"]},
        "sample_needed": {"type": "integer", "description": "Krejcie–Morgan table"},
        "sample_reached": {"type": "boolean"},
        "priority": {"type": ["object", "null"]},
        "profile": {"type": "object"}, "comments": {"type": "array", "items": {"type": "string"}},
    },
}

_PERIOD = [
    {"name": "from", "in": "query", "required": True, "schema": {"type": "string",
                                                                 "format": "date"}},
    {"name": "to", "in": "query", "required": True, "schema": {"type": "string",
                                                               "format": "date"}},
    {"name": "service", "in": "query", "required": False, "schema": {"type": "string"}},
]


def _report_op(summary: str, media: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    content = {media: {"schema": schema}} if schema else {media: {}}
    if media == "application/json":
        content["text/html"] = {}
    return {"get": {"summary": summary, "security": [{"staff": []}], "tags": ["skm"],
                    "parameters": _PERIOD,
                    "responses": {"200": {"description": "The report", "content": content},
                                  **{str(c): _ERR[c] for c in (401, 403, 404, 422)}}}}


STANDARD: dict[str, Any] = {
    "type": "object",
    "properties": {
        "office": {"type": "string"}, "code": {"type": "string"}, "name": {"type": "string"},
        "requirements": {"type": "array", "items": {"type": "string"}},
        "requirements_are_demo": {"type": "boolean"},
        "procedure": {"type": "array", "items": {"type": "string"}},
        "duration": {"type": "string"}, "fee": {"type": "string"}, "product": {"type": "string"},
        "complaints": {"type": "array", "items": {"type": "string"}},
    },
}


def _public(summary: str, content: dict[str, Any]) -> dict[str, Any]:
    return {"get": {"summary": summary, "security": [], "tags": ["public"],
                    "parameters": [{"name": "code", "in": "path", "required": True,
                                    "schema": {"type": "string"}}],
                    "responses": {"200": {"description": "The standard", "content": content},
                                  "404": _ERR[404], "422": _ERR[422]}}}


def with_phone_page(path_item: dict[str, Any]) -> dict[str, Any]:
    """The ticket status answers the phone page to Accept: text/html."""
    get = path_item["get"]
    get["summary"] += "; a browser (Accept: text/html) gets the live ticket page"
    get["responses"]["200"]["content"]["text/html"] = {}
    return path_item


def paths() -> dict[str, Any]:
    return {
        "/tickets/{tracking_code}/survey": {"post": {
            "summary": "SKM answers for a served ticket (once); 409 before it is finished or "
                       "a second time; 422 names a value outside 1–4",
            "security": [], "tags": ["public"],
            "parameters": [{"name": "tracking_code", "in": "path", "required": True,
                            "schema": {"type": "string"}}],
            "requestBody": {"required": True,
                            "content": {"application/json": {"schema": SURVEY_REQUEST}}},
            "responses": {"201": {"description": "Recorded", "content": {"application/json": {
                "schema": {"type": "object"}}}},
                **{str(c): _ERR[c] for c in (400, 404, 409, 422)}}}},
        "/services/{code}/standar": _public(
            "Standar pelayanan of a service (PermenPANRB 15/2014): JSON, or the page to "
            "Accept: text/html", {"application/json": {"schema": STANDARD}, "text/html": {}}),
        "/services/{code}/standar/poster": _public(
            "The standar pelayanan as a printable A4 poster (HTML)", {"text/html": {}}),
        "/services/{code}/standar/poster.pdf": _public(
            "The A4 poster as PDF", {"application/pdf": {}}),
        "/skm": _report_op("IKM of a period (admin, Camat, Sekcam); the report page to "
                           "Accept: text/html", "application/json", SKM_REPORT),
        "/skm/report.pdf": _report_op("The IKM report as A4 PDF", "application/pdf"),
        "/skm/report.xlsx": _report_op(
            "The IKM report as a workbook",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    }
