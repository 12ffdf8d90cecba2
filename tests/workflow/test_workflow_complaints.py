"""Complaints end to end on the real database: intake from the public form, the inbound
webhook and staff; every SOP step; the answer back through a real local SMTP server or a real
local HTTP gateway; escalation past a step's standard; bad input refused, nothing changed."""

from __future__ import annotations

import base64
import datetime as dt
import io
import os

import pytest
from pydantic import SecretStr
from sqlalchemy import func, select

from loket import events
from tests.workflow.reception_support import http_receiver, smtp_server
from tests.workflow.test_workflow_cases import complete
from workflow_service.models import Case
from workflow_service.models_complaints import Complaint, ComplaintReply
from workflow_service.usecases import context, escalations
from workflow_service.usecases.context import session_work

pytestmark = pytest.mark.integration

SECRET = "inbound-secret-for-the-tests-0123456789"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
ANSWER = ("Lampu penerangan jalan di Dusun Krajan sudah dilaporkan ke Dinas PU dan akan "
          "diperbaiki pekan ini.")


@pytest.fixture
def wf_settings(settings):
    return settings.model_copy(update={"inbound_secret": SecretStr(SECRET)})


@pytest.fixture
def client(wf_settings, db, redis_client):
    from workflow_service.app import create_app

    for key in redis_client.scan_iter("loket:rl:complaints:*"):
        redis_client.delete(key)
    app = create_app(wf_settings)
    app.config["TESTING"] = True
    return app.test_client()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def counts(db):
    with db.session() as session:
        return (session.scalar(select(func.count()).select_from(Complaint)),
                session.scalar(select(func.count()).select_from(Case)))


def case_id_of(client, auth, code):
    cases = client.get("/cases?sop=pengaduan", headers=auth("petugas")).json["cases"]
    return next(c["id"] for c in cases if c["tracking_code"] == code)


def walk_to_the_answer(client, auth, case_id):
    """Recorded, verified and classified, forwarded by disposisi, answered by the Kasi."""
    for _ in range(3):  # 1 (reported), 1b (recorded), 2 (verified and classified)
        assert complete(client, auth, case_id, "petugas").status_code == 200
    disposisi = client.post(f"/cases/{case_id}/documents/lembar_disposisi", json={
        "classification": "pengaduan", "forward_to": "Kasi Kesejahteraan Rakyat",
        "instruction": "Mohon ditindaklanjuti dan dijawab kepada pelapor."},
        headers=auth("petugas"))
    assert disposisi.status_code == 201, disposisi.json
    assert complete(client, auth, case_id, "petugas").status_code == 200  # 2b forwarded
    case = client.get(f"/cases/{case_id}", headers=auth("kasi")).json
    step = case["current_step"]
    assert step["role"] in ("kasi", "sekcam", "camat")  # whom the disposisi forwarded it to
    approve = {"decision": "ya"} if "ya" in (step.get("decisions") or []) else {}
    answered = complete(client, auth, case_id, step["role"], output=ANSWER, **approve)
    assert answered.status_code == 200, answered.json


def test_a_complaint_from_the_public_page_walks_every_step_and_its_answer_arrives_by_email(
        client, auth, db, wf_settings):
    from workflow_service.usecases import replies

    page = client.get("/pengaduan")
    assert page.status_code == 200 and "Kirim pengaduan" in page.get_data(as_text=True)
    sent = client.post("/complaints", data={
        "text": "Lampu jalan di Dusun Krajan mati sejak dua minggu.", "email": "warga@contoh.id",
        "name": "Rudi", "category": "infrastruktur",
        "attachments": [(io.BytesIO(PNG), "foto.png")]},
        content_type="multipart/form-data")
    assert sent.status_code == 201, sent.json
    code = sent.json["tracking_code"]
    assert sent.json["track_url"] == f"/t/{code}" and sent.json["attachments"] == 1
    listed = client.get("/cases?sop=pengaduan", headers=auth("petugas")).json["cases"]
    assert [(c["tracking_code"], c["channel"]) for c in listed] == [(code, "web")]
    case_id = listed[0]["id"]
    assert listed[0]["subject"].startswith("Lampu jalan")

    walk_to_the_answer(client, auth, case_id)
    with smtp_server() as mailbox:
        with db.session() as session:
            assert replies.queue_replies(session) == 1
            assert replies.queue_replies(session) == 0  # one answer per complaint
        smtp = wf_settings.model_copy(update={"smtp_url": os.environ[
            "LOKET_SMTP_URL"]})
        assert replies.deliver_due(db.session, settings=smtp)["sent"] == 1
    [mail] = mailbox.messages
    assert mail["To"] == "warga@contoh.id" and code in mail["Subject"]
    body = mail.get_payload(decode=True).decode()
    assert ANSWER in body and code in body
    done = complete(client, auth, case_id, "petugas")  # 2d archived
    assert done.status_code == 200 and done.json["status"] == "done"
    track = client.get(f"/track/{code}").json
    assert track["status"] == "done" and "Rudi" not in str(track)


