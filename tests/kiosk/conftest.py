"""Kiosk test fixtures: a stand-in queue API and Xvfb.

The real queue service does not exist yet. ``StandInQueue`` implements just the two endpoints the
kiosk uses, per the contract in the brief. To test against the real server, change only the
``queue_api`` fixture to start it and return ``QueueApi(base_url, token, server)``.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from stdnum.id import nik as stdnum_nik

from tests.support import require_binary

KIOSK_TOKEN = "kiosk-test-token"

SERVICES: list[dict[str, Any]] = [
    {"code": "penerimaan-tamu", "name": "Penerimaan Tamu", "prefix": "A", "service_minutes": 15,
     "bring": ["KTP (rombongan: KTP ketua rombongan)"],
     "steps": [{"activity": "Tamu melapor kedatangan", "time_standard": "PT5M"},
               {"activity": "Mengisi buku tamu dan menukar kartu identitas",
                "time_standard": "PT5M"},
               {"activity": "Petugas menunjukkan lokasi tujuan", "time_standard": "PT5M"}]},
    {"code": "pengaduan", "name": "Pengaduan Pelayanan Publik", "prefix": "B",
     "service_minutes": 30, "bring": ["KTP", "Bukti pendukung pengaduan (bila ada)"],
     "steps": [{"activity": "Pelapor mengadukan permasalahan", "time_standard": "PT30M"}]},
    {"code": "ektp", "name": "Permohonan e-KTP", "prefix": "C", "service_minutes": 12,
     "bring": ["Fotokopi Kartu Keluarga", "Surat pengantar desa/kelurahan"],
     "steps": [{"activity": "Verifikasi berkas permohonan", "time_standard": "PT2M"},
               {"activity": "Penelitian data oleh Kasi Pemerintahan", "time_standard": "PT3M"},
               {"activity": "Perekaman e-KTP", "time_standard": "PT5M"},
               {"activity": "Registrasi produk", "time_standard": "PT2M"}]},
    {"code": "kk", "name": "Permohonan Kartu Keluarga", "prefix": "D", "service_minutes": 17,
     "bring": ["Kartu Keluarga lama", "Surat pengantar desa/kelurahan",
               "Fotokopi buku nikah / akta (bila ada perubahan)"],
     "steps": [{"activity": "Verifikasi berkas permohonan", "time_standard": "PT2M"},
               {"activity": "Pencetakan KK", "time_standard": "PT10M"}]},
    {"code": "rekomendasi", "name": "Permohonan Rekomendasi", "prefix": "E", "service_minutes": 12,
     "bring": ["KTP", "Surat permohonan", "Berkas pendukung sesuai keperluan"],
     "steps": [{"activity": "Penerimaan berkas permohonan", "time_standard": "PT2M"},
               {"activity": "Verifikasi oleh seksi", "time_standard": "PT5M"}]},
]


def _error(code: str, message: str, field: str | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "field": field, "request_id": "standin"}}


class StandInQueue:
    """A minimal queue API: ``GET /api/queue/services``, ``POST /api/queue/tickets``."""

    def __init__(self, token: str = KIOSK_TOKEN, closed: tuple[str, ...] = (),
                 with_faults: bool = True, port: int = 0):
        self.token = token
        self.closed = set(closed)
        self.with_faults = with_faults
        self.tickets: list[dict[str, Any]] = []
        self.requests: list[dict[str, Any]] = []
        self.faults: list[dict[str, Any]] = []
        self._by_key: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> StandInQueue:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def catalog(self) -> list[dict[str, Any]]:
        waiting = {s["code"]: 0 for s in SERVICES}
        for ticket in self.tickets:
            waiting[ticket["service"]] += 1
        return [
            {**s, "open": s["code"] not in self.closed, "waiting": waiting[s["code"]],
             "estimated_wait_minutes": waiting[s["code"]] * (s["service_minutes"] or 5),
             "bring_is_demo": True, "questions": []}
            for s in SERVICES
        ]

    def issue(self, body: dict[str, Any], key: str | None) -> tuple[int, dict[str, Any]]:
        with self._lock:
            if key and key in self._by_key:
                return 201, self._by_key[key]
            service = next((s for s in self.catalog() if s["code"] == body.get("service")), None)
            if service is None:
                return 422, _error("unknown_service", "Layanan tidak dikenal", "service")
            if not service["open"]:
                return 409, _error("service_closed", "Layanan sedang tutup", "service")
            visitor = body.get("visitor") or {}
            if visitor.get("consent") is not True:
                return 422, _error("consent_required", "Persetujuan wajib", "visitor.consent")
            if not stdnum_nik.is_valid(str(visitor.get("nik", ""))):
                return 422, _error("invalid_nik", "NIK tidak valid", "visitor.nik")
            same = [t for t in self.tickets if t["service"] == service["code"]]
            nik = visitor["nik"]
            ticket = {
                "id": len(self.tickets) + 1,
                "number": f"{service['prefix']}{len(same) + 1:03d}",
                "service": service["code"], "service_name": service["name"],
                "tracking_code": f"TRK{len(self.tickets) + 1:05d}",
                "position": len(same) + 1, "people_ahead": len(same),
                "estimated_wait_minutes": service["estimated_wait_minutes"],
                "status": "waiting", "priority": body.get("priority"),
                "issued_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "nik_masked": nik[:4] + "\u2022" * 8 + nik[-4:],
                "office": "Kecamatan Genteng",
            }
            ticket["status_url"] = f"{self.base_url}/api/queue/tickets/{ticket['tracking_code']}"
            self.tickets.append(ticket)
            self.requests.append(body)
            if key:
                self._by_key[key] = ticket
            return 201, ticket

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        queue = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

            def _send(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:  # noqa: N802
                if self.path.split("?")[0] == "/api/queue/services":
                    self._send(200, {"services": queue.catalog()})
                else:
                    self._send(404, _error("not_found", "Tidak ditemukan"))

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                try:
                    body = json.loads(self.rfile.read(length) or b"{}")
                except ValueError:
                    self._send(400, _error("bad_json", "Data tidak valid"))
                    return
                if self.headers.get("Authorization") != f"Bearer {queue.token}":
                    self._send(401, _error("unauthorized", "Token perangkat tidak valid"))
                    return
                if self.path == "/api/queue/tickets":
                    self._send(*queue.issue(body, self.headers.get("Idempotency-Key")))
                elif self.path == "/api/queue/kiosk/faults" and queue.with_faults:
                    queue.faults.append(body)
                    self._send(201, {"ok": True})
                else:
                    self._send(404, _error("not_found", "Tidak ditemukan"))

        return Handler


@dataclass
class QueueApi:
    base_url: str
    token: str
    server: StandInQueue  # the real server's test handle, once it exists


@pytest.fixture
def queue_api() -> Iterator[QueueApi]:
    """The queue API the kiosk talks to (today the stand-in; swap the real server in here)."""
    server = StandInQueue().start()
    try:
        yield QueueApi(server.base_url, server.token, server)
    finally:
        server.stop()


def _free_display() -> int:
    for number in range(90, 200):
        if not os.path.exists(f"/tmp/.X11-unix/X{number}") and not os.path.exists(
                f"/tmp/.X{number}-lock"):
            return number
    raise RuntimeError("no free X display number")


@pytest.fixture(scope="session")
def xvfb_display() -> Iterator[str]:
    """Start ``Xvfb :N -screen 0 1280x800x24``; fail in CI when Xvfb is missing, else skip."""
    binary = require_binary("Xvfb")  # CI=true: fails; elsewhere: skips with the reason
    number = _free_display()
    process = subprocess.Popen(
        [binary, f":{number}", "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while not os.path.exists(f"/tmp/.X11-unix/X{number}"):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"Xvfb :{number} did not start")
        time.sleep(0.05)
    try:
        yield f":{number}"
    finally:
        process.terminate()
        process.wait(timeout=10)


class PrinterListener:
    """A TCP listener standing in for an ESC/POS network printer (port 9100 style)."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(5)
        self.sock.settimeout(0.1)
        self._closed = threading.Event()
        self.port = self.sock.getsockname()[1]
        self.jobs: list[bytes] = []
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._closed.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            conn.settimeout(5)
            with conn:
                chunks = []
                while data := conn.recv(65536):
                    chunks.append(data)
                self.jobs.append(b"".join(chunks))

    def wait_for_jobs(self, count: int, timeout: float = 5.0) -> list[bytes]:
        deadline = time.monotonic() + timeout
        while len(self.jobs) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.jobs

    def close(self) -> None:
        self._closed.set()
        self._thread.join(timeout=2)
        self.sock.close()


@pytest.fixture
def printer_listener() -> Iterator[PrinterListener]:
    listener = PrinterListener()
    try:
        yield listener
    finally:
        listener.close()
