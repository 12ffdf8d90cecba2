"""The visitor a kiosk ticket carries reaches the case, masked for staff, named on the receipt."""

from __future__ import annotations

import subprocess

import httpx
import pytest
from sqlalchemy import select

from loket import events
from tests.conftest import TEST_SECRET
from tests.support import require_binary
from tests.workflow.conftest import token_for

pytestmark = pytest.mark.integration

NIK = "3510255508900001"
NIK_MASKED = "3510••••••••0001"


@pytest.fixture
def served_from_kiosk(live_hall, settings, db):
    """A kiosk ticket with the visitor's data, served at counter 4 over real HTTP."""
    from queue_service.seed import seed_demo

    demo = seed_demo(settings)
    kiosk = {"Authorization": f"Bearer {demo['devices']['kiosk']}"}
    api = f"{live_hall}/api/queue"
    ticket = httpx.post(f"{api}/tickets", headers=kiosk, json={
        "service": "ektp", "details": {"keperluan": "Perekaman baru"},
        "visitor": {"name": "Siti Aminah", "nik": NIK, "phone": "081234567890",
                    "consent": True}}).json()
    password = next(s["password"] for s in demo["staff"] if s["username"] == "petugas4")
    token = httpx.post(f"{api}/auth/token",
                       json={"username": "petugas4", "password": password}).json()["token"]
    officer = {"Authorization": f"Bearer {token}"}
    counter = next(c["id"] for c in demo["counters"] if c["number"] == 4)
    assert httpx.post(f"{api}/counters/{counter}/open", headers=officer).status_code == 200
    called = httpx.post(f"{api}/counters/{counter}/call-next", headers=officer).json()
    assert called["id"] == ticket["id"]
    started = httpx.post(f"{api}/tickets/{ticket['id']}/start", headers=officer)
    assert started.status_code == 200
    with db.session() as session:
        serving = session.scalars(select(events.Event).where(
            events.Event.type == events.TICKET_SERVING).order_by(events.Event.id.desc())).first()
        return serving.as_message(), api, token


def test_a_case_opened_from_a_kiosk_ticket_carries_the_visitor_masked(served_from_kiosk,
                                                                     client, auth, db):
    from workflow_service.adapters.queue_tickets import QueueTickets
    from workflow_service.usecases.context import session_work
    from workflow_service.usecases.opening import open_case_for_ticket

    message, api, _ = served_from_kiosk
    assert "Siti" not in str(message) and NIK not in str(message)  # the event carries no one
    # The workflow asks with its own service token, as its Celery task does.
    visitor = QueueTickets(api, TEST_SECRET).visitor(message["ticket"]["id"])
    assert visitor is not None and visitor["nik"] == NIK
    with db.session() as session, session_work(session) as uow:
        case_id = open_case_for_ticket(uow, message, visitor).case.id
    # Issue #17: the Kasi does not hold step 1 (the petugas does): masked.
    case = client.get(f"/cases/{case_id}", headers=auth("kasi"))
    assert case.json["applicant"] == {
        "name": "Siti Aminah", "nik_masked": NIK_MASKED, "phone_masked": "0812•••••890",
        "contact": None, "answers": {"keperluan": "Perekaman baru"}}
    assert NIK not in case.get_data(as_text=True)
    with db.session() as session:
        case_events = session.scalars(select(events.Event).where(
            events.Event.stream == events.STREAM_WORKFLOW)).all()
    assert case_events and not any("Siti" in str(e.payload) or NIK in str(e.payload)
                                   for e in case_events)

    pdftotext = require_binary("pdftotext")
    issued = client.post(f"/cases/{case_id}/documents/tanda_terima", json={},
                         headers=auth("petugas"))
    assert issued.status_code == 201, issued.json
    pdf = client.get(f"/documents/{issued.json['id']}.pdf", headers=auth("petugas")).data
    text = subprocess.run([pdftotext, "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode("utf-8")
    assert "Siti Aminah" in text and NIK_MASKED in text and NIK not in text


def test_staff_add_and_correct_the_applicant_at_intake(client, auth):
    case = client.post("/cases", json={"sop": "kk", "channel": "langsung"},
                       headers=auth("petugas")).json
    assert case["applicant"] is None
    bad = client.put(f"/cases/{case['id']}/applicant", json={"name": "Budi", "nik": "1234"},
                     headers=auth("petugas"))
    assert bad.status_code == 422 and bad.json["error"]["field"] == "applicant.nik"
    phone = client.put(f"/cases/{case['id']}/applicant", json={"phone": "12ab"},
                       headers=auth("petugas"))
    assert phone.status_code == 422 and phone.json["error"]["field"] == "applicant.phone"
    unchanged = client.get(f"/cases/{case['id']}", headers=auth("petugas")).json
    assert unchanged["applicant"] is None
    added = client.put(f"/cases/{case['id']}/applicant",
                       json={"name": "Budi Santoso", "nik": NIK}, headers=auth("petugas"))
    assert added.status_code == 200, added.json
    corrected = client.put(f"/cases/{case['id']}/applicant",
                           json={"name": "Budi Santosa"}, headers=auth("petugas")).json
    assert corrected["applicant"]["name"] == "Budi Santosa"
    assert corrected["applicant"]["nik_masked"] == NIK_MASKED  # kept
    note = [e["note"] for e in corrected["log"] if e["action"] == "applicant"]
    assert note == ["data pemohon diperbarui: name, nik", "data pemohon diperbarui: name"]


def test_only_staff_may_change_the_applicant(client, auth):
    case = client.post("/cases", json={"sop": "kk", "channel": "langsung"},
                       headers=auth("petugas")).json
    anonymous = client.put(f"/cases/{case['id']}/applicant", json={"name": "X"})
    assert anonymous.status_code == 401
    visitor = {"Authorization": f"Bearer {token_for('warga')}"}
    refused = client.put(f"/cases/{case['id']}/applicant", json={"name": "X"},
                         headers=visitor)
    assert refused.status_code == 403
