"""The TV page in a real (headless, system) Chromium against the real hall.

The whole hall (`loket.wsgi.create_hall_app`) runs in a thread with the seeded demo data: four
counters (Loket 1: tamu + pengaduan; Loket 2: e-KTP + KK; Loket 3: e-KTP + KK + rekomendasi;
Loket 4: all five). Tickets are issued with the kiosk's device token and called by the
officers through the real queue API.
"""

import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.ui

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
RUNNING_TEXT = (
    "Pelayanan e-KTP dan KK buka Senin–Kamis pukul 07.30–15.30 WIB, Jumat 07.30–14.30 WIB.",
    "Siapkan fotokopi KK dan dokumen pendukung sebelum dipanggil.",
    "Layanan ini gratis, tidak dipungut biaya.",
)


@pytest.fixture
def open_page(browser, live_server):
    contexts = []

    def _open(path="/display/", *, width=1920, height=1080, sound_on=False, events_503=False):
        context = browser.new_context(
            viewport={"width": width, "height": height}, locale="id-ID", timezone_id="Asia/Jakarta"
        )
        if sound_on:
            context.add_init_script("localStorage.setItem('loket.display.sound', 'on')")
        if events_503:  # the event stream is broken (e.g. a proxy in between answers 503)
            context.route(
                re.compile(r".*/api/queue/events.*"),
                lambda route: route.fulfill(
                    status=503, content_type="application/json",
                    body='{"error": {"code": "unavailable", "message": "Layanan sibuk"}}'),
            )
        contexts.append(context)
        page = context.new_page()
        # The TV is set up once with its display token in the page address.
        token = live_server.queue.demo["devices"]["display"]
        page.goto(live_server.url + path + ("&" if "?" in path else "?") + f"token={token}")
        page.wait_for_function("() => window.loketDisplay && window.loketDisplay.board")
        return page

    yield _open
    for context in contexts:
        context.close()


def wait_live(page, timeout=5000):
    page.wait_for_function("() => window.loketDisplay.connection === 'live'", timeout=timeout)


def call_event_id(board, number):
    """The id of the newest call of ``number`` on the board: what the TV asks the voice for."""
    return next(c["event_id"] for c in board["last_calls"] if c["number"] == number)


def tile(page, counter_id):
    return page.locator(f'.tile[data-counter-id="{counter_id}"] .tile-number')


def seconds_until_tile_shows(page, counter_id, number, since, timeout_ms=3000):
    """Seconds from ``since`` (time.monotonic()) until the counter's tile shows ``number``."""
    page.wait_for_function(
        "([id, number]) => { const n = document.querySelector("
        "`.tile[data-counter-id=\"${id}\"] .tile-number`); return n && n.textContent === number; }",
        arg=[counter_id, number], polling="raf", timeout=timeout_ms,
    )
    return time.monotonic() - since


def numbers_sticking_out_of_their_tile(page):
    """Ticket numbers whose glyphs reach past the edges of their counter tile."""
    return page.evaluate("""() => [...document.querySelectorAll('.tile-number')].filter(n => {
        const range = document.createRange();
        range.selectNodeContents(n);
        const text = range.getBoundingClientRect();
        const tile = n.closest('.tile').getBoundingClientRect();
        return text.left < tile.left || text.right > tile.right;
    }).map(n => n.textContent)""")


def test_page_shows_office_counters_waiting_and_clock(open_page, live_server):
    queue = live_server.queue
    for service in ("ektp", "ektp", "ektp", "kk", "pengaduan"):
        queue.issue(service)
    queue.announce(*RUNNING_TEXT)
    page = open_page()
    expect(page.locator("#office-name")).to_have_text("Kecamatan Genteng")
    # The kabupaten beside the office name (the office file's, until the admin sets one).
    expect(page.locator("#office-region")).to_have_text("Kabupaten Banyuwangi")
    board = queue.board()
    expect(page.locator(".tile")).to_have_count(len(board["counters"]))
    assert len(board["counters"]) == 4
    expect(page.locator(f'.tile[data-counter-id="{queue.counter_id(3)}"] .tile-head')
           ).to_have_text("Loket 3")
    expect(page.locator('#waiting li[data-service="ektp"] .waiting-count')).to_have_text("3")
    expect(page.locator('#waiting li[data-service="kk"] .waiting-count')).to_have_text("1")
    expect(page.locator('#waiting li[data-service="pengaduan"] .waiting-count')).to_have_text("1")
    expect(page.locator("#waiting li")).to_have_count(5)
    expect(page.locator("#ticker-track")).to_contain_text("tidak dipungut biaya")
    # Indonesian date in the office's zone, e.g. "Minggu, 29 November 2026".
    expect(page.locator("#clock-date")).to_have_text(
        re.compile(r"^(Senin|Selasa|Rabu|Kamis|Jumat|Sabtu|Minggu), \d{1,2} \w+ \d{4}$")
    )
    expect(page.locator("#clock-zone")).to_have_text("WIB")
    assert page.evaluate("window.loketDisplay.apiBase") == live_server.url + "/api/queue"
    # The running text follows the admin's change live.
    wait_live(page)
    queue.announce("Hari ini layanan KK tutup pukul 12.00 WIB.")
    expect(page.locator("#ticker-track")).to_have_text(
        "Hari ini layanan KK tutup pukul 12.00 WIB.", timeout=3000)


