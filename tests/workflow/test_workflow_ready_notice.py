"""Word to the citizen that the file is ready (issue #20): a KK case reaching its hand-over step
sends one e-mail to a real local SMTP server and one request to a real local HTTP receiver
standing in for the WhatsApp gateway; a failing gateway is retried, then parked for the admin;
nothing is sent where the office configured no channel; no NIK or name in any message."""

from __future__ import annotations

import datetime as dt
import os
from contextlib import ExitStack

import pytest
from sqlalchemy import select

from tests.workflow.reception_support import http_receiver, smtp_server
from tests.workflow.test_workflow_cases import complete, open_case
from workflow_service.domain.handover import contact_routes, handover_step_keys
from workflow_service.models_citizen import ReadyNotice
from workflow_service.usecases import ready_notice

pytestmark = pytest.mark.integration

NIK = "3510255508900001"
NAME = "Budi Santoso"


def kk_case_with_contact(client, auth, contact: str | None) -> dict:
    case = open_case(client, auth, "kk")
    applicant = {"name": NAME, "nik": NIK, **({"contact": contact} if contact else {})}
    added = client.put(f"/cases/{case['id']}/applicant", json=applicant,
                       headers=auth("petugas"))
    assert added.status_code == 200, added.json
    return case


def walk_to_handover(client, auth, case_id: int) -> None:
    """Verified, approved by the Kasi, printed by the operator, signed by the Kepala Dinas
    (recorded by the officer): the case now waits at step 5, the hand-over."""
    for role, extra in (("petugas", {}), ("kasi", {"decision": "ya"}), ("operator", {}),
                        ("petugas", {})):
        response = complete(client, auth, case_id, role, **extra)
        assert response.status_code == 200, response.json
    step = client.get(f"/cases/{case_id}", headers=auth("petugas")).json["current_step"]
    assert step["key"] == "5" and step["role"] == "petugas"


def log_notes(client, auth, case_id: int) -> list[str]:
    case = client.get(f"/cases/{case_id}", headers=auth("petugas")).json
    return [e["note"] for e in case["log"] if e["action"] == "notice"]


def test_the_hand_over_steps_of_the_catalog():
    from sop import load_catalog

    catalog = load_catalog()
    keys = {code: handover_step_keys(catalog.get(code).to_json())
            for code in ("ektp", "kk", "rekomendasi", "pengaduan", "penerimaan-tamu")}
    assert keys == {"ektp": {"4"}, "kk": {"5"}, "rekomendasi": {"4"}, "pengaduan": set(),
                    "penerimaan-tamu": set()}
    assert contact_routes("warga@contoh.id / 0812-3456-7890") == [
        ("email", "warga@contoh.id"), ("whatsapp", "+6281234567890")]
    assert contact_routes("+62 812 3456 7890") == [("whatsapp", "+6281234567890")]
    assert contact_routes("rumah pak RT") == [] and contact_routes(None) == []


def test_a_kk_case_at_hand_over_sends_one_email_and_one_gateway_request(client, auth, db,
                                                                         settings):
    case = kk_case_with_contact(client, auth, "warga@contoh.id / 0812-3456-7890")
    with ExitStack() as stack:
        mailbox = stack.enter_context(smtp_server())
        gateway = stack.enter_context(http_receiver("LOKET_GATEWAY_URL"))
        configured = settings.model_copy(update={"smtp_url": os.environ["LOKET_SMTP_URL"],
                                                 "gateway_url": os.environ["LOKET_GATEWAY_URL"]})
        with db.session() as session:
            assert ready_notice.queue_notices(session, configured) == 0  # not ready yet
        walk_to_handover(client, auth, case["id"])
        with db.session() as session:
            assert ready_notice.queue_notices(session, configured) == 2
            assert ready_notice.queue_notices(session, configured) == 0  # once per route
        assert ready_notice.deliver_due(db.session, settings=configured) == {
            "sent": 2, "failed": 0, "parked": 0}
        assert ready_notice.deliver_due(db.session, settings=configured)["sent"] == 0

    code = case["tracking_code"]
    [mail] = mailbox.messages
    assert mail["X-RcptTo"] == "warga@contoh.id" and code in mail["Subject"]
    body = mail.get_payload(decode=True).decode()
    assert "siap diambil" in body and "Permohonan Kartu Keluarga" in body and code in body
    [request] = gateway.received
    assert request["channel"] == "whatsapp" and request["to"] == "+6281234567890"
    assert request["reference"] == code and "siap diambil" in request["text"]
    for text in (body, str(request), mail["Subject"]):
        assert NIK not in text and NAME not in text and NIK[:6] not in text
    assert log_notes(client, auth, case["id"]) == [
        "berkas siap diambil: pesan e-mail diantrekan",
        "berkas siap diambil: pesan WhatsApp/SMS diantrekan",
        "berkas siap diambil: pesan e-mail terkirim",
        "berkas siap diambil: pesan WhatsApp/SMS terkirim"]


