"""The SQL work of the hot paths, pinned: how many statements issuing and calling send.

Round 2's mixed benchmark regression (docs/benchmarks.md) was looked for by counting statements
per operation; these counts are the budget. A change that adds a query to issuing or calling
fails here: make it cheaper, or raise the number on purpose and say why in the commit.

Counted on the request's own thread (the publisher thread's "mark published" is not the
request's work), without ``BEGIN`` (SQLite sends it as a statement, PostgreSQL does not).
The device and staff look-ups are cached for seconds and the typical service minutes for two, so
each operation is measured a few times and the smallest count is the one pinned.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

# Statements per operation, BEGIN excluded, caches warm (see the module docstring).
ISSUE_STATEMENTS = 6  # service+office, sequence, ticket, history, line count, event
CALL_NEXT_STATEMENTS = 10  # counter, services, staff, busy?, office, head, claim, reload,
#                            history, event
START_STATEMENTS = 8  # ticket, counter, staff, office, update, history, service, event
FINISH_STATEMENTS = 8


@contextmanager
def counted(engine: Any) -> Iterator[list[str]]:
    statements: list[str] = []
    me = threading.get_ident()

    def _count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if threading.get_ident() == me and not statement.lstrip().upper().startswith("BEGIN"):
            statements.append(" ".join(statement.split())[:120])

    event.listen(engine, "before_cursor_execute", _count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", _count)


def fewest(engine: Any, operation: Callable[[], Any], times: int = 3) -> list[str]:
    runs = []
    for _ in range(times):
        with counted(engine) as statements:
            operation()
        runs.append(statements)
    return min(runs, key=len)


def test_issue_and_counter_operations_send_the_pinned_number_of_statements(hall, db) -> None:
    staff = hall.open_counter(2)
    counter = hall.counter_id(2)
    client = hall.client
    for _ in range(3):  # a line to call from, and warm caches
        hall.issue("ektp")

    issued = fewest(db.engine, lambda: hall.issue("ektp"))
    assert len(issued) == ISSUE_STATEMENTS, "\n".join(issued)

    ticket_ids: list[int] = []

    def call_start_finish(step: str) -> Any:
        if step == "call-next":
            resp = client.post(f"/api/queue/counters/{counter}/call-next", headers=staff)
            assert resp.status_code == 200, resp.json
            ticket_ids.append(resp.json["id"])
        else:
            resp = client.post(f"/api/queue/tickets/{ticket_ids[-1]}/{step}", headers=staff)
            assert resp.status_code == 200, resp.json
        return resp

    runs: dict[str, list[list[str]]] = {"call-next": [], "start": [], "finish": []}
    for _ in range(3):
        for step in runs:
            with counted(db.engine) as statements:
                call_start_finish(step)
            runs[step].append(statements)
    pinned = {"call-next": CALL_NEXT_STATEMENTS, "start": START_STATEMENTS,
              "finish": FINISH_STATEMENTS}
    for step, expected in pinned.items():
        least = min(runs[step], key=len)
        assert len(least) == expected, f"{step}:\n" + "\n".join(least)


def test_a_longer_line_costs_no_more_statements(hall, db) -> None:
    """Issuing and calling read the head and the count, never the whole line."""
    staff = hall.open_counter(2)
    counter = hall.counter_id(2)
    for _ in range(2):
        hall.issue("ektp")
    short = len(fewest(db.engine, lambda: hall.issue("ektp")))
    for _ in range(40):
        hall.issue("ektp")
    long = len(fewest(db.engine, lambda: hall.issue("ektp")))
    assert long == short == ISSUE_STATEMENTS

    def call() -> None:
        resp = hall.client.post(f"/api/queue/counters/{counter}/call-next", headers=staff)
        assert resp.status_code == 200, resp.json
        hall.client.post(f"/api/queue/tickets/{resp.json['id']}/no-show", headers=staff)

    assert len(fewest(db.engine, call, times=1)) >= CALL_NEXT_STATEMENTS
