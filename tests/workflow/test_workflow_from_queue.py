"""A ticket served at a counter becomes a case, through queue events and a real Celery worker."""

from __future__ import annotations

import pytest

from tests.queue.conftest import Hall, mounted
from tests.support import wait_until
from tests.workflow.test_workflow_cases import complete

pytestmark = pytest.mark.integration


@pytest.fixture
def queue_hall(settings, db) -> Hall:
    from queue_service.app import create_app
    from queue_service.seed import seed_demo

    return Hall(app=mounted(create_app(settings)), demo=seed_demo(settings))


def test_ektp_ticket_served_at_a_counter_becomes_a_case_three_roles_complete(
        celery_worker, queue_hall, client, auth, redis_client):
    ticket = queue_hall.issue("ektp", visitor={"name": "Siti Aminah", "consent": True})
    officer = queue_hall.open_counter(2)
    counter = queue_hall.counter_id(2)
    q = queue_hall.client
    called = q.post(f"/api/queue/counters/{counter}/call-next", headers=officer)
    assert called.status_code == 200 and called.json["number"] == ticket["number"]
    assert q.post(f"/api/queue/tickets/{ticket['id']}/start", headers=officer).status_code == 200

    def case_for_ticket():
        cases = client.get("/cases?status=open", headers=auth("petugas")).json["cases"]
        return next((c for c in cases if c["ticket_id"] == ticket["id"]), None)

    case = wait_until(case_for_ticket, timeout=20, message="the worker to open the case")
    assert case["sop"] == "ektp" and case["ticket_number"] == ticket["number"]
    assert case["channel"] == "loket"
    # Starting the same ticket's service again (a replayed event) opens no second case.
    for role, extra in (("petugas", {}), ("kasi", {"decision": "ya"}), ("operator", {}),
                        ("petugas", {})):
        response = complete(client, auth, case["id"], role, **extra)
        assert response.status_code == 200, response.json
    assert response.json["status"] == "done"
    cases = client.get("/cases", headers=auth("petugas")).json["cases"]
    assert sum(1 for c in cases if c["ticket_id"] == ticket["id"]) == 1


def test_a_replayed_serving_event_opens_no_second_case(db):
    from workflow_service.usecases.context import session_work
    from workflow_service.usecases.opening import open_case_for_ticket

    message = {"type": "ticket.serving", "at": "2026-12-07T02:00:00+00:00",
               "ticket": {"id": 41, "number": "C007", "service": "ektp"},
               "counter": {"id": 2, "number": 2, "name": "Loket 2"}}
    with db.session() as session, session_work(session) as uow:
        first = open_case_for_ticket(uow, message)
    with db.session() as session, session_work(session) as uow:
        again = open_case_for_ticket(uow, message)
    assert first is not None and first.created
    assert again is not None and not again.created and again.case.id == first.case.id


def test_events_of_other_services_or_types_open_nothing(db):
    from workflow_service.usecases.context import session_work
    from workflow_service.usecases.opening import open_case_for_ticket

    with db.session() as session, session_work(session) as uow:
        assert open_case_for_ticket(uow, {
            "type": "ticket.called", "ticket": {"id": 1, "service": "ektp"}}) is None
        assert open_case_for_ticket(uow, {
            "type": "ticket.serving", "ticket": {"id": 2, "service": "paspor"}}) is None