def test_called_ticket_appears_in_its_tile_within_a_second(open_page, live_server):
    queue = live_server.queue
    issued = queue.issue("ektp")
    queue.open_counter(2)
    page = open_page()
    wait_live(page)

    called = queue.call_next(2)
    returned = time.monotonic()
    assert called["number"] == issued["number"] == "C001"
    elapsed = seconds_until_tile_shows(page, queue.counter_id(2), "C001", returned)
    print(f"\ndisplay: call-next → tile shows C001 in {elapsed:.3f} s")
    assert elapsed <= 1.0
    expect(page.locator("#now-number")).to_have_text("C001")
    expect(page.locator("#now-counter")).to_have_text("2")
    expect(page.locator(f'.tile[data-counter-id="{queue.counter_id(2)}"]')
           ).to_have_class(re.compile(r"\bis-latest\b"))
    expect(page.locator('#waiting li[data-service="ektp"] .waiting-count')).to_have_text("0")
    state = page.evaluate("window.loketDisplay")
    assert state["lastEventId"] == queue.board()["last_event_id"]
    assert state["calls"][0]["number"] == "C001"
    # Sound not enabled yet: the call waits in the audio queue, nothing has played.
    assert state["audioQueue"][-1]["number"] == "C001"
    assert state["played"] == []

    # A recall shows the number again, marked as a repeated call.
    page.evaluate("document.getElementById('now-service').textContent = ''")
    queue.ticket_action(called["id"], "recall", 2)
    returned = time.monotonic()
    expect(page.locator("#now-service")).to_have_text(
        re.compile(r"panggilan ulang$"), timeout=1000)
    print(f"display: recall → shown again in {time.monotonic() - returned:.3f} s")
    recalled = page.evaluate("window.loketDisplay.calls[0]")
    assert (recalled["number"], recalled["recall"]) == ("C001", True)
    expect(tile(page, queue.counter_id(2))).to_have_text("C001")

    # A second counter's call goes on top; the first moves to the list of earlier calls.
    queue.issue("kk")
    queue.open_counter(3)
    queue.call_next(3)
    returned = time.monotonic()
    assert seconds_until_tile_shows(page, queue.counter_id(3), "D001", returned) <= 1.0
    expect(page.locator("#now-number")).to_have_text("D001")
    expect(page.locator("#last-calls li").first.locator(".call-number")).to_have_text("C001")


def test_page_recovers_after_a_server_restart_and_shows_the_calls_made_meanwhile(
        open_page, live_server):
    queue, direct, server = live_server.queue, live_server.direct, live_server.server
    for service in ("ektp", "kk", "rekomendasi", "pengaduan"):
        queue.issue(service)
    for counter in (1, 2, 3):
        queue.open_counter(counter)
    page = open_page(sound_on=True)
    wait_live(page)
    page.evaluate("window.__sameDocument = true")  # gone if the page were reloaded
    first = queue.call_next(2)
    expect(tile(page, queue.counter_id(2))).to_have_text(first["number"], timeout=1000)

    server.stop()  # the hall goes down; the page's stream is cut
    page.wait_for_function("() => window.loketDisplay.connection !== 'live'", timeout=5000)
    # Officers keep calling (another instance on the same database) while the TV is cut off.
    missed = [direct.call_next(3), direct.call_next(1)]
    assert [t["number"] for t in missed] == ["D001", "B001"]
    page.wait_for_timeout(1500)  # the page retries against a closed port meanwhile
    assert page.evaluate("window.loketDisplay.lastEventId") < direct.board()["last_event_id"]

    server.start()  # back on the same port
    expect(tile(page, queue.counter_id(3))).to_have_text("D001", timeout=10000)
    expect(tile(page, queue.counter_id(1))).to_have_text("B001", timeout=2000)
    wait_live(page)
    assert page.evaluate("window.__sameDocument") is True  # no reload
    numbers = [c["number"] for c in page.evaluate("window.loketDisplay.calls")]
    assert numbers[:3] == ["B001", "D001", first["number"]]
    assert page.evaluate("window.loketDisplay.lastEventId") == queue.board()["last_event_id"]
    # The missed calls came through the resumed stream, so they are spoken too (one at a time).
    # The TV asks for the call by its own id (the call event's id), never by number and counter.
    missed_call = call_event_id(queue.board(), "B001")
    page.wait_for_function(
        "() => "
        f"window.loketDisplay.played.some(u => u.endsWith('announce.wav?call={missed_call}'))"
        f" || window.loketDisplay.audioQueue.some(i => i.event_id === {missed_call})",
        timeout=5000,
    )
    # ...and the live stream works again.
    queue.issue("ektp")
    queue.ticket_action(first["id"], "start", 2)
    queue.ticket_action(first["id"], "finish", 2)
    queue.call_next(2)
    expect(tile(page, queue.counter_id(2))).to_have_text("C002", timeout=1000)