def test_a_whatsapp_complaint_by_webhook_is_answered_through_the_gateway(client, auth, db,
                                                                           wf_settings):
    from workflow_service.usecases import replies

    message = {"channel": "whatsapp", "from": "0812-3456-7890",
               "text": "Antrean KK terlalu lama, mohon ditambah petugas.", "message_id": "wa-1"}
    headers = {"Authorization": f"Bearer {SECRET}"}
    first = client.post("/complaints/inbound", json=message, headers=headers)
    assert first.status_code == 201, first.json
    again = client.post("/complaints/inbound", json=message, headers=headers)
    assert again.status_code == 200 and again.json["tracking_code"] == first.json[
        "tracking_code"]
    assert counts(db) == (1, 1)
    walk_to_the_answer(client, auth, first.json["case_id"])
    with http_receiver("LOKET_GATEWAY_URL") as gateway:
        gateway.status = 503  # the gateway is down: retried, not lost
        settings = wf_settings.model_copy(update={"gateway_url": os.environ[
            "LOKET_GATEWAY_URL"]})
        with db.session() as session:
            replies.queue_replies(session)
        assert replies.deliver_due(db.session, settings=settings)["failed"] == 1
        gateway.status = 200
        later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=10)
        assert replies.deliver_due(db.session, settings=settings, now=later)["sent"] == 1
        received = gateway.received
    assert len(received) == 2
    assert received[-1]["channel"] == "whatsapp" and received[-1]["to"] == "+6281234567890"
    assert received[-1]["reference"] == first.json["tracking_code"]
    assert ANSWER in received[-1]["text"]
    with db.session() as session:
        reply = session.scalars(select(ComplaintReply)).one()
        assert reply.status == "sent" and reply.attempts == 2


def test_a_complaint_left_past_its_steps_standard_escalates(db):
    from workflow_service.domain.complaints import ComplaintInput, Contact
    from workflow_service.usecases import complaints

    with db.session() as session:
        calendar = context.business_calendar(session)
        start = calendar.next_working_instant(dt.datetime.now(dt.UTC) - dt.timedelta(days=5))
        intake = complaints.submit(session, ComplaintInput(
            text="Pungutan liar saat mengurus surat pindah.",
            contact=Contact("email", "a@contoh.id")), channel="web", now=start)
        case_id = intake.case.id
    with db.session() as session:
        due = escalations.due_escalations(session, dt.datetime.now(dt.UTC), dt.timedelta(0))
        with session_work(session) as uow:
            fired = [escalations.fire_escalation(uow, esc_id) for esc_id, _ in due]
    assert len([f for f in fired if f]) == 3
    with db.session() as session:
        levels = {e.payload["level"] for e in session.scalars(
            select(events.Event).where(events.Event.type.like("sla.%")))
            if e.payload["case"]["id"] == case_id}
    assert levels == {"reminder", "breach", "escalation"}


