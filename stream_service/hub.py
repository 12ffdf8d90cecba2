"""One process-wide view of each event stream, fed by ONE Redis subscription, read by all clients.

The hub keeps, per stream, the most recent events (already formatted as SSE frames) in a ring.
A Redis message on ``loket:events:<stream>`` is a wake-up: the hub reads the new rows from the
database once (the outbox is the truth, so a lost or doubled message changes nothing) and, at
the end of the wake-up window, pushes the new frames to every client parked on that stream
(:class:`Feed`). Each client holds only a cursor into the ring.

A stream nobody listens to is not read at all: its wake-ups only mark it stale, and the first
client to attach moves the feed to the stream's last id (older resumes read the database, as
for any cursor behind the ring). Reading every event of an unwatched stream cost the stream
process about 1 ms of CPU per event on the benchmark machine (docs/benchmarks.md, round 2).
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import json
import logging
from collections import deque
from collections.abc import Callable
from concurrent.futures import Executor
from typing import Any, Protocol, TypeVar

from sqlalchemy import bindparam, select

from loket import events as ev
from loket.db import Database

logger = logging.getLogger(__name__)

T = TypeVar("T")

RING_SIZE = 2000  # recent events kept per stream; older resumes read the database
# Clients of a stream are woken at most this often: the first event after a quiet spell goes
# out at once, events arriving within the window go out together at its end (one wake-up and
# one socket write per client instead of one per event; docs/benchmarks.md, live streams).
WAKE_WINDOW_SECONDS = 0.1
# A call is what a waiting room watches for: it goes out within WAKE_WINDOW_SECONDS however
# many screens listen. Other events (a ticket issued, a counter's state) ride a window that
# grows with the clients, so that the socket writes stay under PUSH_WRITES_PER_SECOND: each
# write is a send() whose kernel work (on loopback, the receiver's too) is most of a wake-up's
# cost. 5,000 parked clients: 500 ms; never more than MAX_WINDOW_SECONDS.
URGENT_TYPES = frozenset({ev.TICKET_CALLED, ev.TICKET_RECALLED})
PUSH_WRITES_PER_SECOND = 10_000
MAX_WINDOW_SECONDS = 1.0
READ_BATCH = 500
SAFETY_POLL_SECONDS = 5.0  # re-read even without a wake-up (a Redis message can be lost)
DOWN_POLL_SECONDS = 1.0  # Redis away: poll the database this often
STREAMS = (ev.STREAM_QUEUE, ev.STREAM_WORKFLOW)


def frame(event_id: int, type_: str, message: dict[str, Any]) -> bytes:
    data = json.dumps(message, ensure_ascii=False, separators=(",", ":"))
    return f"id: {event_id}\nevent: {type_}\ndata: {data}\n\n".encode()


@dataclasses.dataclass(slots=True)
class Entry:
    """One event as every client of the stream receives it, encoded once."""

    id: int
    type: str
    message: dict[str, Any]
    frame: bytes
    public: bytes | None = None  # the board's view of it (phones), made on first use

    @classmethod
    def of(cls, event: ev.Event) -> Entry:
        message = event.as_message()
        return cls(event.id, event.type, message, frame(event.id, event.type, message))

    @classmethod
    def of_row(cls, event_id: int, type_: str, payload: dict[str, Any],
               created_at: dt.datetime) -> Entry:
        """The same as :meth:`of` (``Event.as_message``), from the columns alone."""
        message = {"id": event_id, "type": type_, "at": created_at.isoformat(), **payload}
        return cls(event_id, type_, message, frame(event_id, type_, message))


# The hub's one hot read: plain columns, no ORM identity map (a third of the CPU of loading
# Event objects; it runs once per wake-up, i.e. about once per event in a busy hall).
_EVENTS_AFTER = (select(ev.Event.id, ev.Event.type, ev.Event.payload, ev.Event.created_at)
                 .where(ev.Event.stream == bindparam("stream"), ev.Event.id > bindparam("after"))
                 .order_by(ev.Event.id).limit(bindparam("limit")))


class Waiter(Protocol):
    """A parked client (``StreamSession``): the feed calls :meth:`push` on each wake-up."""

    def push(self) -> None:
        """Send what is due now without awaiting, or wake the client's own task to do it."""


