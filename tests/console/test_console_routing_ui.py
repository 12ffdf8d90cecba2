"""The desk console's routing panels: the Camat's lembar disposisi for a complaint (#19), the
petugas's classification (#16), the KK file sent to the Dinas and back, reassign by picker."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.console.test_console_ui import shot

pytestmark = pytest.mark.ui

KESRA = "Pemberdayaan Masyarakat dan Kesejahteraan Rakyat"


def api_ok(resp, status=200):
    assert resp.status_code == status, resp.text
    return resp.json()


def complaint_at(hall, key: str, topic: str | None = None) -> dict:
    """A complaint typed in by a petugas, walked to step ``key``."""
    case = api_ok(hall.api("POST", "/api/workflow/cases", "petugas1", json={
        "sop": "pengaduan", "channel": "telepon",
        "subject": "Bantuan sosial belum diterima warga Desa Kaligondo"}), 201)
    if topic:
        api_ok(hall.api("PUT", f"/api/workflow/cases/{case['id']}/classification", "petugas1",
                        json={"kind": "pengaduan", "topic": topic}))
    while case["current_step"]["key"] != key:
        case = api_ok(hall.api("POST", f"/api/workflow/cases/{case['id']}/steps/current/complete",
                               "petugas1", json={"output": "Dicatat"}))
    return case


def test_the_camat_writes_the_lembar_disposisi_to_the_kasi_kesra(hall, login):
    case = complaint_at(hall, "2c", topic="lainnya")  # "lainnya" goes to the Camat
    page = login("camat")
    page.goto(f"{hall.base}/console/meja?kasus={case['id']}")
    form = page.locator("#disposisi-form")
    expect(form).to_be_visible()
    expect(page.locator("#dp-to option")).to_contain_text(["— pilih tujuan —",
                                                           "Kasi " + KESRA, "Camat"])
    # Nothing chosen, no instruction: both fields named in Indonesian, nothing written.
    form.locator("button[type=submit]").click()
    expect(form.locator('[data-error-for="forward_to"]')).to_contain_text("Diteruskan kepada")
    page.select_option("#dp-to", "kesra")
    form.locator("button[type=submit]").click()
    expect(form.locator('[data-error-for="instruction"]')).to_contain_text("wajib diisi")
    assert api_ok(hall.api("GET", f"/api/workflow/cases/{case['id']}", "camat"))[
        "dispositions"] == []

    page.reload()  # a clean form for the screenshot
    page.select_option("#dp-to", "kesra")
    page.select_option("#dp-urgency", "segera")
    page.fill("#dp-instruction", "Mohon diteliti dan dijawab kepada pelapor dalam 1 hari.")
    page.fill("#dp-notes", "Koordinasikan dengan Kepala Desa Kaligondo.")
    shot(page, "disposisi")
    form.locator("button[type=submit]").click()
    expect(page.locator("#flash")).to_contain_text("diteruskan kepada Kasi " + KESRA)
    expect(page.locator("#disposition-list li")).to_have_count(1)
    expect(page.locator("#disposition-list")).to_contain_text("Segera")
    expect(page.locator("#disposition-list")).to_contain_text("paraf camat")
    after = api_ok(hall.api("GET", f"/api/workflow/cases/{case['id']}", "camat"))
    assert after["current_step"]["role"] == "kasi"
    assert after["current_step"]["section"]["code"] == "kesra"
    [written] = after["dispositions"]
    assert written["urgency"] == "segera" and written["written_by"] == "camat"

    # On the Kasi Kesra's desk, not on the Kasi Pemerintahan's.
    kesra = login("kasi_kesra")
    expect(kesra.locator(f'#worklist li[data-case-id="{case["id"]}"]')).to_have_count(1)
    pem = login("kasi_pem")
    expect(pem.locator("#worklist-count")).to_have_text("0")
    assert not page.js_errors and not kesra.js_errors


def test_the_petugas_classifies_a_complaint_in_the_console(hall, login):
    case = complaint_at(hall, "2")
    page = login("petugas1")
    page.goto(f"{hall.base}/console/meja?kasus={case['id']}")
    form = page.locator("#classify-form")
    form.locator("button[type=submit]").click()
    expect(form.locator('[data-error-for="kind"]')).to_contain_text("Jenis")
    page.select_option("#cl-kind", "aspirasi")
    page.select_option("#cl-topic", "kesejahteraan")
    form.locator("button[type=submit]").click()
    expect(page.locator("#classification-now")).to_contain_text("Aspirasi · topik kesejahteraan"
                                                                " · diteruskan kepada Kasi")
    step = next(s for s in api_ok(hall.api("GET", f"/api/workflow/cases/{case['id']}",
                                           "petugas1"))["steps"] if s["key"] == "2c")
    assert step["role"] == "kasi"
    # Only the Camat and Sekcam write a disposisi: the petugas sees no form.
    expect(page.locator("#disposisi-form")).to_have_count(0)


def test_the_kk_file_is_marked_sent_and_received_back(hall, login):
    case = api_ok(hall.api("POST", "/api/workflow/cases", "petugas2",
                           json={"sop": "kk", "channel": "langsung"}), 201)
    base = f"/api/workflow/cases/{case['id']}/steps/current/complete"
    api_ok(hall.api("POST", base, "petugas2", json={"output": "Berkas lengkap"}))
    api_ok(hall.api("POST", base, "kasi_pem", json={"output": "Diteliti", "decision": "ya"}))
    api_ok(hall.api("POST", base, "operator1", json={"output": "KK dicetak"}))
    page = login("petugas2")
    page.goto(f"{hall.base}/console/meja?kasus={case['id']}")
    button = page.locator("#btn-handoff")
    expect(button).to_have_text("Tandai dikirim ke Dinas")
    button.click()
    expect(page.locator("#handoff")).to_contain_text("dikirim")
    expect(button).to_have_text("Tandai diterima kembali")
    shot(page, "dinas")
    button.click()
    expect(page.locator("#flash")).to_contain_text("Berkas diterima kembali.")
    expect(page.locator("#handoff")).to_contain_text("diterima kembali")
    after = api_ok(hall.api("GET", f"/api/workflow/cases/{case['id']}", "petugas2"))
    assert after["current_step"]["key"] == "5" and after["handoffs"][0]["received_by"] == \
        "petugas2"


def test_reassign_picks_a_person_from_the_staff_list(hall, login):
    case = api_ok(hall.api("POST", "/api/workflow/cases", "petugas1",
                           json={"sop": "ektp", "channel": "langsung"}), 201)
    api_ok(hall.api("POST", f"/api/workflow/cases/{case['id']}/steps/current/complete",
                    "petugas1", json={"output": "Berkas lengkap"}))
    page = login("sekcam")
    page.goto(f"{hall.base}/console/meja?kasus={case['id']}")
    page.locator('.action-tabs button[data-tab="reassign"]').click()
    picker = page.locator("#f-staff")
    expect(picker.locator("option")).to_have_text(["— pilih petugas —",
                                                   "Kasi Pemerintahan (kasi_pem) · "
                                                   "Tata Pemerintahan dan Ketertiban Umum"])
    page.locator("#form-reassign button[type=submit]").click()
    expect(page.locator('#form-reassign [data-error-for="staff_id"]')).to_contain_text(
        "Pilih petugas")
    picker.select_option(label="Kasi Pemerintahan (kasi_pem) · "
                               "Tata Pemerintahan dan Ketertiban Umum")
    page.locator("#form-reassign button[type=submit]").click()
    expect(page.locator("#flash")).to_contain_text("Langkah dialihkan.")
    after = api_ok(hall.api("GET", f"/api/workflow/cases/{case['id']}", "sekcam"))
    assert after["current_step"]["assignee"] == "kasi_pem"


def test_the_dashboard_lists_a_kk_file_long_at_the_dinas(hall, login, db):
    import datetime as dt

    from workflow_service.models_routing import Handoff

    case = api_ok(hall.api("POST", "/api/workflow/cases", "petugas2",
                           json={"sop": "kk", "channel": "langsung"}), 201)
    base = f"/api/workflow/cases/{case['id']}"
    api_ok(hall.api("POST", f"{base}/steps/current/complete", "petugas2",
                    json={"output": "Berkas lengkap"}))
    api_ok(hall.api("POST", f"{base}/steps/current/complete", "kasi_pem",
                    json={"output": "Diteliti", "decision": "ya"}))
    api_ok(hall.api("POST", f"{base}/steps/current/complete", "operator1",
                    json={"output": "KK dicetak"}))
    api_ok(hall.api("POST", f"{base}/handoff/sent", "petugas2"))
    with db.session() as session:
        row = session.query(Handoff).one()
        row.sent_at = row.sent_at - dt.timedelta(days=9)
    page = login("camat")
    row = page.locator(f'#late-table tr[data-case-id="{case["id"]}"]')
    expect(row).to_have_attribute("data-reason", "at_outside")
    expect(row).to_contain_text("Terlalu lama di luar kantor")
    expect(row).to_contain_text("di Dinas 9 hari")
    assert hall.api("GET", "/api/workflow/cases/stuck", "petugas2").status_code == 403


def test_the_counter_shows_the_live_case_of_the_ticket_it_serves(hall, login, celery_worker):
    import re

    resp = hall.api("POST", f"/api/queue/counters/{hall.counter_id(2)}/open", "petugas2")
    assert resp.status_code == 200, resp.text
    ticket = hall.issue_ticket("kk")
    page = login("petugas2")
    page.click("#btn-call-next")
    expect(page.locator("#current-number")).to_have_text(ticket["number"])
    page.click("[data-action=start]")
    # The worker opens the case; its event carries the case's and the ticket's ids.
    panel = page.locator("#case-panel")
    expect(panel).to_contain_text("Permohonan Kartu Keluarga", timeout=20000)
    expect(page.locator("#case-step")).to_contain_text("Langkah 1:")
    expect(page.locator("#case-time")).to_contain_text("waktu standar terpakai")
    expect(page.locator("#case-actions")).to_contain_text("Selesaikan")
    expect(page.locator("#case-link")).to_have_text(re.compile(r"^Buka kasus [0-9A-Z]{8}$"))
    case_id = int(panel.get_attribute("data-case-id"))
    # Someone completes step 1 elsewhere: the panel follows by the step's event.
    done = hall.api("POST", f"/api/workflow/cases/{case_id}/steps/current/complete",
                    "petugas2", json={"output": "Berkas lengkap"})
    assert done.status_code == 200, done.text
    expect(page.locator("#case-step")).to_contain_text("Langkah 2:", timeout=10000)
    shot(page, "loket-kasus")
    assert not page.js_errors
