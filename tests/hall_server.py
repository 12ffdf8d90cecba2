"""The real Loket services over real HTTP in a thread, restartable on the same port.

``global live_hall`` cannot be stopped and started again, and werkzeug's ``shutdown()`` leaves
open connections (a display's event stream) running. ``RestartableServer.stop()`` also cuts every
open connection, so a client sees what it sees when the server process dies; ``start()`` binds the
same port again. Used by the kiosk and the display UI tests.
"""

from __future__ import annotations

import socket
import threading
from typing import Any

import httpx
from werkzeug.serving import ThreadedWSGIServer

from tests.support import free_port


class _TrackingServer(ThreadedWSGIServer):
    """Remembers every accepted connection so ``RestartableServer.stop`` can cut them."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()
        super().__init__(*args, **kwargs)

    def get_request(self) -> tuple[socket.socket, Any]:
        conn, address = super().get_request()
        with self.connections_lock:
            self.connections.add(conn)
        return conn, address

    def shutdown_request(self, request: Any) -> None:
        with self.connections_lock:
            self.connections.discard(request)
        super().shutdown_request(request)

    def cut_connections(self) -> None:
        with self.connections_lock:
            open_now = list(self.connections)
            self.connections.clear()
        for conn in open_now:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class RestartableServer:
    """Serve ``app`` on 127.0.0.1:``port`` (a free one by default) until ``stop()``."""

    def __init__(self, app: Any, port: int | None = None) -> None:
        self.app = app
        self.port = port or free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self._server: _TrackingServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._server is not None

    def start(self) -> RestartableServer:
        assert self._server is None, "already running"
        self._server = _TrackingServer("127.0.0.1", self.port, self.app)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True,
                                        kwargs={"poll_interval": 0.1})
        self._thread.start()
        return self

    def stop(self) -> None:
        server, thread = self._server, self._thread
        if server is None or thread is None:
            return
        self._server = self._thread = None
        server.shutdown()
        server.cut_connections()
        server.server_close()
        thread.join(5)


class QueueAsStaff:
    """Reads and acts on the real queue API the way a signed-in officer does."""

    def __init__(self, base_url: str, demo: dict[str, Any],
                 client: httpx.Client | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.demo = demo
        # a WSGITransport client reaches an app instance without any HTTP server
        self.client = client or httpx.Client(timeout=10)
        self._tokens: dict[str, str] = {}

    def password(self, username: str) -> str:
        return str(next(s["password"] for s in self.demo["staff"]
                        if s["username"] == username))

    def headers(self, username: str) -> dict[str, str]:
        if username not in self._tokens:
            login = {"username": username, "password": self.password(username)}
            resp = self.client.post(f"{self.base_url}/api/queue/auth/token", json=login)
            assert resp.status_code == 200, resp.text
            self._tokens[username] = str(resp.json()["token"])
        return {"Authorization": f"Bearer {self._tokens[username]}"}

    def kiosk_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.demo['devices']['kiosk']}"}

    def request(self, method: str, path: str, username: str | None = "admin",
                expect: int | tuple[int, ...] = 200, **kwargs: Any) -> httpx.Response:
        headers = self.headers(username) if username else self.kiosk_headers()
        resp = self.client.request(method, f"{self.base_url}/api/queue{path}",
                                   headers=headers, **kwargs)
        wanted = expect if isinstance(expect, tuple) else (expect,)
        assert resp.status_code in wanted, f"{method} {path}: {resp.status_code} {resp.text}"
        return resp

    def tickets(self, **params: str) -> list[dict[str, Any]]:
        found = self.request("GET", "/tickets", "petugas1", params=params).json()["tickets"]
        return list(found)

    def faults(self) -> list[dict[str, Any]]:
        return list(self.request("GET", "/kiosk/faults", "petugas1").json()["faults"])

    def counter_id(self, number: int) -> int:
        return int(next(c["id"] for c in self.demo["counters"] if c["number"] == number))
