"""OpenAPI paths of the admin API and of the accounts endpoints (merged into openapi.py)."""

from __future__ import annotations

from typing import Any

from loket.auth import STAFF_ROLES
from queue_service.usecases.admin_audit import ENTITIES
from queue_service.validation_admin import DEVICE_KINDS, OFFICIALS

ADMIN: list[dict[str, list[str]]] = [{"staff": []}]
TEXT = {"type": ["string", "null"]}
TEXTS = {"type": "array", "items": {"type": "string"}}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _ok(schema: dict[str, Any], status: str = "200", *errors: int) -> dict[str, Any]:
    out: dict[str, Any] = {status: {"description": "OK", "content": {
        "application/json": {"schema": schema}}}}
    for code in (400, 401, 403, *errors):
        out[str(code)] = {"$ref": f"#/components/responses/E{code}"}
    return out


def _op(summary: str, responses: dict[str, Any], body: dict[str, Any] | None = None,
        param: str | None = None, param_type: str = "integer",
        security: list[Any] | None = None) -> dict[str, Any]:
    op: dict[str, Any] = {"summary": summary, "tags": ["admin"], "responses": responses,
                          "security": ADMIN if security is None else security}
    if body is not None:
        op["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
    if param:
        schema = ({"type": "integer", "minimum": 1, "maximum": 2147483647}
                  if param_type == "integer" else {"type": "string", "maxLength": 40})
        op["parameters"] = [{"name": param, "in": "path", "required": True, "schema": schema}]
    return op


def _list(key: str, item: str) -> dict[str, Any]:
    return {"type": "object", "properties": {key: {"type": "array", "items": _ref(item)}}}


PERSON = {"type": "object", "properties": {"name": {"type": "string"}, "nip": TEXT,
                                           "rank": TEXT}}
SCHEMAS: dict[str, Any] = {
    "AdminOffice": {"type": "object", "properties": {
        "id": {"type": "integer"}, "name": {"type": "string"}, "kabupaten": TEXT,
        "address": TEXT, "phone": TEXT, "logo_url": TEXT, "timezone": {"type": "string"},
        "opening_hours": {"type": "object", "description":
                          'weekday range → "HH:MM-HH:MM" or a list of them (breaks)'},
        "officials": {"type": "object", "properties": dict.fromkeys(OFFICIALS, PERSON)},
        "rooms": {"type": "object", "description":
                  "section code or official (camat, sekcam) → where they sit; unknown keys 422",
                  "additionalProperties": {"type": "object", "properties": {
                      "room": {"type": "string"}, "floor": TEXT}}}}},
    "AdminService": {"type": "object", "properties": {
        "id": {"type": "integer"}, "code": {"type": "string"}, "sop": {"type": "string"},
        "name": {"type": "string"}, "prefix": {"type": "string"}, "open": {"type": "boolean"},
        "bring": TEXTS, "bring_is_demo": {"type": "boolean"}, "fee": {"type": "string"},
        "product": TEXT, "daily_quota": {"type": ["integer", "null"]}}},
    "AdminCounter": {"type": "object", "properties": {
        "id": {"type": "integer"}, "number": {"type": "integer"}, "name": {"type": "string"},
        "services": TEXTS, "tv_order": {"type": "integer"}, "status": {"type": "string"}}},
    "AdminStaff": {"type": "object", "properties": {
        "id": {"type": "integer"}, "username": {"type": "string"},
        "full_name": {"type": "string"}, "nip": TEXT,
        "roles": {"type": "array", "items": {"type": "string", "enum": list(STAFF_ROLES)}},
        "section": TEXT, "counter_id": {"type": ["integer", "null"]},
        "active": {"type": "boolean"}, "must_change_password": {"type": "boolean"}}},
    "AdminDevice": {"type": "object", "properties": {
        "id": {"type": "integer"}, "kind": {"type": "string", "enum": list(DEVICE_KINDS)},
        "name": {"type": "string"}, "place": TEXT, "active": {"type": "boolean"},
        "created_at": {"type": "string"}, "last_seen_at": TEXT, "revoked_at": TEXT,
        "token": {"type": "string", "description": "only in the answer to POST"},
        "qr_svg": {"type": "string", "description": "the token as a QR code (SVG), POST only"}}},
    "AuditEntry": {"type": "object", "properties": {
        "id": {"type": "integer"}, "at": {"type": "string"}, "actor": {"type": "string"},
        "action": {"type": "string"}, "entity": {"type": "string", "enum": list(ENTITIES)},
        "entity_id": TEXT, "before": {"type": ["object", "null"]},
        "after": {"type": ["object", "null"]}}},
}

SERVICE_BODY = {"type": "object", "properties": {
    "sop": {"type": "string"}, "name": {"type": "string"}, "prefix": {"type": "string"},
    "open": {"type": "boolean"}, "bring": TEXTS, "fee": {"type": "string"},
    "product": {"type": "string"}, "daily_quota": {"type": ["integer", "null"]}}}
COUNTER_BODY = {"type": "object", "properties": {
    "name": {"type": "string"}, "services": TEXTS, "tv_order": {"type": "integer"}}}
STAFF_BODY = {"type": "object", "properties": {
    "username": {"type": "string"}, "password": {"type": "string", "minLength": 8},
    "full_name": {"type": "string"}, "nip": {"type": "string"}, "roles": TEXTS,
    "section": {"type": "string", "description": "a section of the office file, by code "
                "(pemerintahan, pelayanan, kesra) or name; kept as the name; other text: 422"},
    "counter_id": {"type": ["integer", "null"]}}}


def paths() -> dict[str, Any]:
    return {**_setup_paths(), **_people_paths(), **_read_paths()}


def _setup_paths() -> dict[str, Any]:
    return {
        "/admin/office": {
            "get": _op("The office profile (admin)", _ok(_ref("AdminOffice"), "200", 409)),
            "put": _op("Change the office profile; only the fields sent (admin)",
                       _ok(_ref("AdminOffice"), "200", 409, 422), body=_ref("AdminOffice"))},
        "/admin/services": {
            "get": _op("Services with their settings (admin)",
                       _ok(_list("services", "AdminService"))),
            "post": _op("Offer another SOP of the catalog (admin); 409 if offered already",
                        _ok(_ref("AdminService"), "201", 409, 422), body=SERVICE_BODY)},
        "/admin/services/{code}": {"put": _op(
            "Change a service: prefix, open, bring-list, fee, product, daily quota (admin)",
            _ok(_ref("AdminService"), "200", 404, 409, 422), body=SERVICE_BODY,
            param="code", param_type="string")},
        "/admin/counters": {
            "get": _op("Counters (admin)", _ok(_list("counters", "AdminCounter"))),
            "post": _op('Create a counter `{"name", "services": [codes]}` (admin); 409 name '
                        "taken", _ok(_ref("AdminCounter"), "201", 409, 422), body=COUNTER_BODY)},
        "/admin/counters/{counter_id}": {"put": _op(
            "Change a counter (admin)", _ok(_ref("AdminCounter"), "200", 404, 409, 422),
            body=COUNTER_BODY, param="counter_id")},
    }


def _people_paths() -> dict[str, Any]:
    return {
        "/admin/staff": {
            "get": _op("Staff accounts (admin)", _ok(_list("staff", "AdminStaff"))),
            "post": _op("Create an account; the password must be changed at first login "
                        "(admin); 409 username taken",
                        _ok(_ref("AdminStaff"), "201", 409, 422), body=STAFF_BODY)},
        "/admin/staff/{staff_id}": {"put": _op(
            "Change an account (admin)", _ok(_ref("AdminStaff"), "200", 404, 409, 422),
            body=STAFF_BODY, param="staff_id")},
        "/admin/staff/{staff_id}/deactivate": {"post": _op(
            "Deactivate an account: no login, its tokens refused (admin)",
            _ok(_ref("AdminStaff"), "200", 404, 409), param="staff_id")},
        "/admin/staff/{staff_id}/password": {"post": _op(
            "Reset a password; to be changed at the next login (admin)",
            _ok(_ref("AdminStaff"), "200", 404, 422), param="staff_id",
            body={"type": "object", "required": ["password"],
                  "properties": {"password": {"type": "string", "minLength": 8}}})},
        "/admin/devices": {
            "get": _op("Kiosks and TVs, last seen (admin)", _ok(_list("devices", "AdminDevice"))),
            "post": _op('Create a device `{"kind", "name", "place"}`; the answer holds its '
                        "token, shown only once (admin)",
                        _ok(_ref("AdminDevice"), "201", 409, 422), body={
                            "type": "object", "required": ["kind", "name"], "properties": {
                                "kind": {"type": "string", "enum": list(DEVICE_KINDS)},
                                "name": {"type": "string"}, "place": {"type": "string"}}})},
        "/admin/devices/{device_id}/revoke": {"post": _op(
            "Revoke a device token: refused everywhere within 5 s (admin)",
            _ok(_ref("AdminDevice"), "200", 404, 409), param="device_id")},
        "/admin/audit": {"get": {**_op(
            "Audit log of administrative changes, newest first (admin)",
            _ok(_list("entries", "AuditEntry"), "200", 422)), "parameters": [
                {"name": "actor", "in": "query", "required": False,
                 "schema": {"type": "string"}},
                {"name": "entity", "in": "query", "required": False,
                 "schema": {"type": "string", "enum": list(ENTITIES)}},
                {"name": "since", "in": "query", "required": False,
                 "schema": {"type": "string", "format": "date"}}]}},
    }


def _read_paths() -> dict[str, Any]:
    return {
        "/auth/password": {"post": {**_op(
            "Change one's own password (any staff token, also the first-login one); returns a "
            "full token", _ok({"type": "object", "properties": {
                "token": {"type": "string"}, "must_change_password": {"type": "boolean"}}},
                "200", 422),
            body={"type": "object", "required": ["current_password", "new_password"],
                  "properties": {"current_password": {"type": "string"},
                                 "new_password": {"type": "string", "minLength": 8}}}),
            "tags": ["staff"]}},
        "/office": {"get": {**_op(
            "The office profile (name, kabupaten, address, officials who sign) for documents "
            "and headers (any staff role)", _ok(_ref("AdminOffice"), "200", 409)),
            "tags": ["staff"]}},
        "/staff": {"get": {**_op(
            "Active staff by role and section, for reassign-by-person (any staff role)",
            _ok({"type": "object", "properties": {"staff": {"type": "array", "items": {
                "type": "object", "properties": {
                    "id": {"type": "integer"}, "username": {"type": "string"},
                    "full_name": {"type": "string"}, "roles": TEXTS, "section": TEXT,
                    "counter_id": {"type": ["integer", "null"]}}}},
                "sections": {"type": "array", "description": "the office file's sections, "
                             "the list a staff section is picked from", "items": {
                                 "type": "object", "properties": {"code": TEXT,
                                                                  "name": TEXT}}}}})),
            "tags": ["staff"], "parameters": [
                {"name": "role", "in": "query", "required": False,
                 "schema": {"type": "string"}},
                {"name": "section", "in": "query", "required": False,
                 "schema": {"type": "string"}}]}},
    }
