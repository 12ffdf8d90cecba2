"""On SQLite every kiosk and counter write waits for the one write lock. Nothing slow may hold
it: a delivery to a slow mail server or webhook, or rendering a letter's PDF, runs with no write
session open, and the read-only pages never take the write path at all.

Each test blocks the slow part for real (a local HTTP or SMTP server that does not answer until
released, the real WeasyPrint render paused at its start, a writer holding the lock) and shows
that a concurrent write, or a read, completes while it is still blocked: an ordering, not a
wall-clock measurement. The same tests run on PostgreSQL, where they hold as well.
"""

from __future__ import annotations

import asyncio
import http.server
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import update

from tests.queue.conftest import Hall, mounted
from tests.support import free_port
from tests.workflow.test_workflow_cases import complete, open_case

pytestmark = pytest.mark.integration

BOUND = 15.0  # seconds a concurrent write may take at most (it takes milliseconds)
HELD = 60.0   # the slow receiver gives up after this, so a failing test still ends


@pytest.fixture
def queue_hall(settings, db) -> Hall:
    from queue_service.app import create_app
    from queue_service.seed import seed_demo

    return Hall(app=mounted(create_app(settings)), demo=seed_demo(settings))


class Gate:
    """Where the slow part waits: ``entered`` once it started, until ``release``."""

    def __init__(self) -> None:
        self.entered = threading.Event()
        self.release = threading.Event()
        self.finished = threading.Event()


@contextmanager
def slow_http() -> Iterator[tuple[str, Gate, list[bytes]]]:
    """A real local HTTP endpoint that holds every request until released."""
    gate, received = Gate(), []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            received.append(self.rfile.read(int(self.headers["Content-Length"])))
            gate.entered.set()
            gate.release.wait(HELD)
            self.send_response(200)
            self.end_headers()
            gate.finished.set()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/hook", gate, received
    finally:
        gate.release.set()
        server.shutdown()
        server.server_close()


@contextmanager
def slow_smtp() -> Iterator[tuple[str, Gate, list[bytes]]]:
    """A real SMTP server (aiosmtpd) that does not accept a message until released."""
    from aiosmtpd.controller import Controller

    gate, received = Gate(), []

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
            received.append(envelope.content)
            gate.entered.set()
            await asyncio.get_running_loop().run_in_executor(None, gate.release.wait, HELD)
            gate.finished.set()
            return "250 OK"

    port = free_port()
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield f"smtp://127.0.0.1:{port}", gate, received
    finally:
        gate.release.set()
        controller.stop()


def in_thread(work: Callable[[], Any]) -> tuple[threading.Thread, list[Any]]:
    out: list[Any] = []

    def run() -> None:
        try:
            out.append(work())
        except BaseException as exc:  # surfaced by the caller
            out.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, out


def writes_complete_while(gate: Gate, hall: Hall, wf_client: Any, auth: Any,
                          case_id: int) -> None:
    """A kiosk ticket and a step action, each done while ``gate`` still holds its delivery."""
    def issue() -> int:
        return int(hall.client.post("/api/queue/tickets", json={"service": "kk"},
                                    headers=hall.kiosk).status_code)

    def act() -> int:
        return int(complete(wf_client, auth, case_id, "petugas").status_code)

    for work, expected in ((issue, 201), (act, 200)):
        thread, out = in_thread(work)
        thread.join(BOUND)
        assert not thread.is_alive(), "a write waited for the delivery in progress"
        assert out == [expected]
        assert not gate.release.is_set() and not gate.finished.is_set()


def pending_notification(db, channel: str) -> int:
    from workflow_service.models import Notification

    with db.session() as session:
        item = Notification(channel=channel, recipient_role="kasi",
                            subject="Langkah terlambat", body="Kasus 1 melewati mutu baku.")
        session.add(item)
        session.flush()
        return int(item.id)


