"""Fixtures for the display tests.

`live_server` serves the whole hall (`loket.wsgi.create_hall_app`: /display, /api/queue, …) with
the seeded demo data on a free port in a thread; `live_server.server.stop()` / `.start()` take it
down and bring it back on the same port (open event streams are cut, as when the process dies).
`live_server.queue` drives the real queue API as the kiosk and the officers do, and
`live_server.direct` does the same through a second app instance on the same database, for
calls made while the HTTP server is down (the database is the source of truth).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from flask import Flask

from display.app import create_app
from display.voice import VoiceSettings
from tests.hall_server import QueueAsStaff
from tests.streams.stream_server import FrontDoor


@pytest.fixture
def voice_settings(tmp_path: Path) -> VoiceSettings:
    return VoiceSettings(volume=1.0, repeat=1, cache_dir=tmp_path / "voice-cache")


@pytest.fixture
def display_app(voice_settings: VoiceSettings, settings, db) -> Flask:
    """The display app on the test database (announcements speak calls from its outbox)."""
    app = create_app({"VOICE_SETTINGS": voice_settings, "TESTING": True}, settings=settings)
    return app


@pytest.fixture
def record_call(db):
    """Record a call in the event outbox as the queue does (``ticket.called`` with the ticket's
    number and the counter's number); returns the event id, the call's own id."""
    from loket import events as ev

    def _record(number: str, counter: int, *, recall: bool = False, age_hours: float = 0) -> int:
        import datetime as dt

        payload = {"ticket": {"id": 1, "number": number, "service": "ektp", "priority": False,
                              "status": "called"},
                   "counter": {"id": counter, "number": counter, "name": f"Loket {counter}"}}
        with db.session() as session:
            event = ev.record(session, ev.STREAM_QUEUE,
                              ev.TICKET_RECALLED if recall else ev.TICKET_CALLED, payload)
            event.created_at -= dt.timedelta(hours=age_hours)
            session.flush()
            return int(event.id)

    return _record


# --- the real hall --------------------------------------------------------------------------

@dataclass
class Hall:
    url: str
    server: FrontDoor  # the stream process in front, the web process behind (loket run)
    queue: HallQueue  # over HTTP, like the kiosk and the staff consoles
    direct: HallQueue  # a second queue app on the same database, no HTTP server needed


class HallQueue(QueueAsStaff):
    """Kiosk and officer actions on the real queue API."""

    def issue(self, service: str) -> dict[str, Any]:
        return dict(self.request("POST", "/tickets", None, expect=201,
                                 json={"service": service}).json())

    def open_counter(self, number: int) -> None:
        self.request("POST", f"/counters/{self.counter_id(number)}/open", f"petugas{number}")

    def call_next(self, number: int) -> dict[str, Any]:
        resp = self.request("POST", f"/counters/{self.counter_id(number)}/call-next",
                            f"petugas{number}")
        return dict(resp.json())

    def ticket_action(self, ticket_id: int, action: str, counter: int) -> dict[str, Any]:
        return dict(self.request("POST", f"/tickets/{ticket_id}/{action}",
                                 f"petugas{counter}").json())

    def announce(self, *texts: str) -> None:
        self.request("PUT", "/announcements", "admin", json={"announcements": list(texts)})

    def board(self, services: str = "") -> dict[str, Any]:
        params = {"services": services} if services else {}
        return dict(self.request("GET", "/board", "admin", params=params).json())


@pytest.fixture
def live_server(settings, db) -> Iterator[Hall]:
    """The whole hall over HTTP, seeded with the demo office, counters, staff and devices."""
    from loket.wsgi import create_hall_app
    from queue_service.app import create_app as create_queue_app
    from queue_service.seed import seed_demo
    from tests.queue.conftest import mounted

    demo = seed_demo(settings)
    server = FrontDoor(settings, create_hall_app(settings)).start()
    second = mounted(create_queue_app(settings))
    direct = HallQueue("http://hall.direct", demo,
                       httpx.Client(transport=httpx.WSGITransport(app=second)))
    try:
        yield Hall(server.base_url, server, HallQueue(server.base_url, demo), direct)
    finally:
        server.stop()


