"""OpenAPI paths of guest reception and complaints (merged into the workflow document)."""

from __future__ import annotations

from typing import Any

from workflow_service.openapi import ID_SCHEMA, _op, _path_param, _query

GUEST_ID = _path_param("guest_id", ID_SCHEMA)
PERIOD = [_query("date", {"type": "string", "format": "date"}),
          _query("month", {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"})]
GUEST_BODY = {"type": "object", "required": ["name", "purpose", "host"], "properties": {
    "name": {"type": "string", "maxLength": 120},
    "institution": {"type": "string", "maxLength": 160,
                    "description": "institution or address"},
    "purpose": {"type": "string", "maxLength": 200},
    "host": {"type": "string", "maxLength": 120, "description": "whom or which section"},
    "group_size": {"type": "integer", "minimum": 1, "maximum": 100,
                   "description": "a group registers its leader"},
    "id_card": {"type": "object", "required": ["type", "number"], "properties": {
        "type": {"type": "string", "enum": ["ktp", "sim", "kartu_pegawai", "paspor",
                                            "kartu_pelajar", "lainnya"]},
        "number": {"type": "string"}}},
    "visitor_card": {"type": "integer", "minimum": 1},
    "ticket": {"type": "object", "description": "the kiosk ticket whose answers prefilled "
               "the form", "properties": {"id": {"type": "integer"},
                                         "number": {"type": "string"}}}}}
CONTACT = {"type": "object", "properties": {"email": {"type": "string", "format": "email"},
                                            "phone": {"type": "string"}}}
COMPLAINT_BODY = {"type": "object", "required": ["text", "contact"], "properties": {
    "text": {"type": "string", "maxLength": 4000}, "contact": CONTACT,
    "name": {"type": "string"}, "anonymous": {"type": "boolean"},
    "category": {"type": "string"},
    "attachments": {"type": "array", "maxItems": 3, "items": {
        "type": "object", "properties": {"filename": {"type": "string"},
                                         "content_base64": {"type": "string"}}},
        "description": "images or PDF, at most 5 MB each, type checked by content; "
                       "or send multipart/form-data with files named 'attachments'"}}}


CASE_ID = _path_param("case_id", ID_SCHEMA)
INBOUND_BODY = {"type": "object", "required": ["channel", "from", "text", "message_id"],
                "properties": {"channel": {"type": "string", "enum": ["whatsapp", "sms", "email"]},
                               "from": {"type": "string",
                                        "description": "phone (+62…/08…) or e-mail address"},
                               "text": {"type": "string", "maxLength": 4000},
                               "message_id": {"type": "string", "maxLength": 200}}}
INTAKE_BODY = {"type": "object", "required": ["channel", "text"], "properties": {
    **COMPLAINT_BODY["properties"],  # type: ignore[dict-item]
    "channel": {"type": "string", "enum": ["loket", "telepon", "surat", "langsung",
                                           "sp4n_lapor", "email", "whatsapp", "sms"]},
    "lapor_reference": {"type": "string", "description": "SP4N-LAPOR! ticket number"},
    "ticket": {"type": "object", "description": "the kiosk ticket served at the counter: its "
               "complaint text reaches the ticket's case",
               "properties": {"id": {"type": "integer"}, "number": {"type": "string"}}}}}


def complaint_paths() -> dict[str, Any]:
    return {
        "/complaints": {"post": _op(
            "Public complaint (no token; rate-limited per address; JSON or multipart form) "
            "-> 201 {tracking_code, track_url}", auth=False, ok="201", body=COMPLAINT_BODY,
            errors=("429",))},
        "/complaints/inbound": {"post": _op(
            "Inbound e-mail/WhatsApp/SMS (Authorization: Bearer LOKET_INBOUND_SECRET); the "
            "same message_id again -> 200 with the same complaint", auth=False, ok="201",
            body=INBOUND_BODY, errors=("401",))},
        "/complaints/intake": {"post": _op(
            "Staff intake: telephone, letter, counter (kiosk ticket), SP4N-LAPOR!", ok="201",
            body=INTAKE_BODY)},
        "/complaints/{case_id}": {"get": _op(
            "The complaint of a case (an anonymous reporter only for the petugas)",
            params=[CASE_ID])},
        "/complaints/{case_id}/attachments/{attachment_id}": {"get": _op(
            "Download an attachment", params=[CASE_ID, _path_param(
                "attachment_id", ID_SCHEMA)],
            content_type="application/octet-stream")},
        "/complaints/register": {"get": _op(
            "The complaint register of a month: each step's business time against its "
            "standard", params=[_query("month", {"type": "string",
                                                  "pattern": "^[0-9]{4}-[0-9]{2}$"})])},
        "/complaints/register.{fmt}": {"get": _op(
            "The complaint register as CSV, XLSX or PDF", params=[
                _path_param("fmt", {"type": "string", "enum": ["csv", "xlsx", "pdf"]}),
                _query("month", {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"})],
            content_type="application/octet-stream")},
        "/pengaduan": {"get": _op("The public complaint page (phone-sized)", auth=False,
                                  content_type="text/html")},
    }


def paths() -> dict[str, Any]:
    return {**complaint_paths(), **guest_paths()}


def guest_paths() -> dict[str, Any]:
    return {
        "/guests/cards": {
            "get": _op("Visitor cards of the office: {cards: [{number, free}]}"),
            "put": _op("Admin: the pool is cards 1..count", body={
                "type": "object", "required": ["count"],
                "properties": {"count": {"type": "integer", "minimum": 1, "maximum": 500}}}),
        },
        "/guests": {
            "get": _op("The buku tamu of a day or a month", params=PERIOD),
            "post": _op("Check a guest in (receptionist): buku tamu, identity card held, "
                        "visitor card out; 409 if the card is out; the answer's `way` is the "
                        "host's room from the office profile (or null); the host is notified",
                        ok="201", body=GUEST_BODY),
        },
        "/guests/{guest_id}/checkout": {"post": _op(
            "Check a guest out: visitor card back, identity card back", params=[GUEST_ID])},
        "/guests/inside": {"get": _op("Who is inside now (identity cards masked), each "
                                      "with `way`, the host's room")},
        "/guests/export.{fmt}": {"get": _op(
            "The buku tamu as CSV, XLSX or PDF; personal data masked but for the "
            "receptionist and admin", params=[_path_param("fmt", {
                "type": "string", "enum": ["csv", "xlsx", "pdf"]}), *PERIOD],
            content_type="application/octet-stream")},
    }
