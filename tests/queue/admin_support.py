"""A migrated database of its own for the first-start tests (SQLite file or a PostgreSQL db)."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ADMIN_PASSWORD = "sandi-admin-pertama-2026"


def is_postgres() -> bool:
    return bool(os.environ.get("LOKET_TEST_DATABASE_URL", "").startswith("postgres"))


@pytest.fixture
def fresh_database(tmp_path: Path, settings: Any) -> Iterator[str]:
    """A brand-new, migrated database of the kind the suite runs on."""
    from loket.migrate import upgrade

    if not is_postgres():
        url = f"sqlite:///{tmp_path / 'fresh.db'}"
        upgrade(settings.model_copy(update={"database_url": url}))
        yield url
        return
    base = make_url(settings.effective_database_url)
    name = f"loket_init_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = base.set(database=name).render_as_string(hide_password=False)
    try:
        upgrade(settings.model_copy(update={"database_url": url}))
        yield url
    finally:
        from loket.db import Database

        Database.for_url(url).engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def run_loket(database_url: str, *args: str, password: str | None = ADMIN_PASSWORD,
              env_name: str | None = None, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """``loket ARGS`` in a child process, production mode where the database allows it."""
    env = dict(os.environ)
    env["LOKET_DATABASE_URL"] = database_url
    # Production refuses SQLite by design; there the run is in test mode.
    env["LOKET_ENV"] = env_name or ("production" if is_postgres() else "test")
    env.pop("LOKET_ADMIN_PASSWORD", None)
    if password is not None:
        env["LOKET_ADMIN_PASSWORD"] = password
    return subprocess.run([sys.executable, "-m", "loket", *args], env=env, text=True,
                          capture_output=True, timeout=120, input=stdin)