def test_a_failing_gateway_is_retried_then_parked_for_the_admin(client, auth, db, settings):
    case = kk_case_with_contact(client, auth, "081234567890")
    walk_to_handover(client, auth, case["id"])
    with http_receiver("LOKET_GATEWAY_URL") as gateway:
        gateway.status = 500
        configured = settings.model_copy(update={"gateway_url": os.environ["LOKET_GATEWAY_URL"],
                                                 "notify_max_attempts": 3})
        with db.session() as session:
            assert ready_notice.queue_notices(session, configured) == 1
        now = dt.datetime.now(dt.UTC)
        outcomes = []
        for _ in range(3):
            outcomes.append(ready_notice.deliver_due(db.session, now=now, settings=configured))
            now += dt.timedelta(hours=1)  # past the back-off
        assert [o["failed"] for o in outcomes] == [1, 1, 0]
        assert outcomes[-1]["parked"] == 1 and len(gateway.received) == 3
        assert ready_notice.deliver_due(db.session, now=now, settings=configured) == {
            "sent": 0, "failed": 0, "parked": 0}  # parked: no more attempts

        listed = client.get("/ready-notices/parked", headers=auth("admin"))
        assert listed.status_code == 200
        [parked] = listed.json["notices"]
        assert (parked["tracking_code"], parked["channel"], parked["attempts"]) == (
            case["tracking_code"], "whatsapp", 3)
        assert "500" in parked["last_error"] and "0812" not in str(listed.json)
        assert client.get("/ready-notices/parked", headers=auth("petugas")).status_code == 403
        assert client.get("/ready-notices/parked").status_code == 401
        assert client.post(f"/ready-notices/{parked['id']}/retry",
                           headers=auth("petugas")).status_code == 403

        gateway.status = 200
        retried = client.post(f"/ready-notices/{parked['id']}/retry", headers=auth("admin"))
        assert retried.status_code == 200 and retried.json["status"] == "pending"
        again = client.post(f"/ready-notices/{parked['id']}/retry", headers=auth("admin"))
        assert again.status_code == 404 and again.json["error"]["field"] == "notice_id"
        assert ready_notice.deliver_due(db.session, settings=configured)["sent"] == 1
    assert len(gateway.received) == 4
    assert log_notes(client, auth, case["id"])[-2:] == [
        "berkas siap diambil: pesan WhatsApp/SMS gagal 3 kali, ditahan untuk admin",
        "berkas siap diambil: pesan WhatsApp/SMS terkirim"]


def test_without_a_configured_channel_nothing_is_sent_and_the_log_says_so(client, auth, db,
                                                                          settings):
    case = kk_case_with_contact(client, auth, "warga@contoh.id")
    no_channel = settings.model_copy(update={"smtp_url": None, "gateway_url": None})
    walk_to_handover(client, auth, case["id"])
    with db.session() as session:
        assert ready_notice.queue_notices(session, no_channel) == 0
        assert ready_notice.queue_notices(session, no_channel) == 0
        assert session.scalars(select(ReadyNotice)).all() == []
    assert log_notes(client, auth, case["id"]) == [
        "berkas siap diambil: e-mail belum diatur kantor, tidak dikirim"]


