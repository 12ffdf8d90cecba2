"""A wake-up writes the new frames straight to every parked client's socket. A client that
stops reading fills its socket; from then on its own task writes for it, waits for the socket,
and drops it after ``WRITE_STALL_SECONDS`` of nothing taken, while the screens that read get
every event, in order, without a gap."""

from __future__ import annotations

import socket
import time
from typing import Any

import pytest

from loket import events as ev
from loket.events.publisher import publish_pending
from loket.redis_bus import make_redis
from stream_service import app as stream_app
from stream_service.app import LIMITER
from tests.queue.conftest import Hall
from tests.streams.stream_server import SseReader, StreamServer

PAD = "x" * 16000  # 16 KB an event: 500 of them are more than a socket (4 MB) holds


def _publish(db: Any, settings: Any, count: int, first: int) -> list[int]:
    """``count`` numbered events on the queue stream, committed and sent to Redis."""
    numbers = list(range(first, first + count))
    with db.session() as session:
        for n in numbers:
            ev.record(session, ev.STREAM_QUEUE, "counter.updated",
                      {"counter": {"number": n, "services": []}, "note": PAD})
    publish_pending(db, make_redis(settings))
    return numbers


def _never_reads(port: int, token: str) -> socket.socket:
    """A screen that opens the stream, then takes nothing (a small receive buffer)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect(("127.0.0.1", port))
    sock.sendall(f"GET /api/queue/events?after=latest&token={token} HTTP/1.1\r\n"
                 f"Host: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n".encode())
    return sock


def _open_streams(server: StreamServer) -> int:
    return int(server.call(lambda app: app[LIMITER].count))


def test_a_stalled_screen_is_dropped_and_the_others_get_every_event(
        hall: Hall, db: Any, settings: Any, start_streams: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stream_app, "WRITE_STALL_SECONDS", 1.5)
    server = start_streams()
    token = hall.demo["devices"]["display"]
    reader = SseReader(server.port, f"/api/queue/events?after=latest&token={token}")
    stalled = _never_reads(server.port, token)
    deadline = time.monotonic() + 5
    while _open_streams(server) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _open_streams(server) == 2

    sent: list[int] = []
    for round_ in range(4):  # 8 MB in all: more than the stalled socket can take
        sent += _publish(db, settings, 125, first=1000 + 125 * round_)
        last = sent[-1]
        reader.wait_for(lambda e, last=last: e["data"].get("counter", {}).get("number") == last,
                        timeout=20)
    seen = [e["data"]["counter"]["number"] for e in reader.events
            if e.get("event") == "counter.updated"]
    assert seen == sent  # every event, in order, none twice

    deadline = time.monotonic() + 15  # the stall limit, then the slot is freed
    while _open_streams(server) > 1 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _open_streams(server) == 1

    # The screen that reads is still served, from its socket's parked place.
    more = _publish(db, settings, 3, first=5000)
    reader.wait_for(lambda e: e["data"].get("counter", {}).get("number") == more[-1])
    reader.close()
    stalled.close()
