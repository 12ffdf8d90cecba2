"""``loket init``: the first start of a real office (the queue's ``admin_init`` use case)."""

from __future__ import annotations

import os

import click

ADMIN_PASSWORD_ENV = "LOKET_ADMIN_PASSWORD"


def _head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    from loket.migrate import MIGRATIONS

    return ScriptDirectory(str(MIGRATIONS)).get_current_head()


def _password() -> str:
    from queue_service.domain.errors import InvalidInput
    from queue_service.validation_admin import parse_password

    raw = os.environ.get(ADMIN_PASSWORD_ENV)
    if raw is None:
        raw = click.prompt("Kata sandi administrator", hide_input=True,
                           confirmation_prompt="Ulangi kata sandi")
    try:
        return parse_password(raw)
    except InvalidInput as exc:
        click.echo(f"loket: {ADMIN_PASSWORD_ENV}: {exc.message}", err=True)
        raise SystemExit(2) from None


@click.command("init")
@click.option("--office", required=True, help='Nama kantor, mis. "Kecamatan Genteng".')
@click.option("--kabupaten", required=True, help="Kabupaten/kota, mis. Banyuwangi.")
@click.option("--admin", "admin", required=True, help="Nama pengguna administrator pertama.")
@click.option("--timezone", default="Asia/Jakarta", show_default=True)
def init_cmd(office: str, kabupaten: str, admin: str, timezone: str) -> None:
    """Set up a real office on a migrated, empty database (idempotent)."""
    from loket.cli import _check_reachable, _settings
    from loket.migrate import current_revision
    from queue_service.domain.errors import InvalidInput
    from queue_service.usecases.admin_init import init_office, office_exists
    from queue_service.validation_admin import parse_timezone, parse_username

    settings = _settings()
    _check_reachable(settings, redis=False)
    if current_revision(settings) != _head_revision():
        click.echo("loket: the database is not migrated; run `loket db upgrade` first", err=True)
        raise SystemExit(2)
    try:
        username, zone = parse_username(admin), parse_timezone(timezone)
    except InvalidInput as exc:
        click.echo(f"loket: --{'admin' if exc.field == 'username' else exc.field}: "
                   f"{exc.message}", err=True)
        raise SystemExit(2) from None
    name = office_exists(settings)
    if name is not None:
        click.echo(f"Kantor '{name}' sudah disiapkan; tidak ada yang diubah.")
        return
    result = init_office(settings, office.strip(), kabupaten.strip(), username, zone,
                         _password())
    if not result.created:
        click.echo(f"Kantor '{result.office}' sudah disiapkan; tidak ada yang diubah.")
        return
    click.echo(f"Kantor '{result.office}' disiapkan dengan layanan: {', '.join(result.services)}.")
    click.echo(f"Administrator: {result.admin}. Masuk di {settings.base_url}/console/ dan "
               "lengkapi Pengaturan (profil kantor, loket, petugas, perangkat).")
