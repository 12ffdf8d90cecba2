"""Server-Sent Events: frames of one stream read from the database, woken by Redis."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator
from typing import Any

from loket.db import Database
from loket.events.names import CHANNEL_PREFIX
from loket.events.outbox import Event, events_after

logger = logging.getLogger("loket.events")

def sse_format(event: Event) -> str:
    data = json.dumps(event.as_message(), ensure_ascii=False, separators=(",", ":"))
    return f"id: {event.id}\nevent: {event.type}\ndata: {data}\n\n"


def wait_for_wakeup(pubsub: Any, timeout: float, drain: int = 1000) -> bool:
    """Block until a Redis message arrives or ``timeout`` passes; False if Redis is down.

    Messages that are already waiting are drained too: the caller reads every new row from the
    database in one query, however many wake-ups a burst of events sent.
    """
    try:
        message = pubsub.get_message(ignore_subscribe_messages=True, timeout=timeout)
        if message is None:
            return False
        for _ in range(drain):
            if pubsub.get_message(ignore_subscribe_messages=True, timeout=0) is None:
                break
        return True
    except Exception:  # Redis went away: the caller falls back to polling the database
        return False


def iter_sse(db: Database, redis_factory: Any, stream: str, after_id: int, *,
             keepalive: float = 15.0, poll: float = 1.0,
             types: Iterable[str] | None = None,
             accept: Any = None) -> Iterator[str]:
    """Yield SSE frames for ``stream`` after ``after_id`` forever.

    Reads rows from the database (the source of truth). Redis pub/sub only shortens the wait;
    when Redis is down it polls every ``poll`` seconds.
    """
    import time

    pubsub = None
    last_sent = time.monotonic()
    try:
        yield "retry: 2000\n\n"
        while True:
            if pubsub is None:
                try:
                    pubsub = redis_factory().pubsub(ignore_subscribe_messages=True)
                    pubsub.subscribe(CHANNEL_PREFIX + stream)
                except Exception:
                    pubsub = None
            with db.read_session() as session:
                batch = events_after(session, stream, after_id, types=types)
            for event in batch:
                after_id = event.id
                if accept is None or accept(event):
                    yield sse_format(event)
                    last_sent = time.monotonic()
            if batch and len(batch) >= 500:
                continue
            if time.monotonic() - last_sent >= keepalive:
                yield ": keepalive\n\n"
                last_sent = time.monotonic()
            if pubsub is not None:
                woke = wait_for_wakeup(pubsub, poll if batch else min(keepalive, 5.0))
                if not woke:
                    try:
                        pubsub.ping()
                    except Exception:
                        _close(pubsub)
                        pubsub = None
            else:
                time.sleep(poll)
    finally:  # the client went away (GeneratorExit) or the server stops
        if pubsub is not None:
            _close(pubsub)


def _close(pubsub: Any) -> None:
    try:
        pubsub.close()
    except Exception:
        logger.debug("closing a pub/sub connection failed", exc_info=True)
