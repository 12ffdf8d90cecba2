"""The workflow's outboxes (escalation notifications, answers to complaints, "berkas siap
diambil") are delivered the same way: leased, sent with no session open, recorded.

On SQLite a write session is the one write lock every kiosk and counter waits for, and a send
(SMTP or a gateway) may take up to its 10 s timeout. So each row is leased by a conditional
update in one short write (two workers never send the same row; a worker that dies mid-send
leaves a lease that expires), the send runs outside any session, and its result is a second
short write.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import select, update
from sqlalchemy.orm import Session

LEASE = dt.timedelta(minutes=5)

Job = TypeVar("Job")


def deliver_due(session_factory: Callable[[], Any], model: Any, now: dt.datetime, limit: int, *,
                load: Callable[[Session, int], Job], send: Callable[[Job], None],
                record: Callable[[Session, int, Exception | None], str]) -> dict[str, int]:
    """Deliver ``model``'s pending rows that are due (``id``, ``status``, ``next_attempt_at``).

    ``load`` reads what the send needs inside the lease's write (detached from the session);
    ``send`` delivers it with no session open; ``record`` writes the outcome and names it:
    ``sent``, ``failed`` (retried later) or ``parked``."""
    counts = {"sent": 0, "failed": 0, "parked": 0}
    with session_factory() as session:
        due = list(session.execute(
            select(model.id, model.next_attempt_at)
            .where(model.status == "pending", model.next_attempt_at <= now)
            .order_by(model.id).limit(limit)).all())
    for row_id, lease_from in due:
        with session_factory() as session:
            won = session.execute(
                update(model)
                .where(model.id == row_id, model.status == "pending",
                       model.next_attempt_at == lease_from)
                .values(next_attempt_at=now + LEASE)).rowcount
            job = load(session, row_id) if won else None
        if not won:
            continue
        error: Exception | None = None
        try:  # outside any session
            send(job)  # type: ignore[arg-type]
        except Exception as exc:  # noqa: BLE001 - any failure is retried, then parked
            error = exc
        with session_factory() as session:
            counts[record(session, row_id, error)] += 1
    return counts
