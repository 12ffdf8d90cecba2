"""SQLite writers queue at the writer gate: one at a time across processes, none ever lost."""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration


def _writer(url: str, name: str, rounds: int, log: str) -> None:
    from sqlalchemy import text

    from loket.db import Database

    db = Database.for_url(url)
    for i in range(rounds):
        with db.session() as session:
            session.execute(text("INSERT INTO gate_log (who, n, phase) VALUES (:w, :n, 'in')"),
                            {"w": name, "n": i})
            time.sleep(0.01)  # hold the write transaction a while
            session.execute(text("INSERT INTO gate_log (who, n, phase) VALUES (:w, :n, 'out')"),
                            {"w": name, "n": i})
    Path(log).write_text("done")


def test_writers_of_several_processes_never_overlap_and_all_commit(tmp_path) -> None:
    from sqlalchemy import text

    from loket.db import Database

    url = f"sqlite:///{tmp_path / 'gate.db'}"
    with Database.for_url(url).session() as session:
        session.execute(text("CREATE TABLE gate_log (id INTEGER PRIMARY KEY AUTOINCREMENT, "
                             "who TEXT, n INTEGER, phase TEXT)"))
    Database.dispose_all()
    context = multiprocessing.get_context("spawn")
    procs = [context.Process(target=_writer, args=(url, f"p{k}", 15, str(tmp_path / f"p{k}")))
             for k in range(4)]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(60)
        assert proc.exitcode == 0
    with Database.for_url(url).read_session() as session:
        rows = session.execute(text("SELECT who, n, phase FROM gate_log ORDER BY id")).all()
    assert len(rows) == 4 * 15 * 2  # every transaction committed
    # Each transaction's two rows are adjacent: no other writer got in between.
    for first, second in zip(rows[::2], rows[1::2], strict=True):
        assert (first.phase, second.phase) == ("in", "out")
        assert (first.who, first.n) == (second.who, second.n)
    assert {row.who for row in rows} == {"p0", "p1", "p2", "p3"}
    assert Path(f"{tmp_path / 'gate.db'}-writer.lock").exists()


def test_a_forked_child_gets_its_own_gate(tmp_path) -> None:
    """A gate held in the parent at fork time must not be shared with (or block) the child."""
    import os

    from sqlalchemy import text

    from loket.db import Database

    url = f"sqlite:///{tmp_path / 'fork.db'}"
    db = Database.for_url(url)
    with db.session() as session:
        session.execute(text("CREATE TABLE t (x INTEGER)"))
    gate = db.writer_gate
    assert gate is not None
    with gate.hold():
        pid = os.fork()
        if pid == 0:  # child: the parent holds the gate, so the child's flock must wait
            child_db = Database.for_url(url)
            child_db.engine.dispose(close=False)  # never reuse the parent's connections
            started = time.monotonic()
            with child_db.session() as session:
                session.execute(text("INSERT INTO t VALUES (1)"))
            os._exit(0 if time.monotonic() - started >= 0.2 else 3)
        time.sleep(0.3)
    _, status = os.waitpid(pid, 0)
    assert os.WEXITSTATUS(status) == 0, "the child did not wait for the parent's write"
    with db.read_session() as session:
        assert session.execute(text("SELECT count(*) FROM t")).scalar() == 1
