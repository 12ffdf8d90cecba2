"""A live stream never skips an event, even when writers commit out of order."""

from __future__ import annotations

import random
import threading
import time

import pytest

from loket import events

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("how", ["record", "add_events"])
def test_stream_delivers_every_event_committed_by_concurrent_writers(db, redis_client,
                                                                   redis_url, how):
    """``record`` locks the stream mid-transaction; ``add_events`` (the queue's units of work)
    locks it with the first insert at the end. Both must commit ids in order."""
    import redis

    writers, per_writer = 8, 15
    expected: set[int] = set()
    lock = threading.Lock()
    received: list[int] = []
    stop = threading.Event()

    def reader() -> None:
        frames = events.iter_sse(db, lambda: redis.Redis.from_url(redis_url),
                                 events.STREAM_QUEUE, 0, keepalive=1.0, poll=0.05)
        for frame in frames:
            if frame.startswith("id: "):
                received.append(int(frame.split("\n", 1)[0][4:]))
            if stop.is_set():
                frames.close()
                return

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
    assert len(expected) == writers * per_writer
    assert sorted(set(received)) == sorted(expected), "the stream skipped events"
    assert len(received) == len(set(received)), "the stream sent an event twice"