class Feed:
    """The recent events of one stream: complete for every id in (``floor``, ``head``].

    A wake-up does not wake a task per client: the feed calls ``push`` on every parked client
    in one pass, and each writes its (shared) bytes straight to its socket. Only a client
    that needs an await (a catch-up read, a reset, a full socket, a revoked token) is woken.
    At 5,000 TVs a wake-up per client task was most of the stream process's loop time
    (docs/benchmarks.md, live streams).
    """

    def __init__(self, stream: str, head: int, size: int = RING_SIZE,
                 window: float = WAKE_WINDOW_SECONDS) -> None:
        self.stream = stream
        self.size = size
        self.window = window
        self.last_wake = float("-inf")
        self._joined: dict[tuple[Any, int, bool], tuple[bytes, int]] = {}  # see frames_for
        self._wake_pending: asyncio.TimerHandle | None = None
        self.entries: deque[Entry] = deque()
        self.floor = head
        self.head = head
        self.parked: dict[Waiter, None] = {}  # clients waiting for the next wake-up, in order
        self.listeners = 0  # clients attached (Hub.attach); none: wake-ups only mark it stale
        self.stale = False
        self.restarting: asyncio.Future[None] | None = None

    def restart(self, head: int) -> None:
        """Forget the ring and go on from ``head`` (the stream's last id, read just now)."""
        self.entries.clear()
        self._joined.clear()
        self.head = max(head, self.head)
        self.floor = self.head

    def extend(self, entries: list[Entry]) -> None:
        fresh = [e for e in entries if e.id > self.head]
        if not fresh:
            return
        self.entries.extend(fresh)
        self._joined.clear()
        self.head = fresh[-1].id
        while len(self.entries) > self.size:
            self.floor = self.entries.popleft().id
        loop = asyncio.get_running_loop()
        urgent = any(e.type in URGENT_TYPES for e in fresh)
        due = self.last_wake + (self.window if urgent else self.current_window())
        pending = self._wake_pending
        if pending is not None:
            if pending.when() <= due:
                return  # a wake-up is already due by then
            pending.cancel()  # a call: sooner than the window of the rest
        if due <= loop.time():
            self._wake()
        else:
            self._wake_pending = loop.call_at(due, self._wake)

    def current_window(self) -> float:
        """The window of events that are not calls: the base, longer when the parked clients
        are many."""
        return min(MAX_WINDOW_SECONDS,
                   max(self.window, len(self.parked) / PUSH_WRITES_PER_SECOND))

    def park(self, waiter: Waiter) -> None:
        self.parked[waiter] = None

    def unpark(self, waiter: Waiter) -> None:
        self.parked.pop(waiter, None)

    def _wake(self) -> None:
        self._wake_pending = None
        self.last_wake = asyncio.get_running_loop().time()
        for waiter in list(self.parked):  # a push may unpark (and so change the dict)
            try:
                waiter.push()
            except Exception:  # one broken client must not keep the rest from their events
                logger.exception("stream hub: pushing to a client failed")
                self.unpark(waiter)

    def frames_for(self, cursor: int, accept: Callable[[Entry], bytes | None],
                   chunked: bool = False) -> tuple[bytes, int] | None:
        """What a client at ``cursor`` is sent next (the joined frames ``accept`` lets through)
        and its new cursor; None when the ring no longer reaches back that far. Clients of one
        audience (``accept.audience``) at one cursor share the bytes: computed once per change
        of the ring, not once per client. ``chunked``: framed as one HTTP/1.1 chunk (what a
        push writes straight to the socket); empty stays empty."""
        audience = getattr(accept, "audience", None)
        key = (audience, cursor, chunked)
        if audience is not None:
            hit = self._joined.get(key)
            if hit is not None:
                return hit
        batch = self.since(cursor)
        if batch is None:
            return None
        data = b"".join(f for f in map(accept, batch) if f is not None)
        if chunked and data:
            data = b"%x\r\n%b\r\n" % (len(data), data)
        found = (data, batch[-1].id if batch else cursor)
        if audience is not None:
            self._joined[key] = found
        return found

    def since(self, cursor: int) -> list[Entry] | None:
        """Events after ``cursor``; None when the ring no longer reaches back that far."""
        if cursor < self.floor:
            return None
        out: list[Entry] = []
        for entry in reversed(self.entries):
            if entry.id <= cursor:
                break
            out.append(entry)
        out.reverse()
        return out