@pytest.mark.parametrize(("body", "status", "field"), [
    ({"attachments": [{"filename": "besar.png", "content_base64": b64(
        PNG + b"\x00" * (5 * 1024 * 1024))}]}, 413, "attachments"),
    ({"attachments": [{"filename": "foto.jpg", "content_base64": b64(
        b"MZ\x90\x00 this is a windows program")}]}, 415, "attachments"),
    ({"attachments": [{"filename": "foto.png", "content_base64": b64(
        b"<html><script>alert(1)</script></html>")}]}, 415, "attachments"),
    ({"text": "Tolong <script>alert('x')</script> diperbaiki"}, 422, "text"),
    ({"text": "klik <a href=x onclick=steal()>di sini</a>"}, 422, "text"),
    ({"contact": {"email": "bukan-email"}}, 422, "contact.email"),
    ({"contact": {}}, 422, "contact"),
    ({"category": "rahasia"}, 422, "category"),
])
def test_bad_public_input_gets_a_clear_indonesian_error_and_changes_nothing(
        client, db, body, status, field):
    good = {"text": "Jalan berlubang di depan SDN 1.", "contact": {"phone": "081234567890"}}
    response = client.post("/complaints", json={**good, **body})
    assert response.status_code == status, response.json
    assert response.json["error"]["field"] == field
    assert response.json["error"]["message"] and "Error" not in response.json["error"]["message"]
    assert counts(db) == (0, 0)


def test_a_pdf_attachment_is_accepted_by_its_content(client, auth, db):
    sent = client.post("/complaints", json={
        "text": "Berkas saya hilang.", "contact": {"email": "b@contoh.id"},
        "attachments": [{"filename": "surat.bin", "content_base64": b64(PDF)}]})
    assert sent.status_code == 201
    case_id = case_id_of(client, auth, sent.json["tracking_code"])
    shown = client.get(f"/complaints/{case_id}", headers=auth("petugas")).json
    assert shown["attachments"][0]["media_type"] == "application/pdf"
    assert shown["reporter"]["contact"] == "b@contoh.id"


def test_the_webhook_refuses_a_wrong_secret_and_changes_nothing(client, db):
    message = {"channel": "sms", "from": "081234567890", "text": "Tes", "message_id": "s-1"}
    for headers in ({}, {"Authorization": "Bearer salah"}):
        response = client.post("/complaints/inbound", json=message, headers=headers)
        assert response.status_code == 401
        assert response.json["error"]["message"] == "Kunci webhook tidak valid."
    assert counts(db) == (0, 0)


def test_the_public_form_is_rate_limited_per_address(client, db):
    client.application.config["COMPLAINT_RATE_LIMIT"] = (2, 60)
    good = {"text": "Pelayanan lambat.", "contact": {"email": "c@contoh.id"}}
    here = {"REMOTE_ADDR": "10.1.2.3"}
    assert client.post("/complaints", json=good, environ_base=here).status_code == 201
    assert client.post("/complaints", json=good, environ_base=here).status_code == 201
    third = client.post("/complaints", json=good, environ_base=here)
    assert third.status_code == 429 and "Terlalu banyak" in third.json["error"]["message"]
    other = client.post("/complaints", json=good, environ_base={"REMOTE_ADDR": "10.9.9.9"})
    assert other.status_code == 201
    assert counts(db) == (3, 3)


def test_an_anonymous_reporter_is_hidden_from_the_sections(client, auth):
    sent = client.post("/complaints", json={"text": "Petugas meminta uang.", "anonymous": True,
                                            "name": "Dewi", "contact": {"phone": "08123456789"}})
    case_id = case_id_of(client, auth, sent.json["tracking_code"])
    assert client.get(f"/complaints/{case_id}", headers=auth("kasi")).json["reporter"] is None
    assert client.get(f"/complaints/{case_id}",
                      headers=auth("petugas")).json["reporter"]["name"] == "Dewi"
    assert client.get(f"/complaints/{case_id}").status_code == 401


def test_staff_type_in_a_letter_and_an_sp4n_lapor_complaint(client, auth):
    letter = client.post("/complaints/intake", json={
        "channel": "surat", "text": "Surat keberatan atas pelayanan KK."}, headers=auth("petugas"))
    assert letter.status_code == 201 and letter.json["reply_channel"] is None
    missing = client.post("/complaints/intake", json={
        "channel": "sp4n_lapor", "text": "Dari LAPOR!"}, headers=auth("petugas"))
    assert missing.status_code == 422 and missing.json["error"]["field"] == "lapor_reference"
    lapor = client.post("/complaints/intake", json={
        "channel": "sp4n_lapor", "text": "Dari LAPOR!", "lapor_reference": "LAP-2611-0042"},
        headers=auth("petugas"))
    assert lapor.status_code == 201 and lapor.json["channel"] == "sp4n_lapor"
    assert client.post("/complaints/intake", json={"channel": "surat", "text": "x"},
                       headers=auth("admin")).status_code == 201


