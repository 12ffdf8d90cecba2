"""The access log of personal data on the console's audit page (issue #17), in headless
Chromium against the real hall: the serving officer's read shows up, filters work, and no
other role gets the log."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.console.conftest import SCREENSHOTS, VALID_NIK

pytestmark = pytest.mark.ui


def test_the_admin_reviews_who_read_personal_data(hall, login) -> None:
    ticket = hall.issue_ticket("ektp")
    counter = hall.counter_id(2)
    assert hall.api("POST", f"/api/queue/counters/{counter}/open", "petugas2").status_code == 200
    called = hall.api("POST", f"/api/queue/counters/{counter}/call-next", "petugas2")
    assert called.json()["id"] == ticket["id"]
    read = hall.api("GET", f"/api/queue/tickets/id/{ticket['id']}", "petugas2")
    assert read.json()["visitor"]["nik"] == VALID_NIK
    assert hall.api("GET", "/api/queue/admin/access-log", "camat").status_code == 403

    page = login("admin")
    page.goto(f"{hall.base}/console/atur-audit")
    row = page.locator(f'#access-table tr[data-staff="petugas2"]'
                       f'[data-record="ticket-{ticket["id"]}"]')
    expect(row).to_be_visible()
    expect(row).to_contain_text(f"melayani tiket {ticket['number']} di loket 2")
    expect(row).to_contain_text("NIK, telepon")
    expect(page.locator("#access-page")).to_contain_text("Halaman 1 dari 1 (1 akses)")
    assert VALID_NIK not in page.content()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "console-atur-audit-akses.png"), full_page=True)

    page.fill("#access-filter [name=staff]", "petugas3")
    page.click("#btn-access")
    expect(page.locator("#access-empty")).to_be_visible()
    page.fill("#access-filter [name=staff]", "")
    page.fill("#access-filter [name=from]", "2026-02-01")
    page.fill("#access-filter [name=to]", "2026-01-01")
    page.click("#btn-access")
    expect(page.locator('#access-filter ~ .field-error[data-error-for="to"]')).to_contain_text(
        "tidak boleh sebelum")
    assert page.js_errors == []
