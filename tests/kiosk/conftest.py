"""Kiosk test fixtures: the real queue service over HTTP, Xvfb, a TCP printer listener."""

from __future__ import annotations

import os
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from tests.hall_server import QueueAsStaff, RestartableServer
from tests.support import require_binary


@dataclass
class QueueApi:
    base_url: str
    token: str  # the seeded kiosk's device token
    server: RestartableServer  # stop()/start() again on the same port
    staff: QueueAsStaff  # reads the server's state as an officer would
    db: Any  # loket.db.Database the server uses

    def set_service_open(self, code: str, is_open: bool) -> None:
        """Open or close a service in the database (the queue API has no endpoint for it)."""
        from sqlalchemy import select

        from queue_service.models import Service

        with self.db.session() as session:
            service = session.scalar(select(Service).where(Service.code == code))
            assert service is not None, code
            service.is_open = is_open


@pytest.fixture
def queue_api(settings, db) -> Iterator[QueueApi]:
    """The real queue service (seeded demo hall) served over HTTP, mounted at /api/queue."""
    from queue_service.app import create_app
    from queue_service.seed import seed_demo
    from tests.queue.conftest import mounted

    demo = seed_demo(settings)
    server = RestartableServer(mounted(create_app(settings))).start()
    try:
        yield QueueApi(server.base_url, demo["devices"]["kiosk"], server,
                       QueueAsStaff(server.base_url, demo), db)
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
