"""Issue #19, the guest shown the way, in headless Chromium against the real hall: the admin
records the rooms in Pengaturan kantor; the Buku Tamu page shows the receptionist where to send
the guest."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.console.conftest import shot

pytestmark = pytest.mark.ui


def test_rooms_set_in_the_office_profile_show_the_guest_the_way(hall, login, browser, cards):
    admin = login("admin")
    admin.goto(f"{hall.base}/console/atur-kantor")
    room = admin.locator('#office-form [name="rooms.pemerintahan.room"]')
    expect(room).to_be_visible()
    room.fill("Ruang Kasi Pemerintahan")
    admin.fill('#office-form [name="rooms.pemerintahan.floor"]', "1")
    admin.fill('#office-form [name="rooms.camat.room"]', "Ruang Camat")
    admin.fill('#office-form [name="rooms.camat.floor"]', "2")
    admin.click("#btn-save-office")
    expect(admin.locator("#office-saved")).to_contain_text("Tersimpan")
    office = hall.api("GET", "/api/queue/admin/office", "admin").json()
    assert office["rooms"] == {"pemerintahan": {"room": "Ruang Kasi Pemerintahan", "floor": "1"},
                               "camat": {"room": "Ruang Camat", "floor": "2"}}
    admin.reload()
    expect(admin.locator('#office-form [name="rooms.camat.room"]')).to_have_value("Ruang Camat")
    shot(admin, "console-atur-kantor-ruang")
    assert admin.js_errors == []

    page = login("petugas1")
    page.goto(hall.base + "/console/tamu")
    page.fill("#g-name", "Budi Santoso")
    page.fill("#g-institution", "Desa Kembiritan")
    page.fill("#g-purpose", "Konsultasi batas desa")
    page.fill("#g-host", "Kasi Pemerintahan")
    page.select_option("#g-card", "4")
    page.click("#btn-check-in")
    expect(page.locator("#flash")).to_contain_text(
        "serahkan kartu tamu 4 dan tunjukkan jalan ke Kasi Pemerintahan. "
        "Arahkan ke Ruang Kasi Pemerintahan, lantai 1.")
    row = page.locator("#inside-table tbody tr", has_text="Budi Santoso")
    expect(row.locator(".guest-way")).to_have_text("Ruang Kasi Pemerintahan, lantai 1")
    shot(page, "console-buku-tamu-ruang")

    hall.api("POST", "/api/workflow/guests", "petugas1", json={
        "name": "Siti Aminah", "purpose": "Audiensi", "host": "Seksi Kesra", "visitor_card": 5})
    other = page.locator("#inside-table tbody tr", has_text="Siti Aminah")
    expect(other.locator(".guest-way")).to_have_text("\u2014")  # no room recorded for Kesra
    assert page.js_errors == []
