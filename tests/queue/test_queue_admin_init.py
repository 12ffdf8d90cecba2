"""`loket init`: the first start of a real office, idempotent, refused on an unmigrated db."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.queue.admin_support import fresh_database, run_loket

pytestmark = pytest.mark.integration
__all__ = ["fresh_database"]

ARGS = ("init", "--office", "Kecamatan Genteng", "--kabupaten", "Banyuwangi", "--admin", "admin")


def _rows(url: str) -> tuple[list[tuple[str, str | None]], list[str], list[tuple[str, str]]]:
    from loket.db import Database
    from queue_service.models import Office, Service, Staff

    with Database.for_url(url).read_session() as session:
        offices = [(o.name, o.kabupaten) for o in session.scalars(select(Office))]
        services = list(session.scalars(select(Service.code).order_by(Service.position)))
        staff = [(s.username, s.password_hash) for s in session.scalars(select(Staff))]
    return offices, services, staff


def test_init_creates_office_services_and_admin_and_a_second_run_changes_nothing(
        fresh_database) -> None:
    first = run_loket(fresh_database, *ARGS)
    assert first.returncode == 0, first.stderr
    offices, services, staff = _rows(fresh_database)
    assert offices == [("Kecamatan Genteng", "Banyuwangi")]
    assert services == ["penerimaan-tamu", "pengaduan", "ektp", "kk", "rekomendasi"]
    assert [s[0] for s in staff] == ["admin"]
    again = run_loket(fresh_database, *ARGS, password="another-password-entirely")
    assert again.returncode == 0, again.stderr
    assert "sudah disiapkan" in again.stdout and "tidak ada yang diubah" in again.stdout
    assert _rows(fresh_database) == (offices, services, staff)  # password hash included


def test_init_asks_for_the_password_when_the_environment_has_none(fresh_database) -> None:
    short = run_loket(fresh_database, *ARGS, password="pendek")
    assert short.returncode == 2 and "minimal 8" in short.stderr
    assert _rows(fresh_database)[0] == []
    typed = "sandi-dari-terminal\n"
    asked = run_loket(fresh_database, *ARGS, password=None, stdin=typed * 2)
    assert asked.returncode == 0, asked.stderr
    assert "Kata sandi administrator" in asked.stderr + asked.stdout
    assert "Ulangi kata sandi" in asked.stderr + asked.stdout
    [(username, password_hash)] = _rows(fresh_database)[2]
    assert username == "admin" and password_hash.startswith("$argon2")


def test_init_refuses_an_unmigrated_database(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    done = run_loket(url, *ARGS, env_name="test")
    assert done.returncode == 2 and "loket db upgrade" in done.stderr

