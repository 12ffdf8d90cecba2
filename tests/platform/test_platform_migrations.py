"""Alembic migrations build exactly the schema the models declare, on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

pytestmark = pytest.mark.integration


@pytest.fixture
def empty_database(tmp_path, settings):
    """A brand-new database of the same kind the suite runs on."""
    base = os.environ.get("LOKET_TEST_DATABASE_URL")
    if not base:
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    url = make_url(settings.effective_database_url)
    name = f"loket_mig_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        from loket.db import Database

        Database.for_url(url.set(database=name).render_as_string(hide_password=False)) \
            .engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_upgrade_head_matches_the_models_and_downgrade_removes_everything(empty_database,
                                                                           settings):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from alembic.script import ScriptDirectory
    from sqlalchemy import inspect

    from loket.db import Base, Database
    from loket.migrate import alembic_config, current_revision, downgrade, upgrade
    from loket.models_registry import import_all_models

    import_all_models()
    target = settings.model_copy(update={"database_url": empty_database})
    heads = ScriptDirectory.from_config(alembic_config(target)).get_heads()
    assert len(heads) == 1, f"the migrations must form one line, not {heads}"
    head = heads[0]
    upgrade(target)
    assert current_revision(target) == head
    downgrade(target, "0001")  # each step goes down and up again
    assert current_revision(target) == "0001"
    upgrade(target)
    assert current_revision(target) == head
    engine = Database.for_url(target.effective_database_url).engine
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []
    upgrade(target)  # a second run changes nothing
    downgrade(target, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
