"""A live stream never skips an event, even when writers commit out of order.

Read as a TV reads it: through the stream process (its one Redis subscription and its ring).
"""

from __future__ import annotations

import random
import threading
import time

import pytest

from loket import events
from tests.queue.conftest import Hall
from tests.streams.stream_server import SseReader, StreamServer

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("how", ["record", "add_events"])
def test_stream_delivers_every_event_committed_by_concurrent_writers(
        hall: Hall, streams: StreamServer, db, redis_client, how: str) -> None:
    """``record`` locks the stream mid-transaction; ``add_events`` (the queue's units of work)
    locks it with the first insert at the end. Both must commit ids in order."""
    writers, per_writer = 8, 15
    expected: set[int] = set()
    lock = threading.Lock()
    received: list[int] = []
    stop = threading.Event()

    start = hall.client.get("/api/queue/board").json["last_event_id"]
    token = hall.demo["devices"]["display"]
    sse = SseReader(streams.port, f"/api/queue/events?token={token}&after={start}")
    assert sse.status == 200

    def reader() -> None:
        seen = 0
        while not stop.is_set():
            try:
                sse.wait_for(lambda e: False, timeout=0.2)
            except AssertionError:
                pass  # no event matches "False": it only pumps what has arrived
            except OSError:
                return
            for event in sse.events[seen:]:
                if event.get("event") == events.TICKET_CALLED:
                    received.append(int(event["id"]))
            seen = len(sse.events)

    def writer(seed: int) -> None:
        rng = random.Random(seed)
        for _ in range(per_writer):
            with db.session() as session:
                payload = {"ticket": {"id": seed, "number": "C001"}}
                if how == "record":
                    event = events.record(session, events.STREAM_QUEUE, events.TICKET_CALLED,
                                          payload)
                    session.flush()
                else:
                    event = events.new_event(events.STREAM_QUEUE, events.TICKET_CALLED, payload)
                    events.add_events(session, events.STREAM_QUEUE, [event])
                # Hold the transaction open a while after drawing the id: later ids of other
                # writers may commit first.
                time.sleep(rng.uniform(0, 0.02))
                event_id = event.id
            with lock:
                expected.add(event_id)
            events.publish_after_commit(db, redis_client, [event_id])

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    threads = [threading.Thread(target=writer, args=(i,)) for i in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    deadline = time.monotonic() + 15
    while set(received) != expected and time.monotonic() < deadline:
        time.sleep(0.05)
    stop.set()
    thread.join(5)
    sse.close()
    assert len(expected) == writers * per_writer
    assert sorted(set(received)) == sorted(expected), "the stream skipped events"
    assert len(received) == len(set(received)), "the stream sent an event twice"