class Hub:
    def __init__(self, db: Database, redis_factory: Callable[[], Any], executor: Executor,
                 ring_size: int = RING_SIZE) -> None:
        self.db = db
        self.redis_factory = redis_factory
        self.executor = executor
        self.ring_size = ring_size
        self.feeds: dict[str, Feed] = {}
        self.source: Any = None  # what a reset shows (the queue's board); see sources.py
        self.redis_up = False
        self._reading: dict[str, bool] = {}
        self._again: dict[str, bool] = {}
        self._tasks: list[asyncio.Task[None]] = []
        self._refreshing: set[asyncio.Task[None]] = set()

    async def run_blocking(self, fn: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self.executor, fn, *args)

    async def start(self) -> None:
        for stream in STREAMS:
            head = await self.run_blocking(self._last_id, stream)
            self.feeds[stream] = Feed(stream, head, self.ring_size)
        self._tasks = [asyncio.create_task(self._listen(), name="hub-listen"),
                       asyncio.create_task(self._poll(), name="hub-poll")]

    async def stop(self) -> None:
        tasks = [*self._tasks, *self._refreshing]
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.wait(tasks, timeout=2.0)
        self.executor.shutdown(wait=False, cancel_futures=True)

    def _last_id(self, stream: str) -> int:
        with self.db.read_session() as session:
            return ev.last_event_id(session, stream)

    def read(self, stream: str, after: int, limit: int = READ_BATCH) -> list[Entry]:
        """Blocking: the stream's rows after ``after`` (on the executor)."""
        with self.db.read_engine.connect() as conn:
            rows = conn.execute(_EVENTS_AFTER, {"stream": stream, "after": after,
                                                "limit": limit}).all()
        return [Entry.of_row(*row) for row in rows]

    async def attach(self, stream: str) -> Feed:
        """A client starts listening: a stale feed first moves to the stream's last id."""
        feed = self.feeds[stream]
        feed.listeners += 1
        try:
            if feed.stale:
                if feed.restarting is None:
                    feed.restarting = asyncio.ensure_future(self._restart(feed))
                await asyncio.shield(feed.restarting)
        except BaseException:  # the database is away, or the client left: not attached
            feed.listeners -= 1
            raise
        return feed

    def detach(self, stream: str) -> None:
        self.feeds[stream].listeners -= 1

    async def _restart(self, feed: Feed) -> None:
        try:
            head = await self.run_blocking(self._last_id, feed.stream)
            feed.stale = False
            feed.restart(head)
        finally:
            feed.restarting = None
        self.wake(feed.stream)  # anything committed since the last id was read

    def wake(self, stream: str) -> None:
        """Read the stream's new rows soon; wake-ups during a read fold into one more read.

        Nobody listening: nothing is read, the feed is only marked stale (see :meth:`attach`).
        """
        feed = self.feeds.get(stream)
        if feed is None:
            return
        if feed.listeners <= 0:
            feed.stale = True
            return
        if self._reading.get(stream):
            self._again[stream] = True
            return
        self._reading[stream] = True
        task = asyncio.get_running_loop().create_task(self._refresh(stream))
        self._refreshing.add(task)
        task.add_done_callback(self._refreshing.discard)

    async def _refresh(self, stream: str) -> None:
        feed = self.feeds[stream]
        try:
            while True:
                self._again[stream] = False
                try:
                    batch = await self.run_blocking(self.read, stream, feed.head)
                except Exception as exc:  # database away: the next wake-up or poll retries
                    logger.warning("stream hub: reading %s failed: %s", stream,
                                   type(exc).__name__)
                    return
                feed.extend(batch)
                if len(batch) < READ_BATCH and not self._again[stream]:
                    return
        finally:
            self._reading[stream] = False

    async def _listen(self) -> None:
        """The one Redis subscription of this process; reconnects while Redis is away."""
        channels = {ev.CHANNEL_PREFIX + s: s for s in STREAMS}
        backoff = 0.5
        while True:
            client = None
            try:
                client = self.redis_factory()
                pubsub = client.pubsub(ignore_subscribe_messages=True)
                await pubsub.subscribe(*channels)
                self.redis_up, backoff = True, 0.5
                for stream in STREAMS:  # catch up on what happened while unsubscribed
                    self.wake(stream)
                async for message in pubsub.listen():
                    if message.get("type") == "message":
                        self.wake(channels.get(_text(message.get("channel")), ""))
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                if self.redis_up:
                    logger.warning("stream hub: Redis subscription lost: %s", type(exc).__name__)
                self.redis_up = False
            finally:
                if client is not None:
                    await _aclose(client)
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, 5.0)

    async def _poll(self) -> None:
        while True:
            await asyncio.sleep(SAFETY_POLL_SECONDS if self.redis_up else DOWN_POLL_SECONDS)
            for stream in STREAMS:
                self.wake(stream)


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value or "")


async def _aclose(client: Any) -> None:
    try:
        async with asyncio.timeout(1.0):
            await client.aclose()
    except Exception:
        logger.debug("closing the Redis client failed", exc_info=True)
