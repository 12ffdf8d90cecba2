"""Per-stream transaction locks: the ids of one stream commit in order (PostgreSQL)."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from loket.events.names import STREAM_QUEUE, STREAM_WORKFLOW

STREAM_LOCKS = {STREAM_QUEUE: 0x4C4F4B01, STREAM_WORKFLOW: 0x4C4F4B02}


def lock_stream(session: Session, stream: str) -> None:
    """Take the stream's transaction lock (PostgreSQL; a no-op elsewhere). Re-entrant.

    Deadlock-free as long as a transaction takes no row lock after it: :func:`record` callers
    take it before their row locks, :func:`add_events` after all of them.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                        {"key": STREAM_LOCKS.get(stream, 0x4C4F4B00)})
