"""Every page under the Content-Security-Policy, in a real headless Chromium (issue #17).

The policy allows no inline script; a page that still had one (or an inline event handler, or
``eval``) would break and report a violation. Each page is opened as its user opens it (the TV
with its token, each console desk after logging in, the phone with its ticket's QR address, a
citizen filling in the complaint form and following its tracking link), is shown to work, and
must have reported no violation: neither a ``securitypolicyviolation`` event nor a console
message. A control proves the watch sees a violation when there is one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.security_ui.conftest import Hall

pytestmark = pytest.mark.ui

# Installed before any page script: records every violation the browser reports.
WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' +
                    e.lineNumber);
});
"""


@pytest.fixture
def tab(browser: Any) -> Iterator[Callable[..., Any]]:
    """A fresh tab that records CSP violations (events and console messages) and page errors."""
    contexts: list[Any] = []

    def _open(width: int = 1366, height: int = 900, phone: bool = False) -> Any:
        options: dict[str, Any] = {"viewport": {"width": width, "height": height},
                                   "locale": "id-ID", "timezone_id": "Asia/Jakarta"}
        if phone:
            options.update(viewport={"width": 360, "height": 740}, is_mobile=True,
                           has_touch=True)
        context = browser.new_context(**options)
        context.add_init_script(WATCH)
        contexts.append(context)
        page = context.new_page()
        page.console_csp = []
        page.js_errors = []
        page.on("console", lambda m: page.console_csp.append(m.text)
                if "Content Security Policy" in m.text or "Content-Security-Policy" in m.text
                else None)
        page.on("pageerror", lambda exc: page.js_errors.append(str(exc)))
        return page

    yield _open
    for context in contexts:
        context.close()


def visit(page: Any, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.ok, url
    csp = response.headers.get("content-security-policy", "")
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp, url


def assert_no_violation(page: Any) -> None:
    page.wait_for_timeout(300)  # reports are delivered asynchronously
    seen = page.evaluate("window.__csp || []")
    assert seen == [], f"{page.url}: {seen}"
    assert page.console_csp == [], f"{page.url}: {page.console_csp}"
    assert page.js_errors == [], f"{page.url}: {page.js_errors}"


def login(page: Any, hall: Hall, username: str) -> None:
    visit(page, hall.base + "/console/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", hall.password(username))
    page.click("#login button[type=submit]")
    page.wait_for_function("() => !location.pathname.endsWith('/console/')")
    expect(page.locator("#who-name")).not_to_be_empty()


def test_the_policy_is_enforced_and_the_watch_sees_a_violation(tab, hall: Hall) -> None:
    page = tab()
    visit(page, hall.base + "/")
    page.evaluate("""() => {
        const s = document.createElement('script');
        s.textContent = 'window.__inlineRan = true';
        document.body.appendChild(s);
        const b = document.createElement('button');
        b.setAttribute('onclick', 'window.__handlerRan = true');
        document.body.appendChild(b);
        b.click();
    }""")
    page.wait_for_timeout(300)
    assert page.evaluate("window.__inlineRan === undefined && window.__handlerRan === undefined")
    violations = page.evaluate("window.__csp")
    assert any(v.startswith("script-src") for v in violations), violations


def test_public_pages_work_without_a_violation(tab, hall: Hall) -> None:
    page = tab()
    for path, ready in (("/", "a[href='console/']"),
                        ("/api/queue/docs", "h1"),
                        ("/api/workflow/docs", "h1"),
                        ("/api/workflow/sops/ektp/sheet", "h1"),
                        ("/api/queue/services/kk/standar", "#persyaratan")):
        visit(page, hall.base + path)
        expect(page.locator(ready).first).to_be_visible()
        assert_no_violation(page)


def test_the_tv_works_without_a_violation(tab, hall: Hall) -> None:
    ticket = hall.issue_ticket("ektp")
    resp = hall.api("POST", f"/api/queue/counters/{hall.counter_id(2)}/open", "petugas2")
    assert resp.status_code == 200, resp.text
    page = tab(width=1920, height=1080)
    visit(page, hall.base + f"/display/?token={hall.demo['devices']['display']}")
    page.wait_for_function("() => window.loketDisplay && window.loketDisplay.connection === 'live'",
                           timeout=10000)
    page.click("#sound-enable")  # the voice, too, plays under the policy
    resp = hall.api("POST", f"/api/queue/counters/{hall.counter_id(2)}/call-next", "petugas2")
    assert resp.status_code == 200, resp.text
    tile = page.locator(f".tile[data-counter-id='{hall.counter_id(2)}'] .tile-number")
    expect(tile).to_have_text(ticket["number"], timeout=5000)
    page.wait_for_function(
        "() => window.loketDisplay.played.some(u => u.includes('announce.wav?call='))",
        timeout=10000)
    assert_no_violation(page)


@pytest.mark.parametrize(("username", "pages"), [
    ("petugas1", ["loket"]),
    ("kasi_pm", ["meja"]),
    ("operator1", ["tamu"]),
    ("camat", ["dasbor"]),
    ("admin", ["admin", "atur-kantor", "atur-layanan", "atur-loket", "atur-petugas",
               "atur-perangkat", "atur-audit"]),
])
def test_console_pages_work_without_a_violation(tab, hall: Hall, username: str,
                                                pages: list[str]) -> None:
    page = tab()
    login(page, hall, username)
    assert_no_violation(page)  # the login page and the role's home
    for key in pages:
        visit(page, hall.base + f"/console/{key}")
        expect(page.locator("#who-name")).not_to_be_empty()
        expect(page.locator("#nav a").first).to_be_visible()
        page.wait_for_timeout(700)  # the page's first API calls
        assert_no_violation(page)


def test_phone_ticket_page_works_without_a_violation(tab, hall: Hall) -> None:
    ticket = hall.issue_ticket("ektp")
    page = tab(phone=True)
    visit(page, hall.base + f"/api/queue/tickets/{ticket['tracking_code']}")
    expect(page.locator("#position")).to_have_text("1", timeout=5000)
    resp = hall.api("POST", f"/api/queue/counters/{hall.counter_id(2)}/open", "petugas2")
    assert resp.status_code == 200
    resp = hall.api("POST", f"/api/queue/counters/{hall.counter_id(2)}/call-next", "petugas2")
    assert resp.status_code == 200
    expect(page.locator("#called")).to_be_visible(timeout=5000)
    assert_no_violation(page)


def test_complaint_form_and_tracking_page_work_without_a_violation(tab, hall: Hall) -> None:
    page = tab(phone=True)
    visit(page, hall.base + "/api/workflow/pengaduan")
    page.fill("#text", "Antrean KK terlalu lama dan petugas tidak ada di loket 3.")
    page.fill("#email", "warga@example.org")
    page.click("#send")
    expect(page.locator("#done")).to_be_visible(timeout=10000)
    code = page.text_content("#code")
    assert code
    assert_no_violation(page)
    page.click("#track")
    page.wait_for_url(f"**/t/{code}")
    expect(page.locator(".status")).to_be_visible()
    assert_no_violation(page)

    # A case with an expected completion: the tracking page's script writes the local date.
    resp = hall.api("POST", "/api/workflow/cases", "petugas1",
                    json={"sop": "kk", "channel": "langsung", "subject": "Kartu Keluarga baru"})
    assert resp.status_code == 201, resp.text
    visit(page, hall.base + f"/api/workflow/t/{resp.json()['tracking_code']}")
    expect(page.locator("time.local")).to_have_text(re.compile(r" WIB$"))
    assert_no_violation(page)
