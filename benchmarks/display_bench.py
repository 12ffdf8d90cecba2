"""Call-to-screen latency in a real browser: call-next sent → the number is on the TV page.

The real web process (gunicorn gthread, 2 × 32 threads, SQLite, private Redis) serves
``/display/``; headless Chromium (the system one) opens it with sound switched on, as an
officer would after the "Aktifkan suara" prompt. Four counters then call 50 tickets at 2 calls/s
through the API. A MutationObserver installed before the page's own script records, per ticket
number, ``Date.now()`` when the number first appears in the DOM (big "now" box, a counter tile
or the list of earlier calls) and again at the next animation frame (painted). Latency is that
time minus ``time.time()`` just before the call-next request was sent; the browser and this
process read the same system clock.
"""

from __future__ import annotations

import json
import threading
import time
from typing import Any

from benchmarks.common import summary, table
from benchmarks.load import Http, hall, prefill

CALLS = 50
RATE = 2.0  # calls per second, over all counters
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]

# Runs before board.js: note when each ticket number first shows, and when it is painted.
OBSERVER = """
(() => {
  window.__seen = {};
  window.__painted = {};
  const SELECTOR = '#now-number, .tile-number, .call-number';
  function scan() {
    const now = Date.now();
    const fresh = [];
    document.querySelectorAll(SELECTOR).forEach((node) => {
      const text = (node.textContent || '').trim();
      if (/^[A-Z][0-9]{3,}$/.test(text) && !(text in window.__seen)) {
        window.__seen[text] = now;
        fresh.push(text);
      }
    });
    if (fresh.length) {
      requestAnimationFrame(() => {
        const t = Date.now();
        fresh.forEach((n) => { if (!(n in window.__painted)) window.__painted[n] = t; });
      });
    }
  }
  function start() {
    new MutationObserver(scan).observe(document.body,
      { childList: true, subtree: true, characterData: true });
    scan();
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
"""


def run() -> tuple[list[list[object]], str]:
    from playwright.sync_api import sync_playwright

    with hall("sqlite", "display") as h:
        prefill(h.port, h.kiosk, CALLS + 20)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                         headless=True)
            try:
                page = browser.new_page(viewport={"width": 1920, "height": 1080})
                page.add_init_script(OBSERVER)
                # The one origin of `loket run`: the stream process in front of the web process.
                page.goto(f"http://127.0.0.1:{h.stream_port}/display/?token={h.display}",
                          wait_until="load")
                page.wait_for_function(
                    "() => window.loketDisplay && window.loketDisplay.connection === 'live'",
                    timeout=30_000)
                prompt = page.locator("#sound-enable")
                sound = "off"
                if prompt.is_visible():
                    prompt.click()
                    sound = "on (prompt clicked)"
                time.sleep(1.0)
                sent, errors = _call(h.port, h.staff)
                numbers = list(sent)
                try:
                    page.wait_for_function(
                        "(numbers) => numbers.every((n) => n in window.__painted)",
                        arg=numbers, timeout=10_000)
                except Exception:
                    pass  # a number that never showed is reported as missing
                seen: dict[str, float] = page.evaluate("window.__seen")
                painted: dict[str, float] = page.evaluate("window.__painted")
                played = page.evaluate("window.loketDisplay.played.length")
            finally:
                browser.close()
    dom = [seen[n] - t for n, t in sent.items() if n in seen]
    paint = [painted[n] - t for n, t in sent.items() if n in painted]
    missing = sum(1 for n in sent if n not in seen)
    rows: list[list[object]] = []
    for label, values in (("in the DOM", dom), ("next frame (painted)", paint)):
        s = summary(values)
        rows.append([label, len(sent), s["n"], s["p50"], s["p95"], s["p99"], s["max"],
                     f"{errors} failed calls, {missing} never shown"])
    note = f"sound {sound}; {played} announcements requested by the page"
    return rows, note


def _call(port: int, staff: dict[int, str]) -> tuple[dict[str, float], int]:
    """``CALLS`` call-next requests at ``RATE``/s round-robin over the counters (one thread
    each); after each call the ticket is started and finished so the counter is free again."""
    sent: dict[str, float] = {}
    errors = 0
    lock = threading.Lock()
    counters = list(staff.items())
    per_counter = RATE / len(counters)
    start = time.time() + 0.2

    def caller(k: int, counter_id: int, token: str) -> None:
        nonlocal errors
        client = Http(port, token)
        for j in range(k, CALLS, len(counters)):
            delay = start + j / RATE - time.time()
            if delay > 0:
                time.sleep(delay)
            t0 = time.time() * 1000
            try:
                status, body = client.request("POST",
                                              f"/api/queue/counters/{counter_id}/call-next")
            except Exception:
                status, body = 0, b""
            if status != 200:
                with lock:
                    errors += 1
                continue
            ticket: dict[str, Any] = json.loads(body)
            with lock:
                sent[ticket["number"]] = t0
            # Leave the number on the tile for a while, as a visitor walking up would.
            time.sleep(min(1.0, 0.5 / per_counter))
            for op in ("start", "finish"):
                try:
                    client.request("POST", f"/api/queue/tickets/{ticket['id']}/{op}")
                except Exception:
                    pass
        client.close()

    threads = [threading.Thread(target=caller, args=(k, cid, tok), daemon=True)
               for k, (cid, tok) in enumerate(counters)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(CALLS / RATE + 30)
    return sent, errors


HEADERS = ["measured at", "calls", "shown", "p50 ms", "p95 ms", "p99 ms", "max ms", "errors"]


def main() -> str:
    rows, note = run()
    return (f"### Call-next → number on the TV page (headless Chromium, {CALLS} calls at "
            f"{RATE:.0f}/s, SQLite; {note})\n\n" + table(HEADERS, rows))


if __name__ == "__main__":
    print(main())
