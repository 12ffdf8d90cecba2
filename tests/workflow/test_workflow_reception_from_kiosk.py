"""The kiosk's answers reach the workflow through the ticket -> case path: a complaint typed at
the kiosk reaches its case with its text; a guest's answers prefill the buku tamu and the guest
joins the case of their ticket. Real queue app, real outbox event, the real task function."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from loket import events
from tests.queue.conftest import Hall, mounted

pytestmark = pytest.mark.integration

COMPLAINT = "Jembatan di Dusun Sumberejo retak, mohon segera diperbaiki sebelum musim hujan."


@pytest.fixture
def queue_hall(settings, db) -> Hall:
    from queue_service.app import create_app
    from queue_service.seed import seed_demo

    return Hall(app=mounted(create_app(settings)), demo=seed_demo(settings))


def serve(queue_hall: Hall, service: str, details: dict) -> tuple[dict, dict]:
    """Issue at the kiosk, call and start at counter 1; return the ticket as the console sees
    it (with the kiosk's answers) and the counter's headers."""
    ticket = queue_hall.issue(service, details=details,
                              visitor={"name": "Rudi Hartono", "consent": True})
    officer = queue_hall.open_counter(1)
    q = queue_hall.client
    assert q.post(f"/api/queue/counters/{queue_hall.counter_id(1)}/call-next",
                  headers=officer).status_code == 200
    assert q.post(f"/api/queue/tickets/{ticket['id']}/start", headers=officer).status_code == 200
    seen = q.get(f"/api/queue/tickets/id/{ticket['id']}", headers=officer)
    assert seen.status_code == 200
    return seen.json, officer


def deliver_serving_event(wf_app, db, ticket_id: int) -> int | None:
    """What the relay hands the worker: the queue's ticket.serving outbox row."""
    from workflow_service.tasks import on_queue_event

    with db.session() as session:
        rows = session.scalars(select(events.Event).where(
            events.Event.type == events.TICKET_SERVING)).all()
        message = next(e.as_message() for e in rows if e.payload["ticket"]["id"] == ticket_id)
    assert "details" not in str(message) and "Rudi" not in str(message)
    with wf_app.app_context():
        return on_queue_event(message)


@pytest.mark.parametrize("worker_first", [True, False])
def test_the_complaint_typed_at_the_kiosk_reaches_its_case(queue_hall, wf_app, client, auth,
                                                           db, worker_first):
    ticket, _ = serve(queue_hall, "pengaduan", {"category": "infrastruktur",
                                                "description": COMPLAINT})
    assert ticket["details"]["description"] == COMPLAINT
    case_id = deliver_serving_event(wf_app, db, ticket["id"]) if worker_first else None
    # The counter console sends the ticket's answers with the ticket (console/static/loket.js).
    intake = client.post("/complaints/intake", json={
        "channel": "loket", "text": ticket["details"]["description"],
        "category": ticket["details"]["category"], "name": ticket["visitor"]["name"],
        "ticket": {"id": ticket["id"], "number": ticket["number"]}}, headers=auth("petugas"))
    assert intake.status_code == 201, intake.json
    if not worker_first:
        case_id = deliver_serving_event(wf_app, db, ticket["id"])
    assert intake.json["case_id"] == case_id
    cases = client.get("/cases?sop=pengaduan", headers=auth("petugas")).json["cases"]
    assert len(cases) == 1
    assert cases[0]["subject"] == COMPLAINT and cases[0]["ticket_number"] == ticket["number"]
    assert intake.json["category"] == "infrastruktur"
    twice = client.post("/complaints/intake", json={
        "channel": "loket", "text": COMPLAINT, "ticket": {"id": ticket["id"]}},
        headers=auth("petugas"))
    assert twice.status_code == 409


def test_a_guest_from_the_kiosk_joins_the_case_of_their_ticket(queue_hall, wf_app, client,
                                                                auth, db):
    from workflow_service.usecases.guests import ensure_pool

    with db.session() as session:
        ensure_pool(session, 20)
    answers = {"purpose": "Audiensi program desa wisata", "meet": "Camat",
               "institution": "Pokdarwis Desa Genteng Kulon", "group_size": 4}
    ticket, _ = serve(queue_hall, "penerimaan-tamu", answers)
    case_id = deliver_serving_event(wf_app, db, ticket["id"])
    # The Buku Tamu page prefills its form from the ticket (console/static/tamu.js).
    d = ticket["details"]
    guest = client.post("/guests", json={
        "name": ticket["visitor"]["name"], "institution": d["institution"],
        "purpose": d["purpose"], "host": d["meet"], "group_size": d["group_size"],
        "id_card": {"type": "kartu_pegawai", "number": "KP-0042-17"}, "visitor_card": 1,
        "ticket": {"id": ticket["id"], "number": ticket["number"]}}, headers=auth("petugas"))
    assert guest.status_code == 201, guest.json
    assert guest.json["case_id"] == case_id and guest.json["group_size"] == 4
    case = client.get(f"/cases/{case_id}", headers=auth("petugas")).json
    assert case["channel"] == "loket" and case["current_step"]["role"] == "tujuan"
