"""#17 Input on the workflow API: ids out of range, NUL bytes and over-long text, on the
database the suite runs against (SQLite or PostgreSQL): a field error, never a 500, and
nothing stored."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

pytestmark = pytest.mark.integration

TOO_BIG = 2**63  # above any id column (SQLite: OverflowError; PostgreSQL: out of range)


def open_case(client, auth, sop="ektp"):
    response = client.post("/cases", json={"sop": sop, "channel": "langsung"},
                           headers=auth("petugas"))
    assert response.status_code == 201, response.json
    return response.json


def step_rows(db) -> tuple[int, int, list]:
    from workflow_service.models import CaseLog, Step

    with db.session() as session:
        history = session.scalar(select(func.count()).select_from(CaseLog))
        steps = session.scalar(select(func.count()).select_from(Step))
        outputs = sorted(str(o) for o in session.scalars(select(Step.output)))
    return history, steps, outputs


@pytest.mark.parametrize("method,path", [
    ("get", "/cases/{id}"),
    ("put", "/cases/{id}/applicant"),
    ("post", "/cases/{id}/steps/current/complete"),
    ("get", "/cases/{id}/documents"),
    ("post", "/cases/{id}/documents/disposisi"),
    ("get", "/documents/{id}.pdf"),
    ("get", "/complaints/{id}"),
    ("get", "/complaints/1/attachments/{id}"),
    ("post", "/guests/{id}/checkout"),
    ("post", "/incidents/{id}/retry"),
])
@pytest.mark.parametrize("value", [TOO_BIG, 2**31])
def test_an_id_out_of_range_is_not_found(client, auth, method, path, value):
    response = getattr(client, method)(path.format(id=value), json={}, headers=auth("admin"))
    assert response.status_code == 404, response.json
    assert response.json["error"]["code"] == "not_found"
    assert response.json["error"]["message"] == "Alamat tidak ditemukan."


def test_a_nul_in_a_step_note_is_a_field_error_and_stores_nothing(client, auth, db):
    case = open_case(client, auth)
    before = step_rows(db)
    response = client.post(f"/cases/{case['id']}/steps/current/complete",
                           json={"output": "Berkas\x00 lengkap"}, headers=auth("petugas"))
    assert response.status_code == 422, response.json
    error = response.json["error"]
    assert error["field"] == "output" and error["code"] == "invalid_text"
    assert "'output'" in error["message"] and "tidak diizinkan" in error["message"]
    assert step_rows(db) == before
    shown = client.get(f"/cases/{case['id']}", headers=auth("petugas")).json
    assert shown["current_step"]["key"] == "1" and shown["current_step"]["state"] == "active"


@pytest.mark.parametrize("action,field", [("return", "reason"), ("reject", "reason"),
                                          ("reassign", "assignee")])
def test_a_nul_in_any_action_field_is_refused_with_its_name(client, auth, db, action, field):
    case = open_case(client, auth)
    before = step_rows(db)
    response = client.post(f"/cases/{case['id']}/steps/current/{action}",
                           json={field: "a\x00b"}, headers=auth("petugas"))
    assert response.status_code == 422, response.json
    assert response.json["error"]["field"] == field
    assert step_rows(db) == before


def test_an_over_long_step_note_is_a_field_error(client, auth, db):
    from workflow_service.validation import MAX_STEP_NOTE

    case = open_case(client, auth)
    before = step_rows(db)
    response = client.post(f"/cases/{case['id']}/steps/current/complete",
                           json={"output": "x" * (MAX_STEP_NOTE + 1)}, headers=auth("petugas"))
    assert response.status_code == 422, response.json
    error = response.json["error"]
    assert error["field"] == "output" and error["code"] == "too_long"
    assert f"paling banyak {MAX_STEP_NOTE} karakter" in error["message"]
    assert step_rows(db) == before
    at_limit = client.post(f"/cases/{case['id']}/steps/current/complete",
                           json={"output": "x" * MAX_STEP_NOTE}, headers=auth("petugas"))
    assert at_limit.status_code == 200, at_limit.json


def test_an_over_long_assignee_is_refused_before_the_database(client, auth):
    case = open_case(client, auth)
    response = client.post(f"/cases/{case['id']}/steps/current/reassign",
                           json={"assignee": "p" * 61}, headers=auth("kasi"))
    assert response.status_code == 422 and response.json["error"]["field"] == "assignee"


def test_a_nul_nested_in_the_applicant_names_its_path(client, auth, db):
    from workflow_service.models import Case

    response = client.post("/cases", json={"sop": "ektp", "applicant": {
        "name": "Sri", "answers": {"alamat": "Jl. Raya\x00"}}}, headers=auth("petugas"))
    assert response.status_code == 422, response.json
    assert response.json["error"]["field"] == "applicant.answers.alamat"
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Case)) == 0


def test_a_nul_in_a_query_parameter_is_a_field_error(client, auth):
    response = client.get("/cases?status=open%00", headers=auth("petugas"))
    assert response.status_code == 422
    assert response.json["error"]["field"] == "status"


def test_a_nul_in_a_path_segment_is_not_found(client):
    assert client.get("/sops/ektp%00").status_code == 404
    assert client.get("/t/ABC%00DEF").status_code == 404


def test_a_public_complaint_with_a_nul_or_too_long_is_refused(client, db):
    from workflow_service.models import Case

    nul = client.post("/complaints", json={"text": "Antrean\x00 lama",
                                           "contact": {"email": "warga@contoh.id"}})
    assert nul.status_code == 422 and nul.json["error"]["field"] == "text"
    form = client.post("/complaints", data={"text": "Antrean lama", "name": "Budi\x00",
                                            "email": "warga@contoh.id"},
                       content_type="multipart/form-data")
    assert form.status_code == 422 and form.json["error"]["field"] == "name"
    long = client.post("/complaints", json={"text": "x" * 4001,
                                            "contact": {"email": "warga@contoh.id"}})
    assert long.status_code == 422 and long.json["error"]["field"] == "text"
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Case)) == 0


def test_a_guest_entry_with_a_control_character_is_refused(client, auth):
    response = client.post("/guests", json={"name": "Tamu\x07", "purpose": "Rapat",
                                            "host": "Camat"}, headers=auth("petugas"))
    assert response.status_code == 422, response.json
    assert response.json["error"]["field"] == "name"


def test_a_calendar_override_name_with_a_nul_is_refused(client, auth):
    response = client.post("/calendar/overrides", json={
        "date": "2026-12-24", "kind": "closed", "name": "Cuti\x00"}, headers=auth("admin"))
    assert response.status_code == 422 and response.json["error"]["field"] == "name"


def test_a_ticket_id_beyond_the_id_column_in_a_body_is_a_field_error(client, auth):
    response = client.post("/complaints/intake", json={
        "channel": "loket", "text": "Antrean lama", "ticket": {"id": 2**40, "number": "A001"}},
        headers=auth("petugas"))
    assert response.status_code == 422, response.json
    assert response.json["error"]["field"] == "ticket"
