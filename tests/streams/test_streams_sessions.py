"""The stream process ends open streams, and refuses new ones, within 5 s of a logout, a
deactivation or a revoked TV token (it reads Redis and the device source, not the queue's
staff table)."""

from __future__ import annotations

import json
import time

import pytest

from tests.queue.conftest import Hall
from tests.streams.stream_server import SseReader, StreamServer

pytestmark = pytest.mark.integration

WITHIN_SECONDS = 5.0


def _revoked_within(reader: SseReader, code: str) -> float:
    started = time.monotonic()
    event = reader.wait_for(lambda e: e.get("event") == "revoked", timeout=WITHIN_SECONDS)
    assert event["data"]["code"] == code
    assert event["data"]["message"]
    return time.monotonic() - started


def _refused(server: StreamServer, path: str, headers: dict[str, str] | None = None) -> dict:
    reader = SseReader(server.port, path, headers)
    try:
        assert reader.status == 401, path
        return json.loads(reader.body())["error"]  # type: ignore[no-any-return]
    finally:
        reader.close()


def test_logout_ends_an_open_staff_stream_and_refuses_a_new_one(
        hall: Hall, streams: StreamServer) -> None:
    token = hall.token("kasi_pm")
    headers = {"Authorization": f"Bearer {token}"}
    desk = SseReader(streams.port, "/api/workflow/events?after=latest", headers)
    console = SseReader(streams.port, "/api/queue/events?after=latest", headers)
    assert desk.status == console.status == 200
    assert hall.client.post("/api/queue/auth/logout", headers=headers).status_code == 204
    _revoked_within(desk, "session_ended")
    _revoked_within(console, "session_ended")
    error = _refused(streams, "/api/workflow/events", headers)
    assert error["code"] == "session_ended" and "masuk lagi" in error["message"]
    for reader in (desk, console):
        reader.close()
    # A fresh login may listen again.
    again = SseReader(streams.port, "/api/workflow/events?after=latest", hall.staff("kasi_pm"))
    assert again.status == 200
    again.close()


def test_deactivation_ends_the_officer_stream(hall: Hall, streams: StreamServer) -> None:
    token = hall.token("petugas3")
    headers = {"Authorization": f"Bearer {token}"}
    staff_id = hall.client.get("/api/queue/me", headers=headers).json["staff"]["id"]
    officer = SseReader(streams.port, "/api/queue/events?after=latest", headers)
    assert officer.status == 200
    done = hall.client.post(f"/api/queue/admin/staff/{staff_id}/deactivate",
                            headers=hall.staff("admin"))
    assert done.status_code == 200
    _revoked_within(officer, "inactive_staff")
    officer.close()
    assert _refused(streams, "/api/queue/events", headers)["code"] == "inactive_staff"


def test_a_revoked_tv_token_ends_its_streams_within_5_s(hall: Hall,
                                                        streams: StreamServer) -> None:
    admin = hall.staff("admin")
    tv = hall.client.post("/api/queue/admin/devices", headers=admin,
                          json={"kind": "display", "name": "TV Ruang Tunggu 2"}).json
    path = f"/api/queue/events?after=latest&token={tv['token']}"
    screens = [SseReader(streams.port, path) for _ in range(3)]  # one token, three screens
    assert [s.status for s in screens] == [200, 200, 200]
    other_tv = SseReader(streams.port,
                         f"/api/queue/events?after=latest&token={hall.demo['devices']['display']}")
    assert other_tv.status == 200
    revoked = hall.client.post(f"/api/queue/admin/devices/{tv['id']}/revoke", headers=admin)
    assert revoked.status_code == 200
    for screen in screens:
        _revoked_within(screen, "invalid_device_token")
        screen.close()
    assert _refused(streams, path)["code"] == "invalid_device_token"
    # The other TV keeps its stream: a call still reaches it.
    ticket = hall.issue("penerimaan-tamu")
    officer = hall.open_counter(1)
    called = hall.client.post(f"/api/queue/counters/{hall.counter_id(1)}/call-next",
                              headers=officer)
    assert called.status_code == 200 and called.json["id"] == ticket["id"]
    event = other_tv.wait_for(lambda e: e.get("event") == "ticket.called")
    assert event["data"]["ticket"]["id"] == ticket["id"]
    other_tv.close()
