"""Streams under load and failure: 200 open screens beside kiosks and counters; a killed
stream process loses no call."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from loket.events import Publisher
from tests.hall_server import RestartableServer
from tests.queue.conftest import Hall
from tests.streams.stream_server import SseReader
from tests.support import free_port, wait_for_port


@pytest.fixture
def front_door(hall: Hall, start_streams: Any) -> Iterator[Any]:
    """The embedded hall's shape: the stream process in front, the threaded web app behind."""
    web = RestartableServer(hall.app).start()
    try:
        yield start_streams(upstream=web.base_url, stream_max_per_address=500)
    finally:
        web.stop()


def test_200_open_streams_do_not_stop_kiosks_and_counters(hall: Hall, front_door: Any) -> None:
    token = hall.demo["devices"]["display"]
    screens = [SseReader(front_door.port, f"/api/queue/events?after=latest&token={token}")
               for _ in range(200)]
    assert {s.status for s in screens} == {200}
    base = front_door.base_url + "/api/queue"
    slowest = 0.0
    with httpx.Client(timeout=10) as client:
        numbers = []
        for _ in range(20):  # the kiosk keeps issuing, through the same front door
            started = time.monotonic()
            resp = client.post(f"{base}/tickets", json={"service": "ektp"}, headers=hall.kiosk)
            slowest = max(slowest, time.monotonic() - started)
            assert resp.status_code == 201, resp.text
            numbers.append(resp.json()["number"])
        officer = hall.staff("petugas2")
        counter = hall.counter_id(2)
        assert client.post(f"{base}/counters/{counter}/open", headers=officer).status_code == 200
        started = time.monotonic()
        called = client.post(f"{base}/counters/{counter}/call-next", headers=officer)
        slowest = max(slowest, time.monotonic() - started)
        assert called.status_code == 200, called.text
        assert client.get(f"{front_door.base_url}/healthz").status_code in (200, 404)
    assert slowest < 2.0, f"a kiosk or counter request took {slowest:.2f}s"
    for screen in screens:  # every screen gets the call
        screen.wait_for(lambda e: e.get("event") == "ticket.called"
                        and e["data"]["ticket"]["number"] == numbers[0])
        screen.close()


def _start_stream_process(port: int) -> subprocess.Popen[bytes]:
    loket = Path(sys.executable).with_name("loket")
    proc = subprocess.Popen([str(loket), "streams", "--bind", f"127.0.0.1:{port}"],
                            env=dict(os.environ), stdout=subprocess.DEVNULL)
    wait_for_port(port, timeout=60)  # a cold start imports the whole server: slow under load
    assert proc.poll() is None, "the stream process exited"
    return proc


def test_killing_the_stream_process_loses_no_call(hall: Hall) -> None:
    port = free_port()
    token = hall.demo["devices"]["display"]
    proc = _start_stream_process(port)
    try:
        # The real process (uvloop, frames pushed to the sockets) at a lower CPU priority than
        # the web workers: kiosks and counters first (LOKET_STREAM_NICE, default 5).
        ours = os.getpriority(os.PRIO_PROCESS, 0)
        assert os.getpriority(os.PRIO_PROCESS, proc.pid) == min(19, ours + 5)
        tv = SseReader(port, f"/api/queue/events?token={token}")
        first = hall.issue("ektp")
        seen = tv.wait_for(lambda e: e["data"].get("ticket", {}).get("number") == first["number"])
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        officer = hall.open_counter(2)  # the call happens while the stream process is dead
        resp = hall.client.post(f"/api/queue/counters/{hall.counter_id(2)}/call-next",
                                headers=officer)
        assert resp.status_code == 200
        Publisher.wait_all_idle()
        with pytest.raises(ConnectionError):
            tv.wait_for(lambda e: False, timeout=5)
        proc = _start_stream_process(port)
        again = SseReader(port, f"/api/queue/events?token={token}",
                          {"Last-Event-ID": seen["id"]})  # what the TV's browser sends
        called = again.wait_for(lambda e: e.get("event") == "ticket.called")
        assert called["data"]["ticket"]["number"] == first["number"]
        again.close()
    finally:
        proc.kill()
        proc.wait(10)
