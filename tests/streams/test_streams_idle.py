"""A stream nobody listens to costs no database reads; the first listener still sees it right."""

from __future__ import annotations

import time
from typing import Any

from loket import events as ev
from loket.events import Publisher
from stream_service.app import HUB
from tests.queue.conftest import Hall
from tests.streams.stream_server import SseReader, StreamServer


def _feed(streams: StreamServer) -> dict[str, Any]:
    def state(app: Any) -> dict[str, Any]:
        feed = app[HUB].feeds[ev.STREAM_QUEUE]
        return {"head": feed.head, "stale": feed.stale, "entries": len(feed.entries),
                "listeners": feed.listeners}
    return streams.call(state)


def _reader(hall: Hall, streams: StreamServer, query: str = "") -> SseReader:
    token = hall.demo["devices"]["display"]
    return SseReader(streams.port, f"/api/queue/events?token={token}{query}")


def test_unwatched_stream_is_not_read_and_the_first_listener_catches_up(
        hall: Hall, streams: StreamServer) -> None:
    before = _feed(streams)
    start = hall.client.get("/api/queue/board").json["last_event_id"]
    issued = [hall.issue("ektp")["number"] for _ in range(3)]
    Publisher.wait_all_idle()
    time.sleep(0.3)  # the Redis wake-ups reach the hub
    idle = _feed(streams)
    assert idle["stale"] is True and idle["listeners"] == 0
    assert idle["head"] == before["head"] and idle["entries"] == 0  # nothing was read

    # Resuming from before the burst: the events come from the database, in order.
    resumed = _reader(hall, streams, f"&after={start}")
    assert resumed.status == 200
    resumed.wait_for(lambda e: sum("ticket" in x["data"] for x in resumed.events) >= 3)
    numbers = [e["data"]["ticket"]["number"] for e in resumed.events if "ticket" in e["data"]]
    assert numbers[:3] == issued
    watched = _feed(streams)
    assert watched["stale"] is False and watched["listeners"] == 1
    assert watched["head"] >= max(int(e["id"]) for e in resumed.events)

    # A listener from now on gets the next event only.
    now = hall.client.get("/api/queue/board").json["last_event_id"]
    live = _reader(hall, streams, f"&after={now}")
    assert live.status == 200
    nxt = hall.issue("kk")["number"]
    first = live.wait_for(lambda e: "ticket" in e["data"])
    assert first["data"]["ticket"]["number"] == nxt
    resumed.wait_for(lambda e: e["data"].get("ticket", {}).get("number") == nxt)
    for reader in (resumed, live):
        reader.close()

    # Both gone: wake-ups stop reading again.
    deadline = time.monotonic() + 5
    while _feed(streams)["listeners"] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _feed(streams)["listeners"] == 0
    head = _feed(streams)["head"]
    hall.issue("ektp")
    Publisher.wait_all_idle()
    time.sleep(0.3)
    assert _feed(streams)["head"] == head and _feed(streams)["stale"] is True


def test_the_hubs_column_read_frames_events_exactly_as_the_outbox_objects(hall: Hall,
                                                                          db) -> None:
    """The hub reads plain columns (its hot path); the frames equal ``Event.as_message``'s."""
    from concurrent.futures import ThreadPoolExecutor

    from stream_service.hub import Entry, Hub

    hall.issue("ektp")
    hall.issue("kk")
    Publisher.wait_all_idle()
    hub = Hub(db, lambda: None, ThreadPoolExecutor(1))
    try:
        fast = hub.read(ev.STREAM_QUEUE, 0)
    finally:
        hub.executor.shutdown()
    with db.read_session() as session:
        slow = [Entry.of(e) for e in ev.events_after(session, ev.STREAM_QUEUE, 0)]
    assert len(fast) >= 2
    assert [(e.id, e.type, e.frame) for e in fast] == [(e.id, e.type, e.frame) for e in slow]
    assert hub.read(ev.STREAM_QUEUE, fast[0].id, limit=1)[0].id == fast[1].id