@pytest.mark.parametrize("channel", ["webhook", "email"])
def test_a_slow_notification_receiver_holds_up_no_ticket_issue_and_no_step_action(
        channel, settings, db, queue_hall, client, auth):
    from workflow_service.models import Notification
    from workflow_service.notify import deliver_due

    case = open_case(client, auth, "ektp")
    notification_id = pending_notification(db, channel)
    receiver = slow_http if channel == "webhook" else slow_smtp
    with receiver() as (url, gate, received):
        if channel == "webhook":
            configured = settings.model_copy(update={"notify_webhook_url": url})
        else:
            configured = settings.model_copy(update={"smtp_url": url,
                                                     "notify_emails": "kasi=kasi@contoh.id"})
        delivery, counts = in_thread(lambda: deliver_due(db.session, settings=configured))
        assert gate.entered.wait(BOUND), "the delivery never reached the receiver"
        writes_complete_while(gate, queue_hall, client, auth, case["id"])
        assert delivery.is_alive()  # the send is still blocked at the receiver
        gate.release.set()
        delivery.join(BOUND)
    assert counts == [{"sent": 1, "failed": 0, "parked": 0}]
    assert b"Langkah terlambat" in received[0] or b"Kasus 1" in received[0]
    with db.read_session() as session:
        item = session.get(Notification, notification_id)
        assert item.status == "sent" and item.attempts == 1


def test_a_slow_whatsapp_gateway_holds_up_no_ticket_issue_and_no_step_action(
        settings, db, queue_hall, client, auth):
    from workflow_service.models_complaints import ComplaintReply
    from workflow_service.usecases import replies

    case = open_case(client, auth, "ektp")
    reply_id = _answered_complaint_reply(db, settings, client, auth)
    with slow_http() as (url, gate, received):
        configured = settings.model_copy(update={"gateway_url": url})
        delivery, counts = in_thread(lambda: replies.deliver_due(db.session,
                                                                 settings=configured))
        assert gate.entered.wait(BOUND), "the reply never reached the gateway"
        writes_complete_while(gate, queue_hall, client, auth, case["id"])
        assert delivery.is_alive()
        gate.release.set()
        delivery.join(BOUND)
    assert counts == [{"sent": 1, "failed": 0, "parked": 0}]
    assert b"+6281234567890" in received[0]
    with db.read_session() as session:
        assert session.get(ComplaintReply, reply_id).status == "sent"


def _answered_complaint_reply(db, settings, client, auth) -> int:
    """A WhatsApp complaint (intake as the inbound webhook does it) and its answer queued."""
    from workflow_service.domain.complaints import parse_complaint
    from workflow_service.models_complaints import ComplaintReply
    from workflow_service.usecases import complaints

    item = parse_complaint({"text": "Antrean KK terlalu lama, mohon ditambah petugas.",
                            "contact": {"phone": "0812-3456-7890"}}, ())
    with db.session() as session:
        intake = complaints.submit(session, item, channel="whatsapp")
        reply = ComplaintReply(complaint_id=intake.complaint.id, channel="whatsapp",
                               body="Tanggapan: petugas loket KK ditambah mulai Senin.")
        session.add(reply)
        session.flush()
        return int(reply.id)


def test_a_letter_pdf_is_rendered_with_no_write_lock_held(monkeypatch, db, queue_hall,
                                                          client, auth):
    """The real WeasyPrint render, paused at its start until a kiosk ticket is issued."""
    from workflow_service import documents

    real = documents.render_pdf
    seen: list[Any] = []

    def render_after_a_concurrent_write(html: str) -> bytes:
        thread, out = in_thread(lambda: queue_hall.client.post(
            "/api/queue/tickets", json={"service": "kk"}, headers=queue_hall.kiosk).status_code)
        thread.join(BOUND)
        seen.append("blocked" if thread.is_alive() else out[0])
        return real(html)

    monkeypatch.setattr(documents, "render_pdf", render_after_a_concurrent_write)
    case = open_case(client, auth, "ektp", applicant={"name": "Siti Aminah",
                                                      "nik": "3510255508900001"})
    issued = client.post(f"/cases/{case['id']}/documents/tanda_terima", json={},
                         headers=auth("petugas"))
    assert issued.status_code == 201, issued.json
    assert seen == [201]  # the ticket was issued while the letter was being rendered
    pdf = client.get(f"/documents/{issued.json['id']}.pdf", headers=auth("petugas"))
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert seen == [201]  # stored once: the download did not render again