def test_page_falls_back_to_the_board_when_events_are_unavailable(open_page, live_server):
    queue = live_server.queue
    queue.issue("pengaduan")
    queue.open_counter(4)
    page = open_page(events_503=True)  # /events answers 503, /board works
    page.wait_for_function("() => window.loketDisplay.connection !== 'connecting'")
    queue.call_next(4)
    expect(tile(page, queue.counter_id(4))).to_have_text("B001", timeout=12000)
    expect(page.locator("#conn-text")).to_have_text("Mode cadangan")
    assert page.evaluate("window.loketDisplay.boardFetches") >= 2
    # Back to live once the stream works again.
    page.context.unroute(re.compile(r".*/api/queue/events.*"))
    wait_live(page, timeout=10000)


def test_sound_prompt_shows_once_and_the_click_enables_voice(open_page, live_server):
    queue = live_server.queue
    queue.issue("penerimaan-tamu")
    queue.open_counter(1)
    page = open_page()
    wait_live(page)
    button = page.locator("#sound-enable")
    expect(button).to_be_visible()
    expect(button).to_contain_text("Aktifkan suara")
    called = queue.call_next(1)
    expect(tile(page, queue.counter_id(1))).to_have_text("A001", timeout=1000)  # while muted
    button.click()
    expect(button).to_be_hidden()
    assert page.evaluate("localStorage.getItem('loket.display.sound')") == "on"
    first_call = call_event_id(queue.board(), "A001")
    page.wait_for_function(
        "() => "
        f"window.loketDisplay.played.some(u => u.endsWith('announce.wav?call={first_call}'))",
        timeout=3000,
    )
    queue.ticket_action(called["id"], "recall", 1)
    recall = queue.board()["last_calls"][0]
    assert recall["recall"] and recall["event_id"] > first_call
    recall_url = f"announce.wav?call={recall['event_id']}"
    page.wait_for_function(
        f"() => window.loketDisplay.played.some(u => u.endsWith('{recall_url}'))",
        timeout=10000,
    )
    page.reload()
    wait_live(page)
    expect(page.locator("#sound-enable")).to_be_hidden()


def test_service_filter_limits_the_page(open_page, live_server):
    queue = live_server.queue
    queue.issue("pengaduan")
    queue.issue("ektp")
    queue.open_counter(1)
    queue.open_counter(2)
    page = open_page("/display/?services=ektp,kk")
    wait_live(page)
    expect(page.locator(".tile")).to_have_count(3)  # loket 2, 3 and 4 serve e-KTP / KK
    expect(page.locator("#waiting li")).to_have_count(2)
    queue.call_next(1)  # a complaint: not on this TV
    queue.call_next(2)
    expect(tile(page, queue.counter_id(2))).to_have_text("C001", timeout=1000)
    assert [c["number"] for c in page.evaluate("window.loketDisplay.calls")] == ["C001"]
    expect(page.locator(".tile")).to_have_count(3)


@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (1366, 768)])
def test_screenshots(open_page, live_server, width, height):
    queue = live_server.queue
    queue.announce(*RUNNING_TEXT)
    for service in ("penerimaan-tamu", "pengaduan", "ektp", "ektp", "ektp", "kk", "kk",
                    "rekomendasi", "ektp", "kk", "ektp"):
        queue.issue(service)
    for counter in (1, 2, 3):
        queue.open_counter(counter)
    first = queue.call_next(1)
    queue.ticket_action(first["id"], "start", 1)
    queue.call_next(2)
    page = open_page(width=width, height=height, sound_on=True)
    wait_live(page)
    last = queue.call_next(3)
    expect(tile(page, queue.counter_id(3))).to_have_text(last["number"], timeout=1000)
    page.wait_for_timeout(4500)  # let the call animation settle
    # Nothing may overflow the TV: the page fits the screen exactly.
    assert page.evaluate("document.documentElement.scrollHeight") <= height
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert numbers_sticking_out_of_their_tile(page) == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"display-{width}x{height}.png"))