def test_behind_a_trusted_proxy_the_limit_counts_the_forwarded_client(wf_settings, db,
                                                                      redis_client):
    from workflow_service.app import create_app

    for key in redis_client.scan_iter("loket:rl:complaints:*"):
        redis_client.delete(key)
    app = create_app(wf_settings.model_copy(update={"trusted_proxies": 1}))
    app.config.update(TESTING=True, COMPLAINT_RATE_LIMIT=(1, 60))
    client = app.test_client()
    good = {"text": "Pelayanan lambat.", "contact": {"email": "c@contoh.id"}}
    nginx = {"REMOTE_ADDR": "172.18.0.5"}

    def post(chain):
        return client.post("/complaints", json=good, environ_base=nginx,
                           headers={"X-Forwarded-For": chain}).status_code

    assert post("10.0.0.1") == 201
    assert post("10.0.0.2") == 201  # another citizen behind the same nginx
    assert post("1.2.3.4, 10.0.0.1") == 429  # a forged left-hand entry does not help


def test_a_real_worker_sends_the_answer_to_a_real_smtp_server(client, auth, db, repo_root,
                                                               tmp_path):
    """The beat task as the worker runs it: the answer step's output reaches the mailbox."""
    from tests.conftest import WorkerProcess, celery_client
    from tests.support import wait_until

    sent = client.post("/complaints", json={"text": "Pelayanan KK lambat sekali.",
                                            "contact": {"email": "pelapor@contoh.id"}})
    code = sent.json["tracking_code"]
    walk_to_the_answer(client, auth, case_id_of(client, auth, code))
    with smtp_server() as mailbox:
        worker = WorkerProcess(repo_root, tmp_path / "worker.log",
                               env={"LOKET_SMTP_URL": os.environ["LOKET_SMTP_URL"]})
        worker.start()
        try:
            celery_client().send_task("workflow.deliver_complaint_replies", queue="loket")
            wait_until(lambda: mailbox.messages, timeout=30, message="the answer e-mail")
        finally:
            worker.stop()
    [mail] = mailbox.messages
    assert mail["X-RcptTo"] == "pelapor@contoh.id" and code in mail["Subject"]
    assert ANSWER in mail.get_payload(decode=True).decode()


def test_the_monthly_register_shows_each_steps_time_against_its_standard(client, auth, db):
    from openpyxl import load_workbook

    from workflow_service.domain.complaints import ComplaintInput, Contact
    from workflow_service.usecases import complaints

    with db.session() as session:
        calendar = context.business_calendar(session)
        start = calendar.next_working_instant(dt.datetime.now(dt.UTC) - dt.timedelta(days=3))
        complaints.submit(session, ComplaintInput(
            text="Pungutan liar saat mengurus surat pindah.", name="Dewi Lestari",
            contact=Contact("email", "a@contoh.id")), channel="web", now=start)
    month = calendar.to_local(start).strftime("%Y-%m")
    register = client.get(f"/complaints/register?month={month}", headers=auth("sekcam")).json
    [row] = register["rows"]
    first_step = register["columns"][8]
    assert first_step == "Langkah 1 (30 menit)"
    assert row[first_step].endswith("(berjalan) — terlambat") and row["Langkah terlambat"] == 1
    assert row["Pelapor"] == "D\u2022\u2022\u2022 L\u2022\u2022\u2022\u2022\u2022\u2022"
    assert row["Saluran"] == "web" and row["Status"] == "Diproses"
    full = client.get(f"/complaints/register?month={month}", headers=auth("petugas")).json
    assert full["rows"][0]["Pelapor"] == "Dewi Lestari"

    xlsx = client.get(f"/complaints/register.xlsx?month={month}", headers=auth("camat"))
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    assert sheet["B3"].value == row["Kode"]
    pdf = client.get(f"/complaints/register.pdf?month={month}", headers=auth("camat"))
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    csv_text = client.get(f"/complaints/register.csv?month={month}",
                          headers=auth("camat")).data.decode("utf-8-sig")
    assert row["Kode"] in csv_text and "Dewi Lestari" not in csv_text
    missing = client.get("/complaints/register", headers=auth("camat"))
    assert missing.status_code == 422 and missing.json["error"]["field"] == "month"
    assert client.get(f"/complaints/register?month={month}").status_code == 401
