"""The TV page in a real (headless, system) Chromium against the stand-in queue service."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.ui

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture
def open_page(browser, live_server):
    contexts = []

    def _open(path="/display/", *, width=1920, height=1080, sound_on=False):
        context = browser.new_context(
            viewport={"width": width, "height": height}, locale="id-ID", timezone_id="Asia/Jakarta"
        )
        if sound_on:
            context.add_init_script("localStorage.setItem('loket.display.sound', 'on')")
        contexts.append(context)
        page = context.new_page()
        page.goto(live_server.url + path)
        page.wait_for_function(
            "window.loketDisplay && window.loketDisplay.connection === 'live'"
            " || (window.loketDisplay && window.loketDisplay.board)"
        )
        return page

    yield _open
    for context in contexts:
        context.close()


def wait_live(page):
    page.wait_for_function("window.loketDisplay.connection === 'live'", timeout=5000)


def tile(page, counter_id):
    return page.locator(f'.tile[data-counter-id="{counter_id}"] .tile-number')


def test_page_shows_office_counters_waiting_and_clock(open_page, live_server):
    page = open_page()
    expect(page.locator("#office-name")).to_have_text("Kecamatan Genteng")
    expect(page.locator(".tile")).to_have_count(6)
    expect(page.locator('.tile[data-counter-id="3"] .tile-head')).to_have_text("Loket 3")
    expect(page.locator('#waiting li[data-service="ektp"] .waiting-count')).to_have_text("7")
    expect(page.locator("#ticker-track")).to_contain_text("tidak dipungut biaya")
    # Indonesian date in the office's zone, e.g. "Sabtu, 28 November 2026".
    expect(page.locator("#clock-date")).to_have_text(
        re.compile(r"^(Senin|Selasa|Rabu|Kamis|Jumat|Sabtu|Minggu), \d{1,2} \w+ \d{4}$")
    )
    expect(page.locator("#clock-zone")).to_have_text("WIB")
    assert page.evaluate("window.loketDisplay.apiBase") == live_server.url + "/api/queue"


def test_called_ticket_appears_in_its_tile_within_a_second(open_page, live_server):
    page = open_page()
    wait_live(page)
    event_id = live_server.queue.call("C007", 2)
    expect(tile(page, 2)).to_have_text("C007", timeout=1000)
    expect(page.locator("#now-number")).to_have_text("C007", timeout=1000)
    expect(page.locator("#now-counter")).to_have_text("2")
    expect(page.locator('.tile[data-counter-id="2"]')).to_have_class(re.compile(r"\bis-latest\b"))
    state = page.evaluate("window.loketDisplay")
    assert state["lastEventId"] == event_id
    assert state["calls"][0]["number"] == "C007"
    # Sound not enabled yet: the call waits in the audio queue, nothing has played.
    assert state["audioQueue"][-1]["number"] == "C007"
    assert state["played"] == []

    live_server.queue.call("D003", 1)
    expect(tile(page, 1)).to_have_text("D003", timeout=1000)
    expect(page.locator("#last-calls li").first.locator(".call-number")).to_have_text("C007")
    # Waiting counts follow the board (re-fetched after each call).
    expect(page.locator('#waiting li[data-service="kk"] .waiting-count')).to_have_text("3")


def test_page_catches_up_after_the_stream_restarts(open_page, live_server):
    queue = live_server.queue
    page = open_page(sound_on=True)
    wait_live(page)
    before = queue.call("C007", 2)
    expect(tile(page, 2)).to_have_text("C007", timeout=1000)

    queue.stop_stream()
    queue.wait_until(lambda: queue.rejected_streams >= 1)  # the page tried while it was down
    missed = [queue.call("D004", 1), queue.call("C008", 6)]
    seen = len(queue.stream_requests)
    queue.start_stream()

    expect(tile(page, 1)).to_have_text("D004", timeout=8000)
    expect(tile(page, 6)).to_have_text("C008", timeout=8000)
    wait_live(page)
    resumed = [r for r in queue.stream_requests[seen:] if r.status == 200]
    assert resumed, "the page never reconnected"
    assert resumed[0].resumed_from == before  # Last-Event-ID / ?after= honoured
    # The calls came from the replayed stream (only events move lastEventId) and are spoken.
    assert page.evaluate("window.loketDisplay.lastEventId") == missed[-1]
    # ...and queued for the voice (played one at a time, so it may still be waiting its turn).
    assert page.evaluate(
        "window.loketDisplay.played.some(u => u.includes('number=C008&counter=6'))"
        " || window.loketDisplay.audioQueue.some(i => i.number === 'C008' && i.counter === 6)"
    )


def test_page_falls_back_to_the_board_when_events_are_unavailable(open_page, live_server):
    queue = live_server.queue
    queue.stop_stream()  # /events answers 503 from the start
    page = open_page()
    queue.wait_until(lambda: queue.rejected_streams >= 1)
    queue.call("B012", 4)
    expect(tile(page, 4)).to_have_text("B012", timeout=12000)
    expect(page.locator("#conn-text")).to_have_text("Mode cadangan")
    assert queue.board_requests >= 2
    # Back to live once the stream returns.
    queue.start_stream()
    page.wait_for_function("window.loketDisplay.connection === 'live'", timeout=10000)


def test_sound_prompt_shows_once_and_the_click_enables_voice(open_page, live_server):
    page = open_page()
    wait_live(page)
    button = page.locator("#sound-enable")
    expect(button).to_be_visible()
    expect(button).to_contain_text("Aktifkan suara")
    live_server.queue.call("A010", 3)
    expect(tile(page, 3)).to_have_text("A010", timeout=1000)  # shown even while muted
    button.click()
    expect(button).to_be_hidden()
    assert page.evaluate("localStorage.getItem('loket.display.sound')") == "on"
    page.wait_for_function(
        "window.loketDisplay.played.some(u => u.endsWith('announce.wav?number=A010&counter=3'))",
        timeout=3000,
    )
    live_server.queue.call("A010", 3, recall=True)
    page.wait_for_function(
        "window.loketDisplay.played.some(u => u.includes('number=A010&counter=3&recall=1'))",
        timeout=10000,
    )
    page.reload()
    wait_live(page)
    expect(page.locator("#sound-enable")).to_be_hidden()


def test_service_filter_limits_the_page(open_page, live_server):
    page = open_page("/display/?services=ektp,kk")
    wait_live(page)
    expect(page.locator(".tile")).to_have_count(3)  # loket 1, 2 and 6 serve e-KTP / KK
    expect(page.locator("#waiting li")).to_have_count(2)
    live_server.queue.call("B001", 4)  # complaints are not on this TV
    live_server.queue.call("C009", 1)
    expect(tile(page, 1)).to_have_text("C009", timeout=1000)
    assert [c["number"] for c in page.evaluate("window.loketDisplay.calls")] == ["C009"]


@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (1366, 768)])
def test_screenshots(open_page, live_server, width, height):
    queue = live_server.queue
    for number, counter in (("A004", 3), ("D011", 1), ("B002", 4), ("C012", 6), ("C013", 2)):
        queue.call(number, counter)
    queue.counters[4]["status"] = "closed"
    page = open_page(width=width, height=height, sound_on=True)
    wait_live(page)
    queue.call("C014", 1)
    expect(tile(page, 1)).to_have_text("C014", timeout=1000)
    page.wait_for_timeout(4500)  # let the call animation settle
    # Nothing may overflow the TV: the page fits the screen exactly.
    assert page.evaluate("document.documentElement.scrollHeight") <= height
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"display-{width}x{height}.png"))
