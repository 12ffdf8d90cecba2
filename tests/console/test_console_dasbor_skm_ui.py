"""The Camat's dashboard in a real Chromium (issue #21): complaints by category and the SKM/IKM
of the period, drawn from the server's figures (GET /api/workflow/reports/compliance and
GET /api/queue/skm)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.console.conftest import SCREENSHOTS

pytestmark = pytest.mark.ui

TEXT = "Antrean perekaman e-KTP terlalu lama, mohon ditambah petugas pada pagi hari."


def _serve_and_survey(hall, score: int) -> None:
    ticket = hall.issue_ticket("ektp")
    staff = hall.staff("petugas2")
    counter = hall.counter_id(2)
    hall.api("POST", f"/api/queue/counters/{counter}/open", headers=staff)
    called = hall.api("POST", f"/api/queue/counters/{counter}/call-next", headers=staff).json()
    assert called["number"] == ticket["number"]
    for action in ("start", "finish"):
        done = hall.api("POST", f"/api/queue/tickets/{called['id']}/{action}", headers=staff)
        assert done.status_code == 200, done.text
    answers = {f"U{i}": score for i in range(1, 10)}
    resp = hall.api("POST", f"/api/queue/tickets/{ticket['tracking_code']}/survey",
                    json={"answers": answers})
    assert resp.status_code == 201, resp.text


def _complaints(db, categories: list[str | None]) -> None:
    from workflow_service.domain.complaints import parse_complaint
    from workflow_service.usecases import complaints

    with db.session() as session:
        for category in categories:
            item = parse_complaint({"text": TEXT, "category": category},
                                   complaints.categories(), contact_required=False)
            complaints.submit(session, item, channel="telepon", actor="petugas1",
                              actor_role="petugas")


def test_dashboard_shows_complaints_by_category_and_the_ikm(hall, login, db) -> None:
    _serve_and_survey(hall, 4)
    _serve_and_survey(hall, 3)  # every unsur (4 + 3) / 2 = 3.5: 87.50, mutu B
    _complaints(db, ["adminduk", "adminduk", "infrastruktur", None])
    today = dt.datetime.now(ZoneInfo("Asia/Jakarta")).date().isoformat()
    page = login("camat", width=1440, height=1000)
    page.select_option("#period", "custom")
    page.fill("#from", today)
    page.fill("#to", today)
    page.click("#btn-period")
    expect(page.locator("#period-label")).to_have_text(f"Periode: {today}")
    rows = page.locator("#complaint-categories-table")
    expect(rows.locator('tr[data-category="adminduk"] .col-count')).to_have_text("2")
    expect(rows.locator('tr[data-category="adminduk"] td').first).to_have_text(
        "Administrasi kependudukan (KTP, KK)")
    expect(rows.locator('tr[data-category="infrastruktur"] .col-count')).to_have_text("1")
    expect(rows.locator('tr[data-category="layanan_kecamatan"] .col-count')).to_have_text("0")
    expect(rows.locator('tr[data-category=""]')).to_contain_text("Tanpa kategori")
    expect(page.locator("#skm-ikm")).to_have_text("87,50")
    expect(page.locator("#skm-mutu")).to_have_text("B")
    expect(page.locator("#skm-respondents")).to_have_text("2")
    expect(page.locator("#skm-table tbody tr")).to_have_count(9)
    expect(page.locator("#skm-note")).to_contain_text("dari 2 pengunjung terlayani")
    assert not page.js_errors, page.js_errors
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator(".skm-card").screenshot(path=str(SCREENSHOTS / "console-dasbor-skm.png"))


def test_a_kasi_is_refused_the_figures_the_cards_read(hall) -> None:
    """The card's sources are for the leadership (roles.yaml's report readers) and the admin."""
    today = dt.datetime.now(ZoneInfo("Asia/Jakarta")).date().isoformat()
    resp = hall.api("GET", f"/api/queue/skm?from={today}&to={today}", username="kasi_pm")
    assert resp.status_code == 403
    resp = hall.api("GET", f"/api/workflow/reports/compliance?from={today}&to={today}",
                    username="kasi_pm")
    assert resp.status_code == 403
