"""Fixtures for the console UI tests: the real hall served in a thread, seeded, and a Chromium.

The hall is ``loket.wsgi.create_hall_app`` with every app (queue, workflow, display, console) on
one origin, as in production. Tests drive the pages in a headless system Chromium and set up
their data through the same public APIs the pages use.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from loket.wsgi import create_hall_app
from tests.streams.stream_server import FrontDoor

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
VALID_NIK = "3510011708450001"


def shot(page: Any, name: str) -> None:
    """The whole page as docs/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


@pytest.fixture
def cards(db: Any) -> None:
    """Twenty visitor cards in the reception's pool."""
    from workflow_service.usecases.guests import ensure_pool

    with db.session() as session:
        ensure_pool(session, 20)


@dataclasses.dataclass
class Hall:
    base: str
    demo: dict[str, Any]

    def password(self, username: str) -> str:
        return str(next(s["password"] for s in self.demo["staff"] if s["username"] == username))

    def token(self, username: str) -> str:
        resp = httpx.post(f"{self.base}/api/queue/auth/token",
                          json={"username": username, "password": self.password(username)})
        assert resp.status_code == 200, resp.text
        return str(resp.json()["token"])

    def staff(self, username: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(username)}"}

    @property
    def kiosk(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.demo['devices']['kiosk']}"}

    def counter_id(self, number: int) -> int:
        return int(next(c["id"] for c in self.demo["counters"] if c["number"] == number))

    def api(self, method: str, path: str, username: str | None = None,
            headers: dict[str, str] | None = None, **kwargs: Any) -> httpx.Response:
        all_headers = dict(headers or {})
        if username:
            all_headers.update(self.staff(username))
        return httpx.request(method, self.base + path, headers=all_headers, timeout=10, **kwargs)

    def issue_ticket(self, service: str = "ektp", priority: str | None = None,
                     name: str = "Siti Aminah") -> dict[str, Any]:
        body = {"service": service, "priority": priority,
                "visitor": {"name": name, "nik": VALID_NIK, "phone": "081234567890",
                            "consent": True}, "details": {}}
        resp = self.api("POST", "/api/queue/tickets", headers=self.kiosk, json=body)
        assert resp.status_code == 201, resp.text
        return dict(resp.json())


@pytest.fixture
def hall(settings: Any, db: Any, redis_client: Any) -> Iterator[Hall]:
    """A freshly seeded hall on a free port; the database is emptied for every test."""
    from queue_service.seed import seed_demo

    demo = seed_demo(settings)
    # As `loket run` serves it: the stream process in front, the web process behind.
    server = FrontDoor(settings, create_hall_app(settings)).start()
    try:
        yield Hall(base=server.base_url, demo=demo)
    finally:
        server.stop()


@pytest.fixture
def login(browser: Any, hall: Hall) -> Iterator[Callable[..., Any]]:
    """Open a fresh browser tab, log in as ``username`` and land on the role's page."""
    contexts: list[Any] = []

    def _login(username: str, width: int = 1366, height: int = 900) -> Any:
        context = browser.new_context(viewport={"width": width, "height": height},
                                      locale="id-ID", timezone_id="Asia/Jakarta")
        contexts.append(context)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.js_errors = errors
        page.goto(hall.base + "/console/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", hall.password(username))
        page.click("#login button[type=submit]")
        page.wait_for_function("() => !location.pathname.endsWith('/console/')")
        return page

    yield _login
    for context in contexts:
        context.close()
