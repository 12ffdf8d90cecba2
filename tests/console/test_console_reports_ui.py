"""The dashboard's reports in a real Chromium: a chosen period, the on-time headline, the
server's charts, the exports and the staffing forecast, all from the server's aggregates."""

from __future__ import annotations

import csv
import io

import pytest
from playwright.sync_api import expect

from tests.console.conftest import SCREENSHOTS
from tests.reports import history, workflow_history

pytestmark = pytest.mark.ui


def test_dashboard_shows_a_period_the_on_time_headline_and_the_forecast(hall, login, db):
    history.write(db, history.FIXED)
    workflow_history.write(db)
    page = login("camat", width=1440, height=1000)
    page.select_option("#period", "custom")
    page.fill("#from", "2026-11-02")
    page.fill("#to", "2026-11-03")
    page.click("#btn-period")
    # The page's first load (today) runs before the chosen period's (L.serial): each is three
    # reports and two charts, which on a busy 2-core CI machine can take longer than 5 s.
    expect(page.locator("#period-label")).to_have_text("Periode: 2026-11-02 s.d. 2026-11-03",
                                                       timeout=30_000)
    total = page.locator("#queue-table tfoot tr")
    # The same figures the hand count gives (tests/reports/test_queue_reports.py).
    expect(total.locator(".col-issued")).to_have_text("6")
    expect(total.locator(".col-served")).to_have_text("4")
    expect(total.locator(".col-wait-median")).to_have_text("10 mnt")
    expect(total.locator(".col-wait-p90")).to_have_text("30 mnt")
    expect(total.locator(".col-service-median")).to_have_text("12,5 mnt")
    ektp = page.locator('#queue-table tbody tr[data-key="ektp"]')
    expect(ektp.locator(".col-wait-median")).to_have_text("15 mnt")
    # The headline: on time per SOP step.
    step1 = page.locator('#steps-table tr[data-sop="ektp"][data-step="1"]')
    expect(step1.locator(".col-on-time")).to_have_text("2")
    expect(step1.locator(".col-share")).to_contain_text("100 %")
    step2 = page.locator('#steps-table tr[data-sop="ektp"][data-step="2"]')
    expect(step2.locator(".col-late")).to_have_text("2")
    expect(step2.locator(".col-share")).to_contain_text("0 %")
    expect(page.locator('#sop-shares [data-sop="ektp"] b')).to_have_text("66,7 %")
    expect(page.locator('#complaints-table tr[data-channel="telepon"]')).to_contain_text("1")
    # Charts drawn by the server: one bar per hour from 08 to 10.
    expect(page.locator("#chart-hour svg rect.bar")).to_have_count(3)
    expect(page.locator("#chart-day svg rect.bar")).to_have_count(2)
    # Live figures come from the server's counts: the e-KTP Y and the KK of 4 Nov are open.
    expect(page.locator("#kpi-open")).to_have_text("2")
    # The forecast table: weekday x hour from the last eight weeks of history.
    monday_eight = page.locator('#forecast-table tr[data-weekday="0"] td[data-hour="8"]')
    expect(monday_eight).to_contain_text("1")
    assert not page.js_errors, page.js_errors
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "console-dasbor-periode.png"), full_page=True)
    forecast = SCREENSHOTS / "console-dasbor-perkiraan.png"
    page.locator(".forecast-card").screenshot(path=str(forecast))

    with page.expect_download() as download:
        page.click('[data-export="tickets-csv"]')
    path = download.value.path()
    with open(path, encoding="utf-8-sig") as handle:
        rows = list(csv.reader(io.StringIO(handle.read())))
    assert len(rows) == 7 and rows[1][0] == "A001"


def test_forecast_inputs_are_checked_and_named(hall, login):
    page = login("camat")
    page.fill("#fc-share", "100")
    page.click("#btn-forecast")
    expect(page.locator('[data-error-for="target_share"]')).not_to_be_empty()
    page.fill("#fc-share", "80")
    page.fill("#fc-planned", "3")
    page.click("#btn-forecast")
    expect(page.locator('[data-error-for="target_share"]')).to_be_empty()
    expect(page.locator("#forecast-note")).to_contain_text("3 loket dibuka")
    # One hour entered by hand (no history): the textbook case, 30 an hour at 6 minutes.
    page.fill("#fc-wait", "5")
    page.fill("#fc-arrivals", "30")
    page.fill("#fc-minutes", "6")
    page.click("#btn-forecast-one")
    expect(page.locator("#fc-one-result")).to_have_text(
        "Butuh 5 loket: 95,5 % pengunjung menunggu paling lama 5 menit; 23,6 % harus menunggu.")
    page.fill("#fc-minutes", "0")
    page.click("#btn-forecast-one")
    expect(page.locator('[data-error-for="service_minutes"]')).not_to_be_empty()
