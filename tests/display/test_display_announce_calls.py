"""Announcements only for real calls (issue #17, "Voice").

The whole hall (queue, display) on one database: an officer calls a ticket through the real
queue API, and ``/display/announce.wav?call=ID`` speaks that call. A made-up id, an id that is
not a call, a number or counter the hall never called, or a call older than a service day get
404 and cost no synthesis: the LAN cannot fill the CPU and the disk with made-up calls.
"""

from __future__ import annotations

import io
import wave
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from loket import events as ev
from tests.display.conftest import HallQueue

pytestmark = pytest.mark.integration


@pytest.fixture
def hall(settings, db, tmp_path: Path, monkeypatch) -> Iterator[tuple[HallQueue, httpx.Client]]:
    """The hall's WSGI app (no server needed): the queue API and the display, seeded."""
    from loket.wsgi import create_hall_app
    from queue_service.seed import seed_demo

    monkeypatch.setenv("LOKET_VOICE_CACHE_DIR", str(tmp_path / "voice-cache"))
    demo = seed_demo(settings)
    client = httpx.Client(transport=httpx.WSGITransport(app=create_hall_app(settings)),
                          base_url="http://hall", timeout=30)
    try:
        yield HallQueue("http://hall", demo, client), client
    finally:
        client.close()


def seconds(data: bytes) -> float:
    with wave.open(io.BytesIO(data), "rb") as w:
        return w.getnframes() / w.getframerate()


def cache_files(tmp_path: Path) -> int:
    folder = tmp_path / "voice-cache"
    return len(list(folder.glob("*.wav"))) if folder.exists() else 0


def test_a_real_call_is_spoken_by_its_own_id(hall):
    queue, client = hall
    queue.issue("ektp")
    queue.open_counter(2)
    called = queue.call_next(2)
    last = queue.board()["last_calls"][0]
    assert (last["number"], last["counter_number"]) == (called["number"], 2)

    response = client.get(f"/display/announce.wav?call={last['event_id']}")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "audio/wav"
    once = seconds(response.content)
    assert once > 3.0

    # A recall is a call of its own (its own event id) and repeats the phrase.
    queue.ticket_action(called["id"], "recall", 2)
    recall = queue.board()["last_calls"][0]
    assert recall["recall"] and recall["event_id"] > last["event_id"]
    again = client.get(f"/display/announce.wav?call={recall['event_id']}")
    assert again.status_code == 200
    assert seconds(again.content) > once + 1.5


def test_made_up_calls_are_404_and_cost_no_synthesis(hall, db, tmp_path):
    queue, client = hall
    issued = queue.issue("ektp")
    queue.open_counter(2)
    queue.call_next(2)
    call_id = queue.board()["last_calls"][0]["event_id"]
    with db.read_session() as session:
        issued_event = session.query(ev.Event).filter(ev.Event.type == ev.TICKET_ISSUED).one()
    before = cache_files(tmp_path)

    for query in (f"call={call_id + 1000}",  # no such event
                  f"call={issued_event.id}",  # an event, but not a call
                  "call=2147483648",  # beyond the id column (INTEGER) on PostgreSQL
                  "call=9223372036854775807",  # the largest id the parameter takes
                  f"number={issued['number']}&counter=3",  # the right number, another counter
                  "number=Z999&counter=2",  # a number the hall never called
                  "number=A12345&counter=7"):
        response = client.get(f"/display/announce.wav?{query}")
        assert response.status_code == 404, query
        error = response.json()["error"]
        assert (error["code"], error["field"]) == ("call_not_found", "call")
        assert error["message"] == "Panggilan tidak ditemukan."
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert cache_files(tmp_path) == before  # nothing was synthesised for them


@pytest.mark.parametrize("raw", ["abc", "0", "-1", "1.5", "9223372036854775808", "9" * 5000])
def test_a_malformed_call_id_is_422_naming_the_field(hall, raw):
    _, client = hall
    response = client.get("/display/announce.wav", params={"call": raw})
    assert response.status_code == 422
    error = response.json()["error"]
    assert (error["code"], error["field"]) == ("invalid_call", "call")
    assert "tidak valid" in error["message"]


def test_the_old_query_form_works_only_for_a_recent_real_call(hall, record_call):
    queue, client = hall
    issued = queue.issue("ektp")
    queue.open_counter(2)
    queue.call_next(2)
    old_form = client.get(f"/display/announce.wav?number={issued['number']}&counter=2")
    assert old_form.status_code == 200
    assert old_form.headers["content-type"] == "audio/wav"
    recall = client.get(f"/display/announce.wav?number={issued['number']}&counter=2&recall=1")
    assert recall.status_code == 200
    assert seconds(recall.content) > seconds(old_form.content) + 1.5

    # A call of yesterday (13 hours ago): not by number and counter any more, still by its id.
    stale = record_call("D777", 4, age_hours=13)
    assert client.get("/display/announce.wav?number=D777&counter=4").status_code == 404
    assert client.get(f"/display/announce.wav?call={stale}").status_code == 200
