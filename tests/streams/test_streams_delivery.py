"""What a screen receives: calls, a bounded replay on resume, a reset when far behind, a
phone's own ticket and nobody else's data."""

from __future__ import annotations

from typing import Any

from loket.events import Publisher
from tests.queue.conftest import VALID_NIK, Hall
from tests.streams.stream_server import SseReader, StreamServer


def _tv(hall: Hall, server: StreamServer, **headers: str) -> SseReader:
    return SseReader(server.port, f"/api/queue/events?token={hall.demo['devices']['display']}",
                     headers)


def _call_next(hall: Hall, counter: int, headers: dict[str, str]) -> dict[str, Any]:
    resp = hall.client.post(f"/api/queue/counters/{hall.counter_id(counter)}/call-next",
                            headers=headers)
    assert resp.status_code == 200, resp.json
    return resp.json  # type: ignore[no-any-return]


def _is_call_of(number: str) -> Any:
    return lambda e: e.get("event") == "ticket.called" and e["data"]["ticket"]["number"] == number


def test_tv_receives_a_call_as_it_happens(hall: Hall, streams: StreamServer) -> None:
    tv = _tv(hall, streams)
    ticket = hall.issue("ektp")
    officer = hall.open_counter(2)
    _call_next(hall, 2, officer)
    called = tv.wait_for(_is_call_of(ticket["number"]))
    assert called["data"]["counter"]["number"] == 2
    tv.close()


def test_resume_close_behind_replays_exactly_what_was_missed(
        hall: Hall, start_streams: Any) -> None:
    server = start_streams(stream_replay_max=1000)
    first = hall.issue("ektp")
    Publisher.wait_all_idle()
    tv = _tv(hall, server)
    seen = tv.wait_for(lambda e: e["data"].get("ticket", {}).get("number") == first["number"])
    tv.close()
    missed = [hall.issue("ektp")["number"] for _ in range(3)]
    again = _tv(hall, server, **{"Last-Event-ID": seen["id"]})
    for number in missed:
        again.wait_for(lambda e, n=number: e["data"].get("ticket", {}).get("number") == n)
    assert all(e["event"] != "reset" for e in again.events)
    numbers = [e["data"]["ticket"]["number"] for e in again.events if "ticket" in e["data"]]
    assert numbers[:3] == missed  # in order, nothing twice, nothing before the resume point
    again.close()


def test_resume_far_behind_gets_reset_with_the_board_then_goes_on(
        hall: Hall, start_streams: Any) -> None:
    server = start_streams(stream_replay_max=5)
    officer = hall.open_counter(2)
    tickets = [hall.issue("ektp") for _ in range(8)]
    _call_next(hall, 2, officer)
    Publisher.wait_all_idle()
    tv = _tv(hall, server, **{"Last-Event-ID": "1"})
    reset = tv.wait_for(lambda e: e.get("event") == "reset")
    board = reset["data"]
    assert int(reset["id"]) == board["last_event_id"] > 5
    assert board["last_calls"][0]["number"] == tickets[0]["number"]
    assert {"counters", "waiting", "office"} <= set(board)
    assert not [e for e in tv.events if e.get("event") == "ticket.issued"]  # no history
    _call_next(hall, 3, hall.open_counter(3))
    tv.wait_for(_is_call_of(tickets[1]["number"]))
    tv.close()


def test_phone_sees_its_own_call_and_nobody_elses_personal_data(
        hall: Hall, streams: StreamServer) -> None:
    other = hall.issue("ektp", visitor={"name": "Siti Aminah", "nik": VALID_NIK,
                                        "phone": "081234567890", "consent": True})
    mine = hall.issue("ektp", visitor={"name": "Budi Santoso", "nik": VALID_NIK,
                                       "consent": True})
    phone = SseReader(streams.port, f"/api/queue/tickets/{mine['tracking_code']}/events")
    assert phone.status == 200
    officer = hall.open_counter(2)
    _call_next(hall, 2, officer)  # the other visitor first
    _call_next(hall, 3, hall.open_counter(3))
    own = phone.wait_for(_is_call_of(mine["number"]))
    assert own["data"]["ticket"]["id"] == mine["id"]
    seen_other = phone.wait_for(_is_call_of(other["number"]))
    assert set(seen_other["data"]["ticket"]) == {"number", "service"}  # what the TV shows
    everything = repr(phone.events)
    for private in ("Siti", "Budi", VALID_NIK, "081234567890", other["tracking_code"]):
        assert private not in everything
    assert not [e for e in phone.events if e["event"] == "ticket.issued"
                and e["data"]["ticket"].get("id") != mine["id"]]
    phone.close()


def test_phone_with_an_unknown_code_gets_401(streams: StreamServer) -> None:
    for code in ("ZZZZZZ", "not-a-code", "%00"):
        phone = SseReader(streams.port, f"/api/queue/tickets/{code}/events")
        assert phone.status in (401, 404), code
        phone.close()
