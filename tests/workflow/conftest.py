"""Fixtures for the workflow service: the app, staff tokens of every role."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from loket import events
from loket.auth import Principal, issue_token
from tests.conftest import TEST_SECRET
from tests.queue.conftest import Hall, mounted

FORGED_TOKEN_VERSION = 2**53
ROLES = ("petugas", "operator", "kasi", "sekcam", "camat", "admin")


@pytest.fixture
def wf_app(settings, db):
    from workflow_service.app import create_app

    app = create_app(settings)
    app.config["TESTING"] = True
    return app


@pytest.fixture
def client(wf_app):
    return wf_app.test_client()


# The test Kasi ("kasi1") is the Kasi Pemerintahan, whose section owns e-KTP and KK step 2.
DEFAULT_SECTIONS = {"kasi": "Tata Pemerintahan dan Ketertiban Umum"}


def token_for(role: str, username: str | None = None, staff_id: int = 1,
              section: str | None = None) -> str:
    # A session newer than any the queue has given out: a login of the same staff id in the
    # same test (its session version, loket.staff_sessions) does not end these test tokens.
    principal = Principal(kind="staff", id=staff_id, username=username or f"{role}1",
                          roles=frozenset({role}), section=section or DEFAULT_SECTIONS.get(role),
                          token_version=FORGED_TOKEN_VERSION)
    return issue_token(TEST_SECRET, principal)


@pytest.fixture
def auth():
    def headers(role: str, username: str | None = None,
                section: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {token_for(role, username, section=section)}"}

    return headers


@pytest.fixture
def queue_hall(settings, db) -> Hall:
    from queue_service.app import create_app
    from queue_service.seed import seed_demo

    return Hall(app=mounted(create_app(settings)), demo=seed_demo(settings))


@pytest.fixture
def served(queue_hall, db):
    """A kiosk ticket called and served at counter 4; its case opened from the real event."""
    from workflow_service.usecases.context import session_work
    from workflow_service.usecases.opening import open_case_for_ticket

    def serve(service: str) -> int:
        ticket = queue_hall.issue(service)
        officer = queue_hall.open_counter(4)
        q = queue_hall.client
        called = q.post(f"/api/queue/counters/{queue_hall.counter_id(4)}/call-next",
                        headers=officer)
        assert called.status_code == 200 and called.json["id"] == ticket["id"]
        started = q.post(f"/api/queue/tickets/{ticket['id']}/start", headers=officer)
        assert started.status_code == 200
        finished = q.post(f"/api/queue/tickets/{ticket['id']}/finish", headers=officer)
        assert finished.status_code == 200
        with db.session() as session:
            serving = session.scalars(
                select(events.Event).where(events.Event.type == events.TICKET_SERVING)
                .order_by(events.Event.id.desc())).first()
            message = serving.as_message()
        assert message["ticket"]["id"] == ticket["id"]
        with db.session() as session, session_work(session) as uow:
            opened = open_case_for_ticket(uow, message)
            assert opened is not None and opened.created
            return int(opened.case.id)

    return serve
