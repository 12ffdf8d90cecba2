"""OpenAPI paths of routing: reassign by person, a complaint's classification and lembar
disposisi, a file sent to an outside office and received back, the stuck list."""

from __future__ import annotations

from typing import Any

from workflow_service.openapi import CASE_ID, _op

TARGET = {"type": "string", "description": "a section code of the office file (that "
          "section's Kasi), 'sekcam' or 'camat'"}
CLASSIFICATION_BODY = {"type": "object", "required": ["kind", "topic"], "properties": {
    "kind": {"type": "string", "enum": ["pengaduan", "aspirasi", "permintaan_informasi"]},
    "topic": {"type": "string", "description": "a topic of the office file's "
              "complaint_routing (the kiosk's categories)"},
    "route": {**TARGET, "description": "overrides the topic's desk; " + TARGET["description"]}}}
DISPOSISI_BODY = {"type": "object", "required": ["forward_to", "instruction"], "properties": {
    "forward_to": TARGET, "instruction": {"type": "string", "maxLength": 2000},
    "urgency": {"type": "string", "enum": ["biasa", "segera", "sangat_segera"],
                "default": "biasa"},
    "date": {"type": "string", "format": "date", "description": "default: today"},
    "notes": {"type": "string", "maxLength": 2000},
    "sender": {"type": "string", "maxLength": 200, "description": "default: the channel"},
    "subject": {"type": "string", "maxLength": 300, "description": "default: the case's"}}}
REASSIGN_BODY = {"type": "object", "properties": {
    "staff_id": {"type": "integer", "minimum": 1, "description": "a person from "
                 "GET …/steps/current/candidates (unknown or of another role/section: 422)"},
    "assignee": {"type": "string", "description": "older clients: a username, checked "
                 "against the same list"}}}


def paths() -> dict[str, Any]:
    return {
        "/cases/{case_id}/steps/current/candidates": {"get": _op(
            "the people the current step may be reassigned to (its role and section, from the "
            "queue's staff list)", params=[CASE_ID], errors=("503",))},
        "/cases/{case_id}/steps/current/reassign": {"post": _op(
            "give the current step to a person from the staff list (supervisor or admin)",
            params=[CASE_ID], body=REASSIGN_BODY, errors=("503",))},
        "/cases/{case_id}/classification": {"put": _op(
            "classify a complaint (steps 1–2b): the topic, or route, decides whose desk gets "
            "the disposisi step 2c", params=[CASE_ID], body=CLASSIFICATION_BODY)},
        "/cases/{case_id}/disposisi": {"post": _op(
            "the Camat/Sekcam's lembar disposisi: forward the complaint (step 2c) with an "
            "instruction; printed on the lembar disposisi PDF", params=[CASE_ID],
            body=DISPOSISI_BODY, ok="201")},
        "/cases/{case_id}/handoff/sent": {"post": _op(
            "'dikirim': the file left for the outside office (the KK to the Dinas); its own "
            "clock starts; the step stays on the sender's worklist", params=[CASE_ID])},
        "/cases/{case_id}/handoff/received": {"post": _op(
            "'diterima kembali': the file is back; the clock stops and the step completes",
            params=[CASE_ID])},
        "/cases/stuck": {"get": _op(
            "open cases past their step's deadline, too long at an outside office, or on a "
            "desk no active member of staff holds (Kasi, Sekcam, Camat, admin)")},
    }
