"""The staff consoles in a real (headless, system) Chromium against the real hall.

Data is set up through the public APIs (kiosk token, staff tokens); what a test checks is what
the officer sees on the page, and then what the APIs say happened.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from tests.console.conftest import shot as save_shot

pytestmark = pytest.mark.ui


def shot(page, name: str) -> None:
    save_shot(page, f"console-{name}")


def open_counter(hall, username: str = "petugas2", number: int = 2) -> None:
    resp = hall.api("POST", f"/api/queue/counters/{hall.counter_id(number)}/open", username)
    assert resp.status_code == 200, resp.text


def board_counter(hall, number: int) -> dict:
    board = hall.api("GET", "/api/queue/board").json()
    return next(c for c in board["counters"] if c["number"] == number)


def ektp_case_at_kasi(hall) -> dict:
    """An e-KTP case opened by a petugas, step 1 completed: it now waits for the Kasi."""
    resp = hall.api("POST", "/api/workflow/cases", "petugas1",
                    json={"sop": "ektp", "channel": "langsung", "subject": "Perekaman e-KTP"})
    assert resp.status_code == 201, resp.text
    case = resp.json()
    resp = hall.api("POST", f"/api/workflow/cases/{case['id']}/steps/current/complete",
                    "petugas1", json={"output": "Berkas lengkap"})
    assert resp.status_code == 200, resp.text
    assert resp.json()["current_step"]["role"] == "kasi"
    return dict(resp.json())


# -- login and navigation ------------------------------------------------------------------------

def test_login_sends_each_role_to_its_page_with_its_menu(browser, hall, login):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="id-ID")
    page = context.new_page()
    page.goto(hall.base + "/console/")
    page.fill("input[name=username]", "petugas1")
    page.fill("input[name=password]", "salah-sekali")
    page.click("#login button[type=submit]")
    expect(page.locator("#login-error")).to_have_text("Nama pengguna atau kata sandi salah.")
    shot(page, "login")
    context.close()

    expected = {"petugas1": ("/console/loket", ["Loket", "Meja Kerja", "Buku Tamu"]),
                "kasi_pm": ("/console/meja", ["Meja Kerja"]),
                "sekcam": ("/console/meja", ["Meja Kerja", "Dasbor", "Pengaturan", "Buku Tamu"]),
                "camat": ("/console/dasbor", ["Meja Kerja", "Dasbor", "Pengaturan", "Buku Tamu"]),
                "admin": ("/console/admin", ["Loket", "Meja Kerja", "Dasbor", "Pengaturan",
                                              "Administrasi", "Buku Tamu"])}
    for username, (path, menu) in expected.items():
        page = login(username)
        assert page.url.endswith(path), (username, page.url)
        expect(page.locator("#nav a")).to_have_text(menu)
        expect(page.locator("#logout")).to_have_text("Keluar")
    # A Kasi who types the dashboard's address is told it is not for them.
    page = login("kasi_pm")
    page.goto(hall.base + "/console/dasbor")
    expect(page.locator("main h1")).to_have_text("Halaman ini bukan untuk peran Anda")
    page.click("#logout")
    expect(page.locator("#login")).to_be_visible()
    assert page.evaluate("sessionStorage.getItem('loket.token')") is None


# -- the counter ---------------------------------------------------------------------------------

def test_counter_calls_serves_and_finishes_a_live_ticket(hall, login):
    page = login("petugas2")
    expect(page.locator("#counter-select option:checked")).to_have_text("Loket 2")
    expect(page.locator("#counter-status")).to_have_text("Tutup")
    page.click("#btn-open")
    expect(page.locator("#counter-status")).to_have_text("Buka")
    assert board_counter(hall, 2)["status"] == "open"
    expect(page.locator("#live-state")).to_have_text("Langsung")

    # Issued at the kiosk after the page loaded: it must arrive through the live stream.
    regular = hall.issue_ticket("ektp")
    elderly = hall.issue_ticket("kk", priority="lansia", name="Mbah Sarmi")
    waiting = page.locator("#waiting-list li")
    expect(waiting).to_have_count(2, timeout=10000)
    expect(page.locator("#waiting-count")).to_have_text("2")
    row = page.locator(f'#waiting-list li[data-ticket-id="{elderly["id"]}"]')
    expect(row.locator(".badge-priority")).to_have_text("Lansia")
    expect(page.locator("#waiting-list")).not_to_contain_text(regular["nik_masked"][:4] + "•")

    page.click("#btn-call-next")
    # The elderly visitor is called first (the queue's rule) and the page says whom it called.
    expect(page.locator("#current-number")).to_have_text(elderly["number"])
    expect(page.locator("#call-message")).to_have_text(f"Memanggil {elderly['number']}")
    expect(page.locator("#current-status")).to_have_text("Dipanggil")
    current = board_counter(hall, 2)["current"]
    assert current["number"] == elderly["number"] and current["status"] == "called"
    expect(page.locator("#btn-call-next")).to_be_disabled()
    expect(waiting).to_have_count(1)
    assert "3510" not in page.locator("#current").inner_text()  # never the NIK

    page.click("[data-action=recall]")
    expect(page.locator("#current-times")).to_contain_text("dipanggil ulang 1×")
    page.click("[data-action=start]")
    expect(page.locator("#current-status")).to_have_text("Sedang dilayani")
    assert board_counter(hall, 2)["current"]["status"] == "serving"
    shot(page, "loket")
    page.click("[data-action=finish]")
    expect(page.locator("#current")).to_be_hidden()
    assert board_counter(hall, 2)["current"] is None

    page.click("#btn-call-next")
    expect(page.locator("#current-number")).to_have_text(regular["number"])
    page.click("[data-action=no-show]")
    expect(page.locator("#current")).to_be_hidden()
    status = hall.api("GET", f"/api/queue/tickets/{regular['tracking_code']}").json()
    assert status["status"] == "no_show"

    # Nobody left: the API answers 204 and the officer reads it plainly.
    page.click("#btn-call-next")
    expect(page.locator("#call-message")).to_have_text("Tidak ada antrean")
    expect(page.locator("#waiting-empty")).to_be_visible()
    assert page.js_errors == []


def test_counter_holds_transfers_and_cancels(hall, login):
    open_counter(hall)
    first = hall.issue_ticket("ektp")
    second = hall.issue_ticket("ektp")
    page = login("petugas2")
    page.click("#btn-call-next")
    expect(page.locator("#current-number")).to_have_text(first["number"])
    page.click("[data-action=hold]")
    held = page.locator(f'#held-list li[data-ticket-id="{first["id"]}"]')
    expect(held).to_be_visible()
    held.locator("button").click()  # Lanjutkan: back to waiting
    expect(page.locator(f'#waiting-list li[data-ticket-id="{first["id"]}"]')).to_be_visible()

    page.click("#btn-call-next")
    expect(page.locator("#current-number")).to_have_text(first["number"])
    page.click("#btn-transfer")
    expect(page.locator('#transfer-form [data-error-for="service"]')).to_have_text(
        "Pilih layanan tujuan dulu.")
    page.select_option("#transfer-service", "rekomendasi")
    page.check("#transfer-return")
    page.click("#btn-transfer")
    expect(page.locator("#flash")).to_contain_text(f"Antrean {first['number']} dialihkan")
    ticket = hall.api("GET", f"/api/queue/tickets/id/{first['id']}", "petugas2").json()
    assert ticket["service"] == "rekomendasi"
    assert ticket["return_to_service"] == "ektp"

    page.click("#btn-call-next")  # Loket 2 does not serve rekomendasi: the other e-KTP ticket
    expect(page.locator("#current-number")).to_have_text(second["number"])
    cancel = page.locator("[data-action=cancel]")
    cancel.click()
    expect(cancel).to_have_text("Yakin batalkan?")
    cancel.click()
    expect(page.locator("#current")).to_be_hidden()
    status = hall.api("GET", f"/api/queue/tickets/{second['tracking_code']}").json()
    assert status["status"] == "cancelled"


def test_counter_errors_are_shown_in_indonesian(hall, login):
    page = login("petugas3")
    # Loket 1 is not this officer's counter: the queue refuses, the page says why.
    page.select_option("#counter-select", label="Loket 1")
    page.click("#btn-open")
    expect(page.locator("#counter-error")).to_contain_text(
        "Anda hanya dapat bertindak di loket Anda sendiri")
    assert board_counter(hall, 1)["status"] == "closed"


def test_kiosk_fault_appears_as_a_banner(hall, login):
    page = login("petugas2")
    expect(page.locator("#live-state")).to_have_text("Langsung")
    expect(page.locator("#fault-banner")).to_be_hidden()
    resp = hall.api("POST", "/api/queue/kiosk/faults", headers=hall.kiosk,
                    json={"code": "printer_offline", "detail": "kabel USB lepas"})
    assert resp.status_code == 201, resp.text
    expect(page.locator("#fault-text")).to_contain_text(
        "Gangguan Kiosk Pintu Masuk: printer tidak tersambung (kabel USB lepas)", timeout=10000)
    page.click("#fault-dismiss")
    expect(page.locator("#fault-banner")).to_be_hidden()


# -- the role desk -------------------------------------------------------------------------------

def test_kasi_completes_the_ektp_step_with_decision_ya(hall, login):
    case = ektp_case_at_kasi(hall)
    page = login("kasi_pem")
    item = page.locator(f'#worklist li[data-case-id="{case["id"]}"]')
    expect(item).to_contain_text(case["tracking_code"])
    expect(item).to_contain_text("Permohonan e-KTP")
    item.click()
    expect(page.locator("#case-title")).to_have_text("Permohonan e-KTP")
    expect(page.locator("#detail")).to_contain_text(case["tracking_code"])
    expect(page.locator("#steps li")).to_have_count(4)
    expect(page.locator("#audit-log")).to_contain_text("Berkas lengkap")
    expect(page.locator("#f-decision option")).to_have_text(
        ["— pilih keputusan —", "Ya", "Tidak"])
    # A Persetujuan row offers no return and no reject: the SOP has neither there.
    expect(page.locator(".action-tabs button")).to_have_text(["Selesaikan", "Alihkan"])
    page.fill("#f-output", "Data sesuai, disetujui")
    page.select_option("#f-decision", "ya")
    shot(page, "meja")
    page.click("#form-complete button[type=submit]")
    expect(page.locator("#flash")).to_contain_text("Langkah diselesaikan.")
    expect(item).to_have_count(0)
    expect(page.locator("#worklist-empty")).to_be_visible()
    after = hall.api("GET", f"/api/workflow/cases/{case['id']}", "kasi_pem").json()
    assert after["current_step"]["role"] == "operator"
    done = next(s for s in after["steps"] if s["key"] == "2")
    assert done["decision"] == "ya" and done["output"] == "Data sesuai, disetujui"


def test_a_missing_decision_shows_the_error_and_changes_nothing(hall, login):
    case = ektp_case_at_kasi(hall)
    page = login("kasi_pem")
    page.locator(f'#worklist li[data-case-id="{case["id"]}"]').click()
    page.fill("#f-output", "Data diteliti")
    page.click("#form-complete button[type=submit]")
    error = page.locator('#form-complete [data-error-for="decision"]')
    expect(error).to_have_text("Keputusan wajib dipilih: ya / tidak.")
    after = hall.api("GET", f"/api/workflow/cases/{case['id']}", "kasi_pem").json()
    assert after["current_step"]["key"] == "2" and after["current_step"]["state"] == "active"

    page.select_option("#f-decision", "ya")
    page.click("#form-complete button[type=submit]")
    expect(page.locator("#flash")).to_contain_text("Langkah diselesaikan.")
    # The operator's step shows its Kelengkapan as equipment, with nothing to tick.
    page = login("operator1")
    page.locator(f'#worklist li[data-case-id="{case["id"]}"]').click()
    expect(page.locator("#step-equipment")).to_have_text(
        "Kelengkapan langkah: Komputer, Jaringan internet, Alat tulis, Print Out")
    expect(page.locator("#form-complete input[type=checkbox]")).to_have_count(0)


def test_petugas_returns_and_resubmits_and_issues_a_document(hall, login):
    resp = hall.api("POST", "/api/workflow/cases", "petugas1",
                    json={"sop": "ektp", "channel": "langsung"})
    case = resp.json()
    page = login("petugas1")
    page.click("#nav a:has-text('Meja Kerja')")
    page.locator(f'#worklist li[data-case-id="{case["id"]}"]').click()
    page.click("[data-tab=return]")
    page.click("#form-return button[type=submit]")
    expect(page.locator('#form-return [data-error-for="reason"]')).not_to_be_empty()
    page.fill("#f-reason", "Fotokopi KK belum ada")
    page.click("#form-return button[type=submit]")
    expect(page.locator("#current-step")).to_contain_text("Berkas dikembalikan ke pemohon")
    page.click("#form-resubmit button[type=submit]")
    expect(page.locator("#current-step")).to_contain_text("Sedang diproses")

    # Only the documents this SOP has; surat pengantar is for e-KTP and KK. At step 1 the
    # surat pengantar (step 4's output, #17) is refused with the server's message, no number.
    expect(page.locator("#documents [data-kind]")).to_have_count(2)
    page.click("#documents [data-kind=surat_pengantar]")
    expect(page.locator("#documents .form-error")).to_contain_text("setelah kasus sampai di")
    page.click("#documents [data-kind=tanda_terima]")
    expect(page.locator("#document-list li")).to_have_count(1)
    expect(page.locator("#document-list")).to_contain_text("Tanda terima TT/001/")
    docs = hall.api("GET", f"/api/workflow/cases/{case['id']}/documents", "petugas1").json()
    assert [d["kind"] for d in docs["documents"]] == ["tanda_terima"]
    # Printing it again is a re-issue: a reason, the same number, listed as version 2.
    page.click("#reissue-form button[type=submit]")
    expect(page.locator('#reissue-form [data-error-for="reason"]')).to_have_text(
        "Alasan penerbitan ulang wajib diisi.")
    page.fill("#reissue-reason", "Tanda terima hilang")
    page.click("#reissue-form button[type=submit]")
    expect(page.locator("#document-list li")).to_have_count(2)
    expect(page.locator("#document-list li").nth(1)).to_contain_text(
        "terbit ulang versi 2 (Tanda terima hilang)")
    docs = hall.api("GET", f"/api/workflow/cases/{case['id']}/documents", "petugas1").json()
    assert [(d["number"], d["version"]) for d in docs["documents"]] == [
        (docs["documents"][0]["number"], 1), (docs["documents"][0]["number"], 2)]


def test_new_case_form_shows_field_errors_and_creates_the_case(hall, login):
    page = login("kasi_kesra")
    page.click("#btn-new-case")
    page.select_option("#nc-sop", "pengaduan")
    page.select_option("#nc-channel", "whatsapp")
    page.fill("#nc-subject", "Lampu jalan mati di Jalan Raya Genteng")
    page.fill("#nc-nik", "1234")
    page.click("#nc-submit")
    expect(page.locator('[data-error-for="applicant.nik"]')).to_contain_text("NIK tidak valid")
    assert hall.api("GET", "/api/workflow/cases", "kasi_kesra").json()["cases"] == []
    page.fill("#nc-nik", "3510011708450001")
    page.fill("#nc-name", "Pak Slamet")
    page.click("#nc-submit")
    expect(page.locator("#case-title")).to_have_text("Pengelolaan Pengaduan Pelayanan Publik")
    cases = hall.api("GET", "/api/workflow/cases", "kasi_kesra").json()["cases"]
    assert len(cases) == 1 and cases[0]["channel"] == "whatsapp"
    expect(page.locator("#detail")).to_contain_text("WhatsApp")
    expect(page.locator("#detail")).not_to_contain_text("3510011708450001")


# -- the dashboard -------------------------------------------------------------------------------

def test_dashboard_counts_cases_and_queue(hall, login):
    ektp_case_at_kasi(hall)
    for _ in range(2):
        assert hall.api("POST", "/api/workflow/cases", "petugas1",
                        json={"sop": "pengaduan", "channel": "telepon"}).status_code == 201
    guest = hall.api("POST", "/api/workflow/cases", "petugas1",
                     json={"sop": "rekomendasi", "channel": "langsung"}).json()
    # The SOPs reject nowhere; a request outside the office's remit is cancelled.
    resp = hall.api("POST", f"/api/workflow/cases/{guest['id']}/steps/current/cancel",
                    "petugas1", json={"reason": "Bukan wewenang kecamatan"})
    assert resp.status_code == 200, resp.text
    open_counter(hall)
    hall.issue_ticket("ektp")
    hall.issue_ticket("kk")

    page = login("camat")
    expect(page.locator("#kpi-open")).to_have_text("3")
    expect(page.locator("#kpi-overdue")).to_have_text("0")
    expect(page.locator("#kpi-waiting")).to_have_text("2")
    expect(page.locator('#sop-table tr[data-sop="pengaduan"] .col-open')).to_have_text("2")
    expect(page.locator('#sop-table tr[data-sop="ektp"] .col-open')).to_have_text("1")
    expect(page.locator('#sop-table tr[data-sop="rekomendasi"] .col-open')).to_have_text("0")
    expect(page.locator('#queue-waiting tr[data-service="ektp"] td.num')).to_have_text("1")
    chip = page.locator(f'#queue-counters [data-counter-id="{hall.counter_id(2)}"]')
    expect(chip).to_contain_text("Buka")
    expect(page.locator("#late-empty")).to_be_visible()

    # Live: a new ticket and a finished case change the figures without a reload.
    hall.issue_ticket("ektp")
    expect(page.locator("#kpi-waiting")).to_have_text("3", timeout=10000)
    resp = hall.api("POST", "/api/workflow/cases", "petugas1",
                    json={"sop": "penerimaan-tamu", "channel": "langsung"})
    assert resp.status_code == 201
    expect(page.locator("#kpi-open")).to_have_text("4", timeout=10000)
    assert page.js_errors == []


def late_ektp_case_at_kasi(hall, db) -> dict:
    """A real e-KTP case whose Kasi step fell due days ago, with its breach really fired.

    The case is opened on a working morning ten days back (the services take ``now``), so
    the SLA clock, the dashboard's figures and the live warning are the system's own.
    """
    from sqlalchemy import select

    from loket.auth import Principal
    from workflow_service.models import Escalation, Step
    from workflow_service.usecases import actions, escalations, opening
    from workflow_service.usecases.context import business_calendar, session_work
    from workflow_service.validation import ActionInput

    petugas = Principal(kind="staff", id=1, username="petugas1", roles=frozenset({"petugas"}))
    with db.session() as session, session_work(session) as uow:
        calendar = business_calendar(session)
        start = calendar.next_working_instant(dt.datetime.now(dt.UTC) - dt.timedelta(days=10))
        case_id = opening.open_case(uow, sop_code="ektp", channel="langsung",
                                    actor="petugas1", subject="Perekaman e-KTP",
                                    now=start).case.id
    with db.session() as session, session_work(session) as uow:
        actions.act_in(uow, case_id, "complete", petugas,
                       ActionInput(output="Berkas lengkap"),
                       now=start + dt.timedelta(minutes=1))
    with db.session() as session, session_work(session) as uow:
        breach = session.scalars(
            select(Escalation.id).join(Step, Step.id == Escalation.step_id)
            .where(Step.case_id == case_id, Step.role == "kasi",
                   Escalation.level == "breach")).one()
        assert escalations.fire_escalation(uow, breach)
    case = hall.api("GET", f"/api/workflow/cases/{case_id}", "petugas1").json()
    assert case["current_step"]["overdue"] is True
    return dict(case)


def test_dashboard_lists_late_steps_and_live_sla_warnings(hall, login, db):
    case = late_ektp_case_at_kasi(hall, db)
    newer = ektp_case_at_kasi(hall)
    hall.api("POST", "/api/workflow/cases", "petugas1", json={"sop": "pengaduan",
                                                              "channel": "sp4n_lapor"})
    page = login("camat")
    row = page.locator(f'#late-table tr[data-case-id="{case["id"]}"]')
    expect(row).to_contain_text(case["tracking_code"])
    expect(row).to_contain_text("Kasi")
    expect(row).to_contain_text("hari")  # fell due ten days ago
    expect(page.locator("#kpi-overdue")).to_have_text("1")
    expect(page.locator('#sop-table tr[data-sop="ektp"] .col-overdue')).to_have_text("1")
    feed = page.locator("#sla-feed li")
    expect(feed).to_have_count(1)
    expect(feed).to_contain_text("Melewati batas waktu")
    expect(feed).to_contain_text(case["tracking_code"])
    expect(feed).to_contain_text("Diberitahukan kepada: Sekretaris Camat")
    expect(page.locator("#live-state")).to_have_text("Langsung", timeout=10000)
    open_counter(hall)
    for service in ("ektp", "ektp", "kk", "pengaduan"):
        hall.issue_ticket(service)
    called = hall.api("POST", f"/api/queue/counters/{hall.counter_id(2)}/call-next", "petugas2")
    assert called.status_code == 200, called.text
    chip = page.locator(f'#queue-counters [data-counter-id="{hall.counter_id(2)}"]')
    expect(chip).to_contain_text(f"Melayani {called.json()['number']}", timeout=10000)
    expect(page.locator("#kpi-waiting")).to_have_text("3")
    shot(page, "dasbor")

    # The desk of the Kasi Pemerintahan (whose section owns e-KTP step 2) puts the late case
    # first, with the red badge.
    desk = login("kasi_pem")
    items = desk.locator("#worklist li")
    expect(items).to_have_count(2)
    first = items.first
    expect(first).to_have_attribute("data-case-id", str(case["id"]))
    expect(items.nth(1)).to_have_attribute("data-case-id", str(newer["id"]))
    expect(items.nth(1).locator(".badge-late")).to_have_count(0)
    expect(first.locator(".badge-late")).to_have_text("Terlambat")
    expect(first.locator(".sla")).to_have_class(re.compile("sla-late"))


def test_dashboard_counts_done_today(hall, login):
    case = hall.api("POST", "/api/workflow/cases", "petugas1",
                    json={"sop": "penerimaan-tamu", "channel": "langsung"}).json()
    for _ in range(10):
        current = hall.api("GET", f"/api/workflow/cases/{case['id']}", "petugas1").json()
        step = current["current_step"]
        if step is None:
            break
        user = "petugas1"
        resp = hall.api("POST", f"/api/workflow/cases/{case['id']}/steps/current/complete", user,
                        json={"output": "ok"})
        assert resp.status_code == 200, resp.text
    assert hall.api("GET", f"/api/workflow/cases/{case['id']}", "petugas1").json()[
        "status"] == "done"
    page = login("camat")
    expect(page.locator("#kpi-done")).to_have_text("1")
    expect(page.locator('#sop-table tr[data-sop="penerimaan-tamu"] .col-done')).to_have_text("1")


# -- settings ------------------------------------------------------------------------------------

def test_admin_running_text_reaches_the_board(hall, login):
    page = login("admin")
    text = "Pelayanan e-KTP buka Senin–Kamis 07.30–15.30 WIB, Jumat 07.30–14.30 WIB."
    page.fill("#announcements", text + "\nLayanan ini gratis, tidak dipungut biaya.")
    page.click("#btn-save-announcements")
    expect(page.locator("#announcements-saved")).to_contain_text("Tersimpan")
    board = hall.api("GET", "/api/queue/board").json()
    assert board["announcements"] == [text, "Layanan ini gratis, tidak dipungut biaya."]

    page.fill("#announcements", "x" * 301)
    page.click("#btn-save-announcements")
    expect(page.locator('#announcements-form [data-error-for="announcements"]')).not_to_be_empty()
    assert hall.api("GET", "/api/queue/board").json()["announcements"] == board["announcements"]
    page.fill("#announcements", text + "\nLayanan ini gratis, tidak dipungut biaya.")
    page.click("#btn-save-announcements")
    expect(page.locator('#announcements-form [data-error-for="announcements"]')).to_be_empty()

    page.fill("#ov-date", "2026-12-18")
    page.select_option("#ov-kind", "closed")
    page.fill("#ov-name", "Hari Jadi Banyuwangi")
    page.click("#btn-add-override")
    row = page.locator('#overrides-table tr[data-date="2026-12-18"]')
    expect(row).to_contain_text("Hari Jadi Banyuwangi")
    expect(row).to_contain_text("Jumat, 18 Desember 2026")
    page.fill("#ov-date", "2026-12-18")
    page.fill("#ov-name", "Lagi")
    page.click("#btn-add-override")
    expect(page.locator('[data-error-for="date"]')).to_have_text(
        "Tanggal ini sudah diatur; hapus dulu sebelum mengubah.")
    page.fill("#ov-date", "")
    page.fill("#ov-date", "2026-12-24")
    page.select_option("#ov-kind", "open")
    page.fill("#ov-name", "Pelayanan akhir tahun")
    page.click("#btn-add-override")
    expect(page.locator("#overrides-table tbody tr")).to_have_count(2)
    expect(page.locator("#incidents-empty")).to_be_visible()
    shot(page, "admin")
    row.locator("button").click()
    expect(row).to_have_count(0)
    overrides = hall.api("GET", "/api/workflow/calendar/overrides", "sekcam").json()
    assert [o["date"] for o in overrides["overrides"]] == ["2026-12-24"]


def test_counter_links_to_the_case_the_worker_opens(hall, login, celery_worker):
    open_counter(hall)
    ticket = hall.issue_ticket("ektp")
    page = login("petugas2")
    page.click("#btn-call-next")
    expect(page.locator("#current-number")).to_have_text(ticket["number"])
    page.click("[data-action=start]")
    link = page.locator("#case-link")
    expect(link).to_be_visible(timeout=20000)
    expect(link).to_have_text(re.compile(r"^Buka kasus [0-9A-Z]{8}$"))
    link.click()
    expect(page.locator("#case-title")).to_have_text("Permohonan e-KTP")
    expect(page.locator("#detail")).to_contain_text(ticket["number"])
