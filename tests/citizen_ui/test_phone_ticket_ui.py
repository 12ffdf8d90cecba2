"""The visitor's phone: the QR URL shows the live ticket, a call shows "Giliran Anda" within a
second, and the SKM survey is taken once (a second attempt is refused politely)."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlsplit

import httpx
from playwright.sync_api import expect

from tests.citizen_ui.conftest import SCREENSHOTS, Hall


def _shot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"phone-{name}.png"), full_page=True,
                    animations="disabled")  # the call banner pulses


def _open_counter(hall: Hall, counter: int = 2) -> dict[str, str]:
    headers = hall.staff(f"petugas{counter}")
    cid = hall.counter_id(counter)
    assert hall.api("POST", f"/api/queue/counters/{cid}/open", headers=headers).status_code == 200
    return headers


def _call_next(hall: Hall, counter: int = 2,
               headers: dict[str, str] | None = None) -> tuple[dict[str, Any], dict[str, str]]:
    headers = headers or _open_counter(hall, counter)
    called = hall.api("POST", f"/api/queue/counters/{hall.counter_id(counter)}/call-next",
                      headers=headers)
    assert called.status_code == 200, called.text
    return called.json(), headers


def test_qr_url_shows_the_ticket_and_json_stays_for_api_clients(hall: Hall, phone) -> None:
    hall.issue_ticket("ektp")
    ticket = hall.issue_ticket("ektp")
    # The QR holds the office's public URL; the test hall serves the same path on its port.
    path = urlsplit(ticket["status_url"]).path
    assert path == f"/api/queue/tickets/{ticket['tracking_code']}"
    url = hall.base + path
    as_json = httpx.get(url, headers={"Accept": "application/json"})
    assert as_json.headers["content-type"].startswith("application/json")
    assert as_json.json()["number"] == ticket["number"]
    page = phone(url)
    assert page.text_content("#number") == ticket["number"]
    assert page.text_content("#service") == "Permohonan e-KTP"
    # The place in the line comes with the page's first fetch (the HTML shows "–" until then).
    expect(page.locator("#people-ahead")).to_have_text("1")
    expect(page.locator("#position")).to_have_text("2")
    assert "menit" in page.text_content("#wait")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scroll
    assert "Siti" not in page.content()
    assert page.get_attribute("#standard-link", "href").endswith("/services/ektp/standar")
    _shot(page, "waiting")
    assert page.js_errors == []


def test_a_call_appears_on_the_phone_within_a_second(hall: Hall, phone) -> None:
    ticket = hall.issue_ticket("kk")
    page = phone(hall.base + f"/api/queue/tickets/{ticket['tracking_code']}")
    page.wait_for_selector("#waiting:not([hidden])")
    page.click("#sound-on")
    page.wait_for_function("() => document.getElementById('live').textContent.includes('langsung')",
                           timeout=5000)
    headers = _open_counter(hall)  # the officer signed in and opened the counter beforehand
    _call_next(hall, headers=headers)
    called_at = time.monotonic()  # the console has its answer: the call is made
    page.wait_for_selector("#called:not([hidden])", timeout=1000)
    assert time.monotonic() - called_at < 1.0
    assert page.text_content("#called .big") == "Giliran Anda"
    assert page.text_content("#called-counter") == "Loket 2"
    _shot(page, "called")
    assert page.js_errors == []


def test_survey_after_service_once_then_refused_politely(hall: Hall, phone) -> None:
    ticket = hall.issue_ticket("ektp")
    code = ticket["tracking_code"]
    page = phone(hall.base + f"/api/queue/tickets/{code}")
    assert page.is_hidden("#survey")  # not before service
    called, headers = _call_next(hall)
    for action in ("start", "finish"):
        assert hall.api("POST", f"/api/queue/tickets/{called['id']}/{action}",
                        headers=headers).status_code == 200
    page.wait_for_selector("#survey:not([hidden])", timeout=5000)
    assert "Pelayanan Anda selesai" in page.text_content("#ended-text")
    for unsur in range(1, 10):
        if unsur != 4:  # one unsur left blank, as the regulation allows
            page.check(f"input[name=U{unsur}][value='{3 if unsur % 2 else 4}']")
    page.fill("input[name=age]", "41")
    page.select_option("select[name=gender]", "L")
    page.select_option("select[name=education]", "sma")
    page.select_option("select[name=occupation]", "wiraswasta")
    page.fill("textarea[name=comment]", "Petugas ramah.")
    _shot(page, "survey")
    page.click("#survey-submit")
    page.wait_for_selector("#survey-done:not([hidden])")
    assert page.text_content("#survey-done-text") == "Terima kasih atas penilaian Anda."

    again = phone(hall.base + f"/api/queue/tickets/{code}")  # e.g. the QR scanned again
    # What the page shows comes with its first fetch: wait for it rather than read at once.
    expect(again.locator("#survey-done")).to_be_visible()
    expect(again.locator("#survey")).to_be_hidden()
    second = httpx.post(f"{hall.base}/api/queue/tickets/{code}/survey",
                        json={"answers": {"U1": 4}})
    assert second.status_code == 409
    assert second.json()["error"]["message"] == "Terima kasih, survei untuk tiket ini sudah diisi."
    assert page.js_errors == [] and again.js_errors == []


def test_a_second_submit_from_a_stale_page_is_refused_politely(hall: Hall, phone) -> None:
    ticket = hall.issue_ticket("ektp")
    called, headers = _call_next(hall)
    for action in ("start", "finish"):
        hall.api("POST", f"/api/queue/tickets/{called['id']}/{action}", headers=headers)
    page = phone(hall.base + f"/api/queue/tickets/{ticket['tracking_code']}")
    page.wait_for_selector("#survey:not([hidden])")
    answered = httpx.post(f"{hall.base}/api/queue/tickets/{ticket['tracking_code']}/survey",
                          json={"answers": {"U1": 4}})
    assert answered.status_code == 201  # answered meanwhile, e.g. on the kiosk
    page.check("input[name=U1][value='2']")
    page.click("#survey-submit")
    page.wait_for_selector("#survey-done:not([hidden])")
    assert "sudah diisi" in page.text_content("#survey-done-text")


def test_unknown_code_gets_a_page_in_indonesian(hall: Hall, phone) -> None:
    page = phone(hall.base + "/api/queue/tickets/ZZZZZZ")
    assert "Kode antrean tidak ditemukan" in page.text_content("h2")