def test_the_phone_given_at_the_kiosk_or_counter_is_used_without_a_contact(client, auth, db,
                                                                           settings):
    case = open_case(client, auth, "kk")
    added = client.put(f"/cases/{case['id']}/applicant",
                       json={"name": NAME, "nik": NIK, "phone": "081298765432"},
                       headers=auth("petugas"))
    assert added.status_code == 200, added.json
    walk_to_handover(client, auth, case["id"])
    with http_receiver("LOKET_GATEWAY_URL") as gateway:
        configured = settings.model_copy(update={"gateway_url": os.environ["LOKET_GATEWAY_URL"],
                                                 "smtp_url": "smtp://127.0.0.1:9"})
        with db.session() as session:
            assert ready_notice.queue_notices(session, configured) == 1  # no e-mail to use
        assert ready_notice.deliver_due(db.session, settings=configured)["sent"] == 1
    [request] = gateway.received
    assert request["to"] == "+6281298765432" and request["reference"] == case["tracking_code"]


def test_a_case_without_a_contact_gets_no_message(client, auth, db, settings):
    case = kk_case_with_contact(client, auth, None)
    walk_to_handover(client, auth, case["id"])
    configured = settings.model_copy(update={"smtp_url": "smtp://127.0.0.1:9",
                                             "gateway_url": "http://127.0.0.1:9/hook"})
    with db.session() as session:
        assert ready_notice.queue_notices(session, configured) == 0
    assert log_notes(client, auth, case["id"]) == []


def test_a_real_worker_runs_the_beat_task_and_the_mail_arrives(client, auth, db, repo_root,
                                                               tmp_path):
    """The task as beat schedules it, in a real Celery worker: queued and sent in one run."""
    from loket.composition.registry import beat_schedule
    from tests.conftest import WorkerProcess, celery_client
    from tests.support import wait_until

    assert beat_schedule()["workflow-deliver-ready-notices"]["task"] == \
        "workflow.deliver_ready_notices"
    case = kk_case_with_contact(client, auth, "pemohon@contoh.id")
    walk_to_handover(client, auth, case["id"])
    with smtp_server() as mailbox:
        worker = WorkerProcess(repo_root, tmp_path / "worker.log",
                               env={"LOKET_SMTP_URL": os.environ["LOKET_SMTP_URL"]})
        worker.start()
        try:
            celery_client().send_task("workflow.deliver_ready_notices", queue="loket")
            wait_until(lambda: mailbox.messages, timeout=30, message="the ready e-mail")
        finally:
            worker.stop()
    [mail] = mailbox.messages
    assert mail["X-RcptTo"] == "pemohon@contoh.id" and case["tracking_code"] in mail["Subject"]
    assert "siap diambil" in mail.get_payload(decode=True).decode()


def test_the_tracking_page_says_when_the_file_is_ready_and_whether_word_is_sent(settings, db,
                                                                                 auth):
    from workflow_service.app import create_app

    def page_of(app, code: str) -> str:
        response = app.test_client().get(f"/t/{code}")
        assert response.status_code == 200
        return response.get_data(as_text=True)

    off = create_app(settings.model_copy(update={"smtp_url": None, "gateway_url": None}))
    on = create_app(settings.model_copy(update={"smtp_url": "smtp://127.0.0.1:9"}))
    client = off.test_client()
    case = kk_case_with_contact(client, auth, "warga@contoh.id")
    waiting = page_of(off, case["tracking_code"])
    assert ready_notice.WORD_OFF in waiting and ready_notice.READY_NOW not in waiting
    assert ready_notice.WORD_ON in page_of(on, case["tracking_code"])
    walk_to_handover(client, auth, case["id"])
    ready = page_of(on, case["tracking_code"])
    assert ready_notice.READY_NOW in ready and ready_notice.WORD_ON in ready
    assert NAME not in ready and NIK not in ready and "warga@" not in ready
    guest = client.post("/cases", json={"sop": "pengaduan", "channel": "langsung"},
                        headers=auth("petugas"))
    assert guest.status_code == 201, guest.json
    assert 'id="pickup"' not in page_of(on, guest.json["tracking_code"])  # no hand-over step
