"""Fixtures for the display tests.

`queue_api` is a stand-in for the queue service (`StandInQueue`): it serves just enough of
GET /api/queue/board and GET /api/queue/events (SSE) for the TV page, and lets a test call
tickets, cut the stream and see how the page resumed. When queue_service/ exists, swap the
fixture for one that mounts the real queue app and drives it through its API; the UI tests only
use `queue_api.wsgi_app`, `call()`, `stop_stream()`, `start_stream()`, `stream_requests`,
`rejected_streams`, `board_requests` and `wait_until()`.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import NotFound
from werkzeug.middleware.dispatcher import DispatcherMiddleware
from werkzeug.serving import make_server

from display import create_app
from display.voice import VoiceSettings

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
IN_CI = os.environ.get("CI", "").lower() == "true"


def require_tool(path_or_name: str, why: str) -> str:
    """Return the tool's path; fail in CI, skip elsewhere, when it is missing."""
    found = shutil.which(path_or_name)
    if found is None:
        message = f"{path_or_name} is not installed ({why})"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return found


@pytest.fixture
def espeak() -> str:
    return require_tool("espeak-ng", "needed to synthesise the Indonesian voice")


@pytest.fixture
def voice_settings(tmp_path: Path) -> VoiceSettings:
    return VoiceSettings(volume=1.0, repeat=1, cache_dir=tmp_path / "voice-cache")


@pytest.fixture
def display_app(voice_settings: VoiceSettings) -> Flask:
    app = create_app({"VOICE_SETTINGS": voice_settings, "TESTING": True})
    return app


# --- the stand-in queue service --------------------------------------------------------------

SERVICES = {
    "penerimaan-tamu": ("Penerimaan Tamu", "A"),
    "pengaduan": ("Pengaduan Masyarakat", "B"),
    "ektp": ("Permohonan e-KTP", "C"),
    "kk": ("Kartu Keluarga", "D"),
    "rekomendasi": ("Surat Rekomendasi", "E"),
}


@dataclass
class StreamRequest:
    after: int | None
    last_event_id: int | None
    status: int

    @property
    def resumed_from(self) -> int | None:
        ids = [i for i in (self.after, self.last_event_id) if i is not None]
        return max(ids) if ids else None


