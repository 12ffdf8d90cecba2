"""Retention in the workflow (issue #17): a guest who left and a complaint closed longer ago than
LOKET_RETENTION_DAYS lose their personal data; the rows, counts and times stay."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from tests.workflow.test_workflow_guests import GROUP
from workflow_service.models import Case
from workflow_service.models_complaints import Complaint, ComplaintAttachment
from workflow_service.models_guests import Guest

pytestmark = pytest.mark.integration

OLD = dt.timedelta(days=400)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _run(wf_app, dry_run: bool = False) -> dict[str, int]:
    from workflow_service.usecases import retention

    return retention.run(wf_app.extensions["workflow"], 365, dry_run)


def _age(db, model, row_id: int, *columns: str) -> None:
    with db.session() as session:
        row = session.get(model, row_id)
        for column in columns:
            setattr(row, column, getattr(row, column) - OLD)


def test_an_old_guest_loses_name_institution_and_id_card(client, auth, db, wf_app) -> None:
    from workflow_service.usecases.guests import ensure_pool

    with db.session() as session:
        ensure_pool(session, 20)
    guests = [client.post("/guests", json={**GROUP, "visitor_card": card},
                          headers=auth("petugas")).json for card in (7, 8)]
    for guest in guests:
        assert client.post(f"/guests/{guest['id']}/checkout",
                           headers=auth("petugas")).status_code == 200
    _age(db, Guest, guests[0]["id"], "arrived_at", "left_at")
    _age(db, Case, guests[0]["case_id"], "opened_at", "closed_at")

    assert _run(wf_app, dry_run=True)["guests"] == 1
    cleared = _run(wf_app)
    assert cleared["guests"] == 1 and cleared["cases"] == 1
    with db.read_session() as session:
        old, recent = (session.get(Guest, g["id"]) for g in guests)
        assert (old.name_enc, old.institution_enc, old.id_card_enc, old.id_card_masked,
                old.purpose) == (b"", None, None, None, "")
        assert old.group_size == 3 and old.arrived_at and old.left_at
        assert recent.name_enc and recent.id_card_enc and recent.purpose == GROUP["purpose"]
        assert session.get(Case, guests[0]["case_id"]).applicant_enc is None
        assert session.scalar(select(func.count()).select_from(Guest)) == 2
    assert _run(wf_app)["guests"] == 0


def test_an_old_complaint_loses_its_reporter_and_attachments(client, auth, db, wf_app) -> None:
    import base64

    sent = client.post("/complaints", json={
        "text": "Berkas saya hilang.", "name": "Dewi", "contact": {"email": "d@contoh.id"},
        "attachments": [{"filename": "surat.pdf",
                         "content_base64": base64.b64encode(PDF).decode()}]})
    assert sent.status_code == 201, sent.json
    with db.session() as session:
        complaint = session.scalars(select(Complaint)).one()
        case = session.get(Case, complaint.case_id)
        case.status, case.closed_at = "done", dt.datetime.now(dt.UTC) - OLD
    cleared = _run(wf_app)
    assert cleared["complaint_reporters"] == 1 and cleared["complaint_attachments"] == 1
    with db.read_session() as session:
        complaint = session.scalars(select(Complaint)).one()
        assert complaint.reporter_enc is None and complaint.channel == "web"
        assert session.get(Case, complaint.case_id).subject is None
        assert session.scalar(select(func.count()).select_from(ComplaintAttachment)) == 0
    again = _run(wf_app)
    assert again["complaint_reporters"] == again["complaint_attachments"] == 0
