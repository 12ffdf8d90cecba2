"""The real stream app (aiohttp) on a free port in a thread, and plain-socket SSE readers."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from typing import Any

from tests.support import free_port


class StreamServer:
    """Serve ``create_stream_app(settings, upstream)`` on 127.0.0.1 until ``stop()``."""

    def __init__(self, settings: Any, upstream: str | None = None) -> None:
        self.settings = settings
        self.upstream = upstream
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.loop = asyncio.new_event_loop()
        self._thread: threading.Thread | None = None
        self._runner: Any = None

    def start(self) -> StreamServer:
        """Serve (again, on the same port after ``stop``)."""
        from aiohttp import web

        from loket.composition.streams import create_streams

        if self.loop.is_closed():
            self.loop = asyncio.new_event_loop()

        async def boot() -> None:
            self._runner = web.AppRunner(create_streams(self.settings, self.upstream),
                                         access_log=None, handler_cancellation=True,
                                         shutdown_timeout=1.0)
            await self._runner.setup()
            await web.TCPSite(self._runner, "127.0.0.1", self.port, backlog=1024).start()

        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._thread.start()
        asyncio.run_coroutine_threadsafe(boot(), self.loop).result(15)
        return self

    def call(self, fn: Any) -> Any:
        """Run ``fn(app)`` on the server's loop (to read its state)."""
        async def run() -> Any:
            return fn(self._runner.app)
        return asyncio.run_coroutine_threadsafe(run(), self.loop).result(5)

    def stop(self) -> None:
        """Stop serving; open streams are cut, as when the process dies."""
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self.loop).result(15)
            self._runner = None
        self.loop.call_soon_threadsafe(self.loop.stop)
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None
        self.loop.close()


class FrontDoor:
    """The embedded hall as ``loket run`` builds it: the stream process on the public port,
    the request/response hall (a threaded WSGI server) behind it. ``stop``/``start`` take both
    down and bring them back on the same ports."""

    def __init__(self, settings: Any, wsgi_app: Any) -> None:
        from tests.hall_server import RestartableServer

        self.backend = RestartableServer(wsgi_app)
        self.streams = StreamServer(settings, upstream=self.backend.base_url)
        self.port = self.streams.port
        self.base_url = self.streams.base_url

    @property
    def running(self) -> bool:
        return self.backend.running

    def start(self) -> FrontDoor:
        self.backend.start()
        self.streams.start()
        return self

    def stop(self) -> None:
        self.streams.stop()
        self.backend.stop()


class SseReader:
    """One raw SSE connection: status, headers, then parsed events as they come."""

    def __init__(self, port: int, path: str, headers: dict[str, str] | None = None,
                 timeout: float = 10.0) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        lines = [f"GET {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Accept: text/event-stream"]
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        self.buffer = b""
        head = self._read_until(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        self.status = int(status_line.split()[1])
        self.headers = {k.strip().lower(): v.strip()
                        for k, _, v in (h.partition(":") for h in header_lines if h)}
        self.chunked = self.headers.get("transfer-encoding", "").lower() == "chunked"
        self.text = ""  # decoded body so far (chunk framing removed)
        self.events: list[dict[str, Any]] = []
        if self.status == 200:  # the first read may have brought events with the headers
            self._unchunk()
            self._parse()

    def _read_until(self, marker: bytes) -> bytes:
        while marker not in self.buffer:
            data = self.sock.recv(65536)
            if not data:
                raise ConnectionError("closed")
            self.buffer += data
        head, _, self.buffer = self.buffer.partition(marker)
        return head

    def body(self) -> bytes:
        """The whole (short) body of a refused request."""
        length = int(self.headers.get("content-length", "0"))
        while len(self.buffer) < length:
            self.buffer += self.sock.recv(65536)
        return self.buffer[:length]

    def _pump(self) -> None:
        data = self.sock.recv(65536)
        if not data:
            raise ConnectionError("closed")
        self.buffer += data
        self._unchunk()

    def _unchunk(self) -> None:
        if not self.chunked:
            self.text += self.buffer.decode()
            self.buffer = b""
            return
        while b"\r\n" in self.buffer:
            size_line, _, rest = self.buffer.partition(b"\r\n")
            size = int(size_line.split(b";")[0], 16)
            if len(rest) < size + 2:
                return
            self.text += rest[:size].decode()
            self.buffer = rest[size + 2:]

    def _parse(self) -> None:
        while "\n\n" in self.text:
            block, _, self.text = self.text.partition("\n\n")
            event: dict[str, Any] = {}
            for line in block.split("\n"):
                name, _, value = line.partition(": ")
                if name in ("id", "event", "data"):
                    event[name] = value
            if "data" in event:
                event["data"] = json.loads(event["data"])
                self.events.append(event)

    def wait_for(self, predicate: Any, timeout: float = 10.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        seen = 0
        while True:
            for event in self.events[seen:]:
                if predicate(event):
                    return event
            seen = len(self.events)
            if time.monotonic() > deadline:
                raise AssertionError(f"no matching event in {timeout}s: {self.events[-5:]}")
            self.sock.settimeout(max(0.05, deadline - time.monotonic()))
            try:
                self._pump()
            except TimeoutError:
                continue
            self._parse()

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass
