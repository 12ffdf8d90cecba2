"""How many tickets wait in each line, kept by the database in the same transaction.

``queue_line`` holds, per service and day, the number of waiting tickets of each kind
(``R`` returning, ``P`` priority, ``N`` regular). Triggers on ``queue_ticket`` keep it exact on
every insert, update and delete, whichever code path changes a ticket, so issuing reads who is
ahead of a new regular ticket from at most three rows instead of counting the line.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DDL, Date, Integer, String, bindparam, event, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from loket.db import Base


class QueueLine(Base):
    __tablename__ = "queue_line"

    service_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    service_day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    kind: Mapped[str] = mapped_column(String(1), primary_key=True)
    waiting: Mapped[int] = mapped_column(Integer, default=0)


def _kind(row: str) -> str:
    return (f"CASE WHEN {row}.is_returning THEN 'R' WHEN {row}.priority IS NOT NULL THEN 'P' "
            "ELSE 'N' END")


_PLUS = ("INSERT INTO queue_line (service_id, service_day, kind, waiting) "
         "{values} ON CONFLICT (service_id, service_day, kind) "
         "DO UPDATE SET waiting = queue_line.waiting + 1")
_MINUS = ("UPDATE queue_line SET waiting = waiting - 1 WHERE service_id = OLD.service_id "
          f"AND service_day = OLD.service_day AND kind = {_kind('OLD')}")
_CHANGED = ("(OLD.status IS NOT NEW.status OR OLD.service_id IS NOT NEW.service_id OR "
            "OLD.service_day IS NOT NEW.service_day OR OLD.is_returning IS NOT NEW.is_returning"
            " OR OLD.priority IS NOT NEW.priority) AND "
            "(OLD.status = 'waiting' OR NEW.status = 'waiting')")

SQLITE = [
    "CREATE TRIGGER queue_line_insert AFTER INSERT ON queue_ticket "
    "WHEN NEW.status = 'waiting' BEGIN "
    + _PLUS.format(values=f"VALUES (NEW.service_id, NEW.service_day, {_kind('NEW')}, 1)")
    + "; END",
    f"CREATE TRIGGER queue_line_update AFTER UPDATE ON queue_ticket WHEN {_CHANGED} BEGIN "
    f"{_MINUS} AND OLD.status = 'waiting'; "
    + _PLUS.format(values=f"SELECT NEW.service_id, NEW.service_day, {_kind('NEW')}, 1 "
                          "WHERE NEW.status = 'waiting'")
    + "; END",
    "CREATE TRIGGER queue_line_delete AFTER DELETE ON queue_ticket "
    f"WHEN OLD.status = 'waiting' BEGIN {_MINUS}; END",
]

POSTGRESQL = [
    "CREATE OR REPLACE FUNCTION queue_line_track() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN "
    f"IF TG_OP <> 'INSERT' AND OLD.status = 'waiting' THEN {_MINUS}; END IF; "
    "IF TG_OP <> 'DELETE' AND NEW.status = 'waiting' THEN "
    + _PLUS.format(values=f"VALUES (NEW.service_id, NEW.service_day, {_kind('NEW')}, 1)")
    + "; END IF; RETURN NULL; END $$",
    "CREATE TRIGGER queue_line_insert AFTER INSERT ON queue_ticket FOR EACH ROW "
    "WHEN (NEW.status = 'waiting') EXECUTE FUNCTION queue_line_track()",
    "CREATE TRIGGER queue_line_update AFTER UPDATE ON queue_ticket FOR EACH ROW "
    f"WHEN ({_CHANGED.replace(' IS NOT ', ' IS DISTINCT FROM ')}) "
    "EXECUTE FUNCTION queue_line_track()",
    "CREATE TRIGGER queue_line_delete AFTER DELETE ON queue_ticket FOR EACH ROW "
    "WHEN (OLD.status = 'waiting') EXECUTE FUNCTION queue_line_track()",
]

# Counts of a database that had tickets before the triggers (the migration fills it once).
BACKFILL = ("INSERT INTO queue_line (service_id, service_day, kind, waiting) "
            f"SELECT t.service_id, t.service_day, {_kind('t')}, count(*) FROM queue_ticket t "
            f"WHERE t.status = 'waiting' GROUP BY t.service_id, t.service_day, {_kind('t')}")


def statements(dialect: str) -> list[str]:
    return POSTGRESQL if dialect == "postgresql" else SQLITE


for _dialect, _sql in (("sqlite", SQLITE), ("postgresql", POSTGRESQL)):
    for _statement in _sql:
        event.listen(Base.metadata, "after_create",
                     DDL(_statement.replace("%", "%%")).execute_if(dialect=_dialect))

WAITING_IN_LINE = select(func.coalesce(func.sum(QueueLine.waiting), 0)).where(
    QueueLine.service_id == bindparam("service_id"),
    QueueLine.service_day == bindparam("day"))


def lock_lines(session: Session, day: dt.date, service_ids: list[int]) -> None:
    """PostgreSQL: lock the line rows of these services in one fixed order (service id, kind).

    A change that moves a waiting ticket from one line to another makes the trigger update two
    rows, the old line's first. Two such changes in opposite directions at once (e-KTP → KK
    and KK → e-KTP) would take them in opposite orders and deadlock; taking both first, in
    this order, makes them queue instead. SQLite has one writer at a time: nothing to do.
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    session.execute(select(QueueLine.service_id).where(
        QueueLine.service_day == day, QueueLine.service_id.in_(sorted(set(service_ids))))
        .order_by(QueueLine.service_id, QueueLine.kind).with_for_update()).all()


def waiting_in_line(session: Session, service_id: int, day: dt.date) -> int:
    """Every waiting ticket of one service's line of one day: at most three rows read."""
    return int(session.execute(WAITING_IN_LINE, {"service_id": service_id, "day": day})
               .scalar_one())
