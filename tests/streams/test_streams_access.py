"""Who may listen, and the caps: refused requests hold no stream."""

from __future__ import annotations

import json
from typing import Any

from stream_service.app import LIMITER
from tests.queue.conftest import Hall
from tests.streams.stream_server import SseReader, StreamServer
from tests.support import wait_until


def _open(server: StreamServer, path: str, headers: dict[str, str] | None = None) -> SseReader:
    return SseReader(server.port, path, headers)


def _open_streams(server: StreamServer) -> int:
    return int(server.call(lambda app: app[LIMITER].count))


def test_stream_without_token_gets_401_and_holds_no_stream(streams: StreamServer) -> None:
    for path in ("/api/queue/events", "/api/workflow/events",
                 "/api/queue/events?token=dev_not-a-real-token",
                 "/api/workflow/events?token=forged.staff.token"):
        reader = _open(streams, path)
        assert reader.status == 401, path
        error = json.loads(reader.body())["error"]
        assert error["message"] and "token" in error["message"].lower() or error["code"]
        reader.close()
    assert _open_streams(streams) == 0


def test_kiosk_may_not_follow_the_queue_and_the_tv_not_the_workflow(
        hall: Hall, streams: StreamServer) -> None:
    kiosk = _open(streams, "/api/queue/events", hall.kiosk)
    assert kiosk.status == 403
    tv = _open(streams, f"/api/workflow/events?token={hall.demo['devices']['display']}")
    assert tv.status == 403
    assert "alur kerja" in json.loads(tv.body())["error"]["message"]
    assert _open_streams(streams) == 0


def test_tv_staff_and_console_streams_are_accepted(hall: Hall, streams: StreamServer) -> None:
    tv = _open(streams, f"/api/queue/events?token={hall.demo['devices']['display']}")
    officer = _open(streams, "/api/queue/events", hall.staff("petugas1"))
    desk = _open(streams, "/api/workflow/events?after=latest", hall.staff("kasi_pm"))
    for reader in (tv, officer, desk):
        assert reader.status == 200
        assert reader.headers["content-type"].startswith("text/event-stream")
    wait_until(lambda: _open_streams(streams) == 3)
    for reader in (tv, officer, desk):
        reader.close()


def test_per_address_cap_answers_429_with_retry_after(hall: Hall, start_streams: Any) -> None:
    server = start_streams(stream_max_per_address=3)
    token = hall.demo["devices"]["display"]
    held = [_open(server, f"/api/queue/events?token={token}") for _ in range(3)]
    assert [r.status for r in held] == [200, 200, 200]
    refused = _open(server, f"/api/queue/events?token={token}")
    assert refused.status == 429
    assert int(refused.headers["retry-after"]) > 0
    assert "Terlalu banyak" in json.loads(refused.body())["error"]["message"]
    held[0].close()
    wait_until(lambda: _open_streams(server) == 2)  # a closed stream frees its slot
    again = _open(server, f"/api/queue/events?token={token}")
    assert again.status == 200
    for reader in (*held, again):
        reader.close()


def test_total_cap_answers_503_with_retry_after(hall: Hall, start_streams: Any) -> None:
    server = start_streams(stream_max_total=2)
    token = hall.demo["devices"]["display"]
    held = [_open(server, f"/api/queue/events?token={token}") for _ in range(2)]
    refused = _open(server, f"/api/queue/events?token={token}")
    assert refused.status == 503
    assert int(refused.headers["retry-after"]) > 0
    for reader in held:
        reader.close()
