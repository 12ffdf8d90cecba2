"""Which call an announcement speaks: only calls the queue really made (issue #17, "Voice").

``GET /display/announce.wav?call=ID`` names the call by its own id, the id of the queue's
``ticket.called`` / ``ticket.recalled`` event in the outbox (the id the TV receives with the
call). Anything else is 404, so the LAN cannot make the hall synthesise speech for made-up
numbers and counters. The old form ``?number=C007&counter=2[&recall=1]`` still works, but only
when it matches a call of the last :data:`RECENT` (one service day).

The display reads the outbox table (``loket.events``) directly; it imports no service.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from sqlalchemy import select

from display.params import InvalidParameter, parse_announce
from loket import events as ev
from loket.db import Database, utcnow
from loket.errors import NotFound

RECENT = dt.timedelta(hours=12)
RECENT_CALLS_SCANNED = 1000  # a busy hall makes a few hundred calls a day
MAX_ID = 2**63 - 1  # what the parameter accepts
MAX_EVENT_ID = 2**31 - 1  # the outbox's id column (INTEGER): a larger id names no call
CALL_TYPES = (ev.TICKET_CALLED, ev.TICKET_RECALLED)


class CallNotFound(NotFound):
    code = "call_not_found"

    def __init__(self) -> None:
        super().__init__("Panggilan tidak ditemukan.", field="call")


@dataclass(frozen=True)
class Call:
    event_id: int
    number: str
    counter: int
    recall: bool


def parse_call_id(raw: str) -> int:
    text = raw.strip()
    if (len(text) > 19 or not text.isascii() or not text.isdigit()
            or not 1 <= int(text) <= MAX_ID):
        raise InvalidParameter("call", "invalid_call",
                               "Nomor panggilan tidak valid: harus angka bulat positif.")
    return int(text)


def _as_call(event: ev.Event) -> Call | None:
    ticket = event.payload.get("ticket") or {}
    counter = event.payload.get("counter") or {}
    number, counter_number = ticket.get("number"), counter.get("number")
    if not isinstance(number, str) or not isinstance(counter_number, int):
        return None
    return Call(event.id, number, counter_number, event.type == ev.TICKET_RECALLED)


def call_by_id(db: Database, event_id: int) -> Call | None:
    if event_id > MAX_EVENT_ID:
        return None
    with db.read_session() as session:
        event = session.get(ev.Event, event_id)
        if event is None or event.stream != ev.STREAM_QUEUE or event.type not in CALL_TYPES:
            return None
        return _as_call(event)


def recent_call(db: Database, number: str, counter: int,
                now: dt.datetime | None = None) -> Call | None:
    """The newest call of ``number`` to counter ``counter`` within :data:`RECENT`."""
    since = (now or utcnow()) - RECENT
    with db.read_session() as session:
        events = session.scalars(
            select(ev.Event).where(ev.Event.stream == ev.STREAM_QUEUE,
                                   ev.Event.type.in_(CALL_TYPES), ev.Event.created_at >= since)
            .order_by(ev.Event.id.desc()).limit(RECENT_CALLS_SCANNED))
        for event in events:
            call = _as_call(event)
            if call is not None and call.number == number and call.counter == counter:
                return call
    return None


def requested_call(database: Callable[[], Database], args: Mapping[str, str]) -> Call:
    """The call a request names: ``?call=ID``, or a recent call matching ``number``/``counter``.

    Malformed parameters: 422 naming the field (before any database read). No such call: 404.
    """
    raw_id = args.get("call")
    if raw_id is not None:
        call = call_by_id(database(), parse_call_id(raw_id))
        if call is None:
            raise CallNotFound()
        return call
    wanted = parse_announce(args)
    found = recent_call(database(), wanted.number, wanted.counter)
    if found is None:
        raise CallNotFound()
    return Call(found.event_id, found.number, found.counter, wanted.recall)
