"""Migration 0009_F on a database that has data: the case table is re-created on SQLite (its
unique constraint changes) while steps and documents refer to it; nothing is lost, no row is
left without its parent, and afterwards a ticket may have a case per SOP service."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from tests.platform.test_platform_migrations import empty_database  # noqa: F401 (fixture)

pytestmark = pytest.mark.integration

AT = "2026-11-30 01:00:00+00"


def test_cases_steps_and_documents_survive_the_upgrade(empty_database, settings):  # noqa: F811
    from sqlalchemy.exc import IntegrityError

    from loket.db import Database
    from loket.migrate import upgrade

    target = settings.model_copy(update={"database_url": empty_database})
    upgrade(target, "0008")
    db = Database.for_url(empty_database)
    at = AT if not db.is_sqlite else AT.removesuffix("+00")
    with db.engine.begin() as conn:
        conn.execute(text("INSERT INTO wf_sop_version (content_hash, code, version, content, "
                          "created_at) VALUES ('h', 'kk', '1', '{}', :at)"), {"at": at})
        conn.execute(text("INSERT INTO wf_case (id, tracking_code, sop_code, sop_hash, channel, "
                          "ticket_id, status, opened_at) VALUES "
                          "(1, 'AAAA2222', 'kk', 'h', 'loket', 7, 'open', :at)"), {"at": at})
        conn.execute(text("INSERT INTO wf_step (id, case_id, seq, step_key, role, state, clock, "
                          "pauses, checked) VALUES "
                          "(1, 1, 0, '1', 'petugas', 'active', 'business', '[]', '[]')"))
        conn.execute(text("UPDATE wf_case SET current_step_id = 1"))
        conn.execute(text("INSERT INTO wf_document (id, case_id, kind, number, created_at, pdf) "
                          "VALUES (1, 1, 'tanda_terima', 'TT/001/429.518/2026', :at, :pdf)"),
                     {"at": at, "pdf": b"%PDF-1.7"})
    upgrade(target)
    with db.engine.begin() as conn:
        assert conn.execute(text("SELECT id, ticket_id, sop_code, current_step_id "
                                 "FROM wf_case")).all() == [(1, 7, "kk", 1)]
        assert conn.execute(text("SELECT case_id FROM wf_step")).scalars().all() == [1]
        assert conn.execute(text("SELECT pdf, html FROM wf_document")).one() == \
            (b"%PDF-1.7", None)
        if db.is_sqlite:
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1  # back on
        conn.execute(text("INSERT INTO wf_case (id, tracking_code, sop_code, sop_hash, channel, "
                          "ticket_id, status, opened_at) VALUES "
                          "(2, 'BBBB2222', 'ektp', 'h', 'loket', 7, 'open', :at)"), {"at": at})
    with pytest.raises(IntegrityError), db.engine.begin() as conn:
        conn.execute(text("INSERT INTO wf_case (id, tracking_code, sop_code, sop_hash, channel, "
                          "ticket_id, status, opened_at) VALUES "
                          "(3, 'CCCC2222', 'ektp', 'h', 'loket', 7, 'open', :at)"), {"at": at})
    db.engine.dispose()
