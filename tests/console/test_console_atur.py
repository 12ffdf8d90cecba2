"""Pengaturan pages (issue #15) in headless Chromium against the real hall: on every page the
admin creates, edits, sees a validation error next to the field, and finds the audit row."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import expect

from tests.console.conftest import shot as save_shot

pytestmark = pytest.mark.ui


def shot(page, name: str) -> None:
    save_shot(page, f"console-atur-{name}")


def goto(page, hall, section: str) -> None:
    page.goto(f"{hall.base}/console/atur-{section}")
    expect(page.locator(".subnav a.active")).to_be_visible()


def audit_row(page, hall, entity: str, action: str) -> None:
    """The change is in the audit log page, filtered by who and what."""
    goto(page, hall, "audit")
    page.fill("#audit-filter [name=actor]", "admin")
    page.select_option("#audit-filter [name=entity]", entity)
    page.click("#btn-filter")
    rows = page.locator(f'#audit-table tr[data-entity="{entity}"][data-action="{action}"]')
    expect(rows.first).to_be_visible()
    expect(rows.first).to_contain_text("admin")


def test_office_profile_is_saved_and_audited(hall, login) -> None:
    page = login("admin")
    goto(page, hall, "kantor")
    expect(page.locator("#office-form [name=name]")).to_have_value("Kecamatan Genteng")
    page.fill("#office-form [name=address]", "Jl. Raya Genteng No. 1, Banyuwangi")
    page.fill("#office-form [name=kabupaten]", "Banyuwangi")
    page.fill("#office-hours", "mon-thu 07:30-12:00, 13:00-15:30\nfri 07:30-11:00")
    page.fill('#office-form [name="officials.camat.name"]', "Drs. Bambang Hermanto")
    page.fill('#office-form [name="officials.camat.nip"]', "12345")
    page.click("#btn-save-office")
    expect(page.locator('[data-error-for="officials.camat.nip"]')).to_have_text(
        "NIP harus 18 angka.")
    assert hall.api("GET", "/api/queue/admin/office", "admin").json()["address"] is None
    page.fill('#office-form [name="officials.camat.nip"]', "197001011990031001")
    page.click("#btn-save-office")
    expect(page.locator("#office-saved")).to_contain_text("Tersimpan")
    office = hall.api("GET", "/api/queue/admin/office", "admin").json()
    assert office["address"] == "Jl. Raya Genteng No. 1, Banyuwangi"
    assert office["opening_hours"] == {"mon-thu": ["07:30-12:00", "13:00-15:30"],
                                       "fri": "07:30-11:00"}
    assert office["officials"]["camat"]["nip"] == "197001011990031001"
    page.reload()
    expect(page.locator("#office-hours")).to_have_value(
        "mon-thu 07:30-12:00, 13:00-15:30\nfri 07:30-11:00")
    shot(page, "kantor")
    audit_row(page, hall, "office", "update")
    expect(page.locator("#audit-table tbody tr").first).to_contain_text("Drs. Bambang Hermanto")
    shot(page, "audit")


def test_service_bring_list_and_settings_are_saved(hall, login) -> None:
    page = login("admin")
    goto(page, hall, "layanan")
    page.locator('#services-table tr[data-code="ektp"] button').click()
    expect(page.locator("#service-code")).to_have_text("ektp")
    page.fill("#service-form [name=prefix]", "12")
    page.click("#btn-save-service")
    expect(page.locator('#service-form [data-error-for="prefix"]')).to_contain_text("1–2 huruf")
    page.fill("#service-form [name=prefix]", "C")
    page.fill("#service-bring", "KTP-el asli\nFotokopi KK\nSurat pengantar desa")
    page.fill("#service-form [name=daily_quota]", "60")
    page.click("#btn-save-service")
    expect(page.locator("#flash")).to_contain_text("tersimpan")
    row = page.locator('#services-table tr[data-code="ektp"]')
    expect(row).to_contain_text("3 butir")
    expect(row).not_to_contain_text("contoh")
    kiosk = {s["code"]: s for s in hall.api("GET", "/api/queue/services").json()["services"]}
    assert kiosk["ektp"]["bring"] == ["KTP-el asli", "Fotokopi KK", "Surat pengantar desa"]
    assert kiosk["ektp"]["bring_is_demo"] is False
    shot(page, "layanan")
    audit_row(page, hall, "service", "update")


def test_counter_is_created_renamed_and_a_taken_name_refused(hall, login) -> None:
    page = login("admin")
    goto(page, hall, "loket")
    # The page wires its form once the services and counters are in: type only after that.
    expect(page.locator('#counter-services input[value="ektp"]')).to_be_visible()
    expect(page.locator("#counters-table tr", has_text="Loket 1")).to_be_visible()
    page.fill("#counter-form [name=name]", "Loket Prioritas")
    page.click("#btn-save-counter")
    expect(page.locator('#counter-form [data-error-for="services"]')).to_contain_text("layanan")
    page.check('#counter-services input[value="ektp"]')
    page.check('#counter-services input[value="kk"]')
    page.click("#btn-save-counter")
    row = page.locator("#counters-table tr", has_text="Loket Prioritas")
    expect(row).to_contain_text("ektp, kk")
    row.locator("button").click()
    page.fill("#counter-form [name=name]", "Loket 1")
    page.click("#btn-save-counter")
    expect(page.locator('#counter-form [data-error-for="name"]')).to_contain_text(
        "sudah dipakai")
    page.fill("#counter-form [name=name]", "Loket Lansia")
    page.click("#btn-save-counter")
    expect(page.locator("#counters-table tr", has_text="Loket Lansia")).to_be_visible()
    names = [c["name"] for c in hall.api("GET", "/api/queue/admin/counters",
                                         "admin").json()["counters"]]
    assert "Loket Lansia" in names and "Loket Prioritas" not in names
    shot(page, "loket")
    audit_row(page, hall, "counter", "create")
    audit_row(page, hall, "counter", "update")


def test_staff_member_is_created_edited_reset_and_deactivated(hall, login) -> None:
    page = login("admin")
    goto(page, hall, "petugas")
    # The page fills its form once the staff list is in: type only after that.
    expect(page.locator('#staff-table tr[data-username="petugas1"]')).to_be_visible()
    form = page.locator("#staff-form")
    form.locator("[name=username]").fill("petugas1")
    form.locator("[name=password]").fill("sandi-awal-123")
    form.locator("[name=full_name]").fill("Rina Wati")
    page.click("#btn-save-staff")
    expect(form.locator('[data-error-for="username"]')).to_contain_text("sudah dipakai")
    form.locator("[name=username]").fill("rina")
    form.locator("[name=counter_id]").select_option(label="Loket 2")
    page.click("#btn-save-staff")
    row = page.locator('#staff-table tr[data-username="rina"]')
    expect(row).to_contain_text("Aktif · ganti sandi")
    expect(row).to_contain_text("Loket 2")
    row.get_by_role("button", name="Ubah").click()
    # The section is picked from the office file's list, not typed.
    assert form.locator("[name=section] option").all_inner_texts()[1:] == [
        "Tata Pemerintahan dan Ketertiban Umum", "Pelayanan Masyarakat",
        "Pemberdayaan Masyarakat dan Kesejahteraan Rakyat"]
    form.locator("[name=section]").select_option(label="Pelayanan Masyarakat")
    page.click("#btn-save-staff")
    expect(row).to_contain_text("Pelayanan Masyarakat")
    row.get_by_role("button", name="Sandi").click()
    page.fill("#reset-form [name=password]", "pendek")
    page.click("#btn-reset")
    expect(page.locator('#reset-form [data-error-for="password"]')).to_contain_text("minimal 8")
    page.fill("#reset-form [name=password]", "sementara-456")
    page.click("#btn-reset")
    expect(page.locator("#flash")).to_contain_text("wajib diganti")
    shot(page, "petugas")
    row.get_by_role("button", name="Nonaktifkan").click()
    expect(row).to_contain_text("Nonaktif")
    login_resp = httpx.post(f"{hall.base}/api/queue/auth/token",
                            json={"username": "rina", "password": "sementara-456"})
    assert login_resp.status_code == 401
    audit_row(page, hall, "staff", "deactivate")
    audit_row(page, hall, "staff", "reset_password")


def test_device_token_is_shown_once_with_a_qr_code_and_can_be_revoked(hall, login) -> None:
    page = login("admin")
    goto(page, hall, "perangkat")
    page.click("#btn-add-device")
    expect(page.locator('#device-form [data-error-for="name"]')).to_contain_text("wajib")
    page.select_option("#device-form [name=kind]", "display")
    page.fill("#device-form [name=name]", "TV Ruang Tunggu 2")
    page.fill("#device-form [name=place]", "Ruang tunggu lantai 2")
    page.click("#btn-add-device")
    expect(page.locator("#new-token")).to_be_visible()
    expect(page.locator("#new-token-qr svg")).to_be_visible()
    token = page.locator("#new-token-text").inner_text().strip()
    me = httpx.get(f"{hall.base}/api/queue/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200 and me.json()["device"]["kind"] == "display"
    row = page.locator("#devices-table tr", has_text="TV Ruang Tunggu 2")
    expect(row).to_contain_text("Aktif")
    expect(row).to_contain_text("Ruang tunggu lantai 2")
    shot(page, "perangkat")
    row.get_by_role("button", name="Cabut").click()
    expect(row).to_contain_text("Dicabut")
    page.reload()
    expect(page.locator("#new-token")).to_be_hidden()  # shown once only
    assert token not in page.content()
    audit_row(page, hall, "device", "revoke")


def test_new_officer_must_choose_a_password_at_first_login(hall, browser) -> None:
    created = hall.api("POST", "/api/queue/admin/staff", "admin", json={
        "username": "dimas", "password": "sandi-awal-789", "full_name": "Dimas Pratama",
        "roles": ["petugas"], "counter_id": hall.counter_id(3)})
    assert created.status_code == 201, created.text
    context = browser.new_context(locale="id-ID", timezone_id="Asia/Jakarta")
    try:
        page = context.new_page()
        page.goto(hall.base + "/console/")
        page.fill("#login [name=username]", "dimas")
        page.fill("#login [name=password]", "sandi-awal-789")
        page.click("#login button[type=submit]")
        expect(page.locator("#new-password")).to_be_visible()
        page.fill("#new-password [name=new_password]", "baru")
        page.click("#new-password button")
        expect(page.locator('#new-password [data-error-for="new_password"]')).to_contain_text(
            "minimal 8")
        page.fill("#new-password [name=new_password]", "sandi-pilihan-dimas")
        page.click("#new-password button")
        page.wait_for_url("**/console/loket")
        assert httpx.post(f"{hall.base}/api/queue/auth/token", json={
            "username": "dimas", "password": "sandi-pilihan-dimas"}).json()[
                "must_change_password"] is False
    finally:
        context.close()