def test_a_letter_whose_render_never_happened_is_rendered_at_its_first_download(db, client,
                                                                               auth):
    from workflow_service.models import Document

    case = open_case(client, auth, "ektp")
    issued = client.post(f"/cases/{case['id']}/documents/tanda_terima", json={},
                         headers=auth("petugas")).json
    with db.session() as session:  # the process died between the two writes
        session.execute(update(Document).where(Document.id == issued["id"]).values(pdf=None))
    pdf = client.get(f"/documents/{issued['id']}.pdf", headers=auth("petugas"))
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    with db.read_session() as session:
        assert bytes(session.get(Document, issued["id"]).pdf) == pdf.data


def test_read_only_pages_answer_while_a_writer_holds_the_write_lock(db, queue_hall, client,
                                                                     auth):
    """Public tracking, the phone's ticket page, the board, the services list and the reports
    read on read sessions: a writer holding the lock (as a slow write would) delays none."""
    ticket = queue_hall.issue("ektp")
    case = open_case(client, auth, "ektp")
    admin = queue_hall.staff("admin")
    q = queue_hall.client
    reads = {
        "tracking JSON": lambda: client.get(f"/track/{case['tracking_code']}"),
        "tracking page": lambda: client.get(f"/t/{case['tracking_code']}"),
        "phone page": lambda: q.get(f"/api/queue/tickets/{ticket['tracking_code']}",
                                    headers={"Accept": "text/html"}),
        "ticket JSON": lambda: q.get(f"/api/queue/tickets/{ticket['tracking_code']}"),
        "board": lambda: q.get("/api/queue/board"),
        "services": lambda: q.get("/api/queue/services"),
        "standar": lambda: q.get("/api/queue/services/ektp/standar"),
        "reports": lambda: q.get("/api/queue/reports/summary", headers=admin),
        "skm": lambda: q.get("/api/queue/skm?from=2026-11-01&to=2026-11-30", headers=admin),
        "compliance": lambda: client.get("/reports/compliance", headers=auth("camat")),
        "worklist": lambda: client.get("/cases", headers=auth("petugas")),
    }
    holding, release = threading.Event(), threading.Event()

    def hold_the_write_lock() -> None:
        from workflow_service.models import Case

        with db.session() as session:  # BEGIN IMMEDIATE on SQLite: the one write lock
            session.execute(update(Case).where(Case.id == case["id"]).values(subject="x"))
            holding.set()
            release.wait(HELD)

    writer, _ = in_thread(hold_the_write_lock)
    try:
        assert holding.wait(BOUND)
        for name, read in reads.items():
            thread, out = in_thread(read)
            thread.join(BOUND)
            assert not thread.is_alive(), f"{name} waited for the writer"
            assert out[0].status_code == 200, (name, out[0].status_code)
        assert writer.is_alive() and not release.is_set()
    finally:
        release.set()
        writer.join(BOUND)


def test_a_letter_whose_render_fails_at_issue_is_issued_and_rendered_at_download(
        monkeypatch, db, client, auth):
    from workflow_service import documents

    real = documents.render_pdf
    monkeypatch.setattr(documents, "render_pdf",
                        lambda html: (_ for _ in ()).throw(OSError("font cache locked")))
    case = open_case(client, auth, "ektp")
    issued = client.post(f"/cases/{case['id']}/documents/tanda_terima", json={},
                         headers=auth("petugas"))
    assert issued.status_code == 201 and issued.json["number"].startswith("TT/001/")
    monkeypatch.setattr(documents, "render_pdf", real)
    pdf = client.get(f"/documents/{issued.json['id']}.pdf", headers=auth("petugas"))
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
