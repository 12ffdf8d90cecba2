"""Guest reception and complaints in a real headless Chromium against the real hall: the Buku
Tamu page, who is inside, the counter sending a kiosk complaint to its case, and the public
complaint page on a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.console.conftest import VALID_NIK, shot

pytestmark = pytest.mark.ui


def serve_at_counter_1(hall, service: str, details: dict) -> dict:
    body = {"service": service, "details": details,
            "visitor": {"name": "Rudi Hartono", "nik": VALID_NIK, "phone": "081234567890",
                        "consent": True}}
    ticket = hall.api("POST", "/api/queue/tickets", headers=hall.kiosk, json=body).json()
    counter = hall.counter_id(1)
    assert hall.api("POST", f"/api/queue/counters/{counter}/open", "petugas1").status_code == 200
    assert hall.api("POST", f"/api/queue/counters/{counter}/call-next",
                    "petugas1").status_code == 200
    return ticket


def fill_guest(page, name, institution, purpose, host, group, card, id_type="ktp",
               id_number="3510012345670001"):
    page.fill("#g-name", name)
    page.fill("#g-institution", institution)
    page.fill("#g-purpose", purpose)
    page.fill("#g-host", host)
    page.fill("#g-group", str(group))
    page.select_option("#g-id-type", id_type)
    page.fill("#g-id-number", id_number)
    page.select_option("#g-card", str(card))


def test_buku_tamu_checks_a_group_in_shows_who_is_inside_and_checks_out(hall, login, cards):
    page = login("petugas1")
    page.goto(hall.base + "/console/tamu")
    expect(page.locator("#g-card option")).to_have_count(21)  # the prompt + twenty cards
    fill_guest(page, "Budi Santoso", "Karang Taruna Kembiritan", "Koordinasi Agustusan",
               "Seksi Kesra", 3, 7)
    shot(page, "console-buku-tamu")
    page.click("#btn-check-in")
    row = page.locator("#inside-table tbody tr").first
    expect(row).to_contain_text("Budi Santoso", timeout=15000)
    expect(row).to_contain_text("rombongan 3 orang")
    expect(row).to_contain_text("KTP 3510\u2022\u2022\u2022\u2022\u2022\u2022\u2022\u20220001")
    expect(page.locator("#g-card option[value='7']")).to_have_count(0)

    fill_guest(page, "", "Desa Setail", "Konsultasi proposal", "Camat", 1, 12)
    page.click("#btn-check-in")
    expect(page.locator("[data-error-for=name]")).to_have_text("Nama tamu wajib diisi.")
    fill_guest(page, "Siti Aminah", "Desa Setail", "Konsultasi proposal", "Camat", 1, 12,
               id_type="sim", id_number="1234-5678-901234")
    page.click("#btn-check-in")
    expect(page.locator("#inside-table tbody tr")).to_have_count(2, timeout=15000)
    expect(page.locator("#inside-count")).to_have_text("2")
    shot(page, "console-tamu-di-dalam")

    budi = page.locator("#inside-table tbody tr", has_text="Budi Santoso")
    budi.get_by_role("button", name="Pulang").click()
    expect(page.locator("#inside-table tbody tr")).to_have_count(1)
    expect(page.locator("#g-card option[value='7']")).to_have_count(1)
    inside = hall.api("GET", "/api/workflow/guests/inside", "petugas1").json()["guests"]
    assert [g["visitor_card"] for g in inside] == [12]
    assert page.js_errors == []


def test_the_sekcam_sees_who_is_inside_with_names_masked_and_no_form(hall, login, cards):
    hall.api("POST", "/api/workflow/guests", "petugas1", json={
        "name": "Budi Santoso", "purpose": "Audiensi", "host": "Camat", "visitor_card": 3})
    page = login("sekcam")
    page.goto(hall.base + "/console/tamu")
    expect(page.locator("#inside-table tbody tr")).to_have_count(1)
    expect(page.locator("#inside-table")).to_contain_text("B\u2022\u2022\u2022 S")
    expect(page.locator("#inside-table")).not_to_contain_text("Budi Santoso")
    expect(page.locator("#guest-section")).to_be_hidden()


def test_a_kiosk_guest_prefills_the_buku_tamu(hall, login, cards):
    ticket = serve_at_counter_1(hall, "penerimaan-tamu", {
        "purpose": "Audiensi desa wisata", "meet": "Camat",
        "institution": "Pokdarwis Genteng Kulon", "group_size": 4})
    assert hall.api("POST", f"/api/queue/tickets/{ticket['id']}/start",
                    "petugas1").status_code == 200
    page = login("petugas1")
    page.goto(hall.base + "/console/tamu")
    page.get_by_role("button", name=f"Isi dari tiket {ticket['number']}").click()
    expect(page.locator("#g-purpose")).to_have_value("Audiensi desa wisata")
    expect(page.locator("#g-host")).to_have_value("Camat")
    expect(page.locator("#g-group")).to_have_value("4")
    expect(page.locator("#g-name")).to_have_value("Rudi Hartono")
    page.select_option("#g-card", "2")
    page.click("#btn-check-in")
    expect(page.locator("#inside-table tbody tr")).to_have_count(1)
    guest = hall.api("GET", "/api/workflow/guests/inside", "petugas1").json()["guests"][0]
    case = hall.api("GET", f"/api/workflow/cases/{guest['case_id']}", "petugas1").json()
    assert case["ticket_id"] == ticket["id"]


def test_the_counter_sends_the_kiosk_complaint_to_its_case(hall, login):
    text = "Jembatan di Dusun Sumberejo retak, mohon segera diperbaiki."
    ticket = serve_at_counter_1(hall, "pengaduan", {"category": "infrastruktur",
                                                    "description": text})
    page = login("petugas1")
    expect(page.locator("#current-number")).to_have_text(ticket["number"])
    page.click("[data-action=start]")
    expect(page.locator("#current-status")).to_have_text("Sedang dilayani")

    def case():
        cases = hall.api("GET", "/api/workflow/cases?sop=pengaduan", "petugas1").json()["cases"]
        return cases[0] if cases else None

    from tests.support import wait_until

    found = wait_until(case, timeout=10, message="the kiosk complaint's case")
    assert found["subject"] == text and found["ticket_id"] == ticket["id"]
    complaint = hall.api("GET", f"/api/workflow/complaints/{found['id']}", "petugas1").json()
    assert complaint["reply_channel"] == "whatsapp" and complaint["category"] == "infrastruktur"
    assert page.js_errors == []


def test_the_public_complaint_page_works_on_a_phone(browser, hall):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID",
                                  is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(hall.base + "/api/workflow/pengaduan")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # nothing wider than the phone
    page.fill("#text", "Tolong <script>alert(1)</script>")
    page.fill("#email", "warga@contoh.id")
    page.click("#send")
    expect(page.locator("#error")).to_contain_text("tidak boleh berisi kode HTML")
    page.fill("#text", "Lampu jalan di depan pasar Genteng mati sejak seminggu.")
    page.select_option("#category", "infrastruktur")
    page.fill("#name", "Rudi")
    shot(page, "pengaduan-ponsel")
    page.click("#send")
    expect(page.locator("#done")).to_be_visible()
    code = page.locator("#code").inner_text()
    assert len(code) == 8
    shot(page, "pengaduan-ponsel-terkirim")
    page.click("#track")
    expect(page.locator("body")).to_contain_text(code)
    cases = hall.api("GET", "/api/workflow/cases?sop=pengaduan", "petugas1").json()["cases"]
    assert [(c["tracking_code"], c["channel"]) for c in cases] == [(code, "web")]
    context.close()