@dataclass
class StandInQueue:
    """A minimal in-memory queue service: board snapshot + SSE event log, thread-safe."""

    office_name: str = "Kecamatan Genteng"
    counters: list[dict[str, Any]] = field(default_factory=list)
    waiting: dict[str, int] = field(default_factory=dict)
    announcements: list[str] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    last_event_id: int = 40
    events_status: int = 200
    stream_requests: list[StreamRequest] = field(default_factory=list)
    board_requests: int = 0
    generation: int = 0
    closed: bool = False

    def __post_init__(self) -> None:
        self.cond = threading.Condition()
        if not self.counters:
            self.counters = [
                {
                    "id": i,
                    "number": i,
                    "name": f"Loket {i}",
                    "status": "open",
                    "services": services,
                    "current": None,
                }
                for i, services in (
                    (1, ["ektp", "kk"]),
                    (2, ["ektp", "kk"]),
                    (3, ["penerimaan-tamu"]),
                    (4, ["pengaduan"]),
                    (5, ["rekomendasi"]),
                    (6, ["ektp", "kk"]),
                )
            ]
        if not self.waiting:
            self.waiting = {
                "penerimaan-tamu": 2,
                "pengaduan": 1,
                "ektp": 7,
                "kk": 4,
                "rekomendasi": 0,
            }
        if not self.announcements:
            self.announcements = [
                "Pelayanan e-KTP dan KK buka Senin–Jumat pukul 08.00–15.00 WIB.",
                "Siapkan fotokopi KK dan dokumen pendukung sebelum dipanggil.",
                "Layanan ini gratis, tidak dipungut biaya.",
            ]
        self.wsgi_app = self._build_app()

    # --- driving it from a test ---------------------------------------------------------------
    def call(self, number: str, counter_id: int, *, recall: bool = False) -> int:
        """Call (or recall) a ticket to a counter; returns the event id."""
        service = next(code for code, (_, prefix) in SERVICES.items() if prefix == number[0])
        with self.cond:
            counter = next(c for c in self.counters if c["id"] == counter_id)
            self.last_event_id += 1
            now = datetime.now(UTC).isoformat()
            previous = counter["current"] or {}
            counter["current"] = {
                "number": number,
                "service": service,
                "status": "called",
                "called_at": now,
                "recalls": previous.get("recalls", 0) + 1 if recall else 0,
            }
            if not recall and self.waiting.get(service, 0) > 0:
                self.waiting[service] -= 1
            self.events.append(
                {
                    "id": self.last_event_id,
                    "type": "ticket.recalled" if recall else "ticket.called",
                    "at": now,
                    "ticket": {
                        "id": 1000 + self.last_event_id,
                        "number": number,
                        "service": service,
                    },
                    "counter": {
                        "id": counter["id"],
                        "number": counter["number"],
                        "name": counter["name"],
                    },
                }
            )
            self.cond.notify_all()
            return self.last_event_id

    def stop_stream(self) -> None:
        """Close every open stream and answer new ones with 503 until start_stream()."""
        with self.cond:
            self.events_status = 503
            self.generation += 1
            self.cond.notify_all()

    def start_stream(self) -> None:
        with self.cond:
            self.events_status = 200
            self.cond.notify_all()

    @property
    def rejected_streams(self) -> int:
        return sum(1 for r in self.stream_requests if r.status != 200)

    def wait_until(self, predicate: Callable[[], bool], timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() > deadline:
                raise AssertionError("stand-in queue: condition not met in time")
            time.sleep(0.05)

    def shutdown(self) -> None:
        with self.cond:
            self.closed = True
            self.cond.notify_all()

    # --- the HTTP side -----------------------------------------------------------------------
    def board(self, services: list[str]) -> dict[str, Any]:
        def keep(code: str) -> bool:
            return not services or code in services

        calls = [e for e in self.events if e["type"] in ("ticket.called", "ticket.recalled")]
        return {
            "office": {"name": self.office_name, "timezone": "Asia/Jakarta", "logo_url": None},
            "counters": [
                c for c in self.counters if not services or set(c["services"]) & set(services)
            ],
            "last_calls": [
                {
                    "event_id": e["id"],
                    "number": e["ticket"]["number"],
                    "service": e["ticket"]["service"],
                    "counter_id": e["counter"]["id"],
                    "counter_number": e["counter"]["number"],
                    "counter_name": e["counter"]["name"],
                    "called_at": e["at"],
                    "recall": e["type"] == "ticket.recalled",
                }
                for e in reversed(calls)
                if keep(e["ticket"]["service"])
            ][:10],
            "waiting": [
                {
                    "service": code,
                    "name": name,
                    "prefix": prefix,
                    "waiting": self.waiting.get(code, 0),
                }
                for code, (name, prefix) in SERVICES.items()
                if keep(code)
            ],
            "announcements": list(self.announcements),
            "last_event_id": self.last_event_id,
        }

    def _build_app(self) -> Flask:
        app = Flask("stand_in_queue")

        def services_arg() -> list[str]:
            raw = request.args.get("services", "")
            return [s for s in raw.split(",") if s]

        @app.get("/board")
        def board() -> Response:
            with self.cond:
                self.board_requests += 1
                return jsonify(self.board(services_arg()))

        @app.get("/events")
        def events() -> Response:
            def as_int(raw: str | None) -> int | None:
                return int(raw) if raw and raw.isdigit() else None

            after = as_int(request.args.get("after"))
            header = as_int(request.headers.get("Last-Event-ID"))
            services = services_arg()
            with self.cond:
                status = self.events_status
                self.stream_requests.append(StreamRequest(after, header, status))
                generation = self.generation
            if status != 200:
                return Response(
                    json.dumps({"error": {"code": "unavailable", "message": "Layanan sibuk"}}),
                    status=status,
                    mimetype="application/json",
                )
            ids = [i for i in (after, header) if i is not None]
            start = max(ids) if ids else self.last_event_id

            def stream() -> Iterator[str]:
                sent = start
                yield "retry: 500\n\n"
                while True:
                    with self.cond:
                        pending = [e for e in self.events if e["id"] > sent]
                        if not pending:
                            self.cond.wait(timeout=0.5)
                        if self.closed or self.generation != generation:
                            return
                        pending = [e for e in self.events if e["id"] > sent]
                    for event in pending:
                        sent = event["id"]
                        if services and event["ticket"]["service"] not in services:
                            continue
                        yield (
                            f"id: {event['id']}\nevent: {event['type']}\n"
                            f"data: {json.dumps(event)}\n\n"
                        )
                    if not pending:
                        yield ": keepalive\n\n"

            return Response(
                stream(),
                mimetype="text/event-stream",
                headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
            )

        return app


@pytest.fixture
def queue_api() -> Iterator[StandInQueue]:
    """The queue service the TV talks to; today a stand-in (see the module docstring)."""
    standin = StandInQueue()
    yield standin
    standin.shutdown()


@dataclass
class LiveServer:
    url: str
    queue: StandInQueue


@pytest.fixture
def live_server(queue_api: StandInQueue, display_app: Flask) -> Iterator[LiveServer]:
    """One origin like production: /display → display app, /api/queue → the queue API."""
    root = DispatcherMiddleware(
        NotFound(), {"/display": display_app, "/api/queue": queue_api.wsgi_app}
    )
    server = make_server("127.0.0.1", 0, root, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield LiveServer(url=f"http://127.0.0.1:{server.server_port}", queue=queue_api)
    finally:
        queue_api.shutdown()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    require_tool(CHROMIUM, "needed for the TV page tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
