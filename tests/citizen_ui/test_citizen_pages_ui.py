"""Printed and read pages of the citizen's side: the standar pelayanan poster, the phone's link
to it, and the IKM report page as the Camat sees it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.citizen_ui.conftest import SCREENSHOTS, Hall

A4 = {"width": 794, "height": 1123}  # A4 at 96 dpi


def test_standard_poster_is_one_a4_page_with_the_six_components(hall: Hall, browser) -> None:
    context = browser.new_context(viewport=A4, locale="id-ID")
    page = context.new_page()
    page.goto(hall.base + "/api/queue/services/kk/standar/poster")
    for section in ("persyaratan", "prosedur", "waktu", "biaya", "produk", "pengaduan"):
        assert page.is_visible(f"#{section}")
    assert "3 hari kerja" in page.text_content("#waktu")
    page.emulate_media(media="print")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "standar-poster-kk.png"), full_page=True)
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page>") + \
        pdf.count(b"/Type /Page ") <= 2  # fits on a poster, not a booklet
    context.close()


def test_phone_links_to_the_standard_page(hall: Hall, phone) -> None:
    ticket = hall.issue_ticket("rekomendasi")
    page = phone(hall.base + f"/api/queue/tickets/{ticket['tracking_code']}")
    page.click("#standard-link")
    page.wait_for_selector("#persyaratan")
    assert "Permohonan Rekomendasi" in page.text_content("h1")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def _served_with_survey(hall: Hall, headers: dict[str, str], answers: dict[str, int]) -> None:
    ticket = hall.issue_ticket("ektp")
    cid = hall.counter_id(2)
    called = hall.api("POST", f"/api/queue/counters/{cid}/call-next", headers=headers).json()
    for action in ("start", "finish"):
        hall.api("POST", f"/api/queue/tickets/{called['id']}/{action}", headers=headers)
    resp = hall.api("POST", f"/api/queue/tickets/{ticket['tracking_code']}/survey",
                    json={"answers": answers, "profile": {"gender": "P", "age": 30}})
    assert resp.status_code == 201, resp.text


def test_ikm_report_page_for_the_camat(hall: Hall, browser) -> None:
    headers = hall.staff("petugas2")
    hall.api("POST", f"/api/queue/counters/{hall.counter_id(2)}/open", headers=headers)
    _served_with_survey(hall, headers, {f"U{i}": 4 for i in range(1, 10)})
    _served_with_survey(hall, headers, {f"U{i}": 3 if i != 3 else 2 for i in range(1, 10)})
    today = dt.date.today()
    query = f"from={today - dt.timedelta(days=7)}&to={today + dt.timedelta(days=1)}"
    context: Any = browser.new_context(viewport={"width": 1000, "height": 900}, locale="id-ID",
                                       extra_http_headers=hall.staff("camat"))
    page = context.new_page()
    page.goto(f"{hall.base}/api/queue/skm?{query}")
    # U3: (4 + 2) / 2 = 3.0, the others 3.5 -> (8 x 3.5 + 3.0) / 9 x 25 = 86.11 (B)
    assert page.text_content("#ikm") == "86.11"
    assert page.text_content("#mutu") == "B"
    assert "prioritas perbaikan" in page.text_content("#unsur tr.priority")
    assert page.text_content("#unsur tr.priority td") == "U3"
    page.screenshot(path=str(SCREENSHOTS / "skm-report.png"), full_page=True)
    context.close()
