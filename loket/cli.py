"""The ``loket`` command: run the hall, migrate, seed, inspect SOPs, start the kiosk."""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from typing import Any

import click

from loket.settings import Settings, settings_or_exit


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """Loket — sistem antrean dan SOP kecamatan."""


def _settings() -> Settings:
    settings = settings_or_exit()
    from loket.logging_setup import configure_logging

    configure_logging(settings)
    return settings


# -- database ---------------------------------------------------------------------------------

@cli.group()
def db() -> None:
    """Database migrations (Alembic)."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True)
def db_upgrade(revision: str) -> None:
    """Apply migrations up to REVISION."""
    from loket.migrate import upgrade

    settings = _settings()
    _check_reachable(settings, redis=False)
    upgrade(settings, revision)
    click.echo("database is up to date")


@db.command("current")
def db_current() -> None:
    """Print the applied revision."""
    from loket.migrate import current_revision

    click.echo(current_revision(_settings()) or "(none)")


# -- demo data --------------------------------------------------------------------------------

def _print_logins(data: dict[str, Any]) -> None:
    click.echo("Akun demo (username / password / peran / loket):")
    for staff in data["staff"]:
        counter = staff.get("counter") or "-"
        click.echo(f"  {staff['username']:<12} {staff['password']:<22} "
                   f"{','.join(staff['roles']):<10} {counter}")
    click.echo(f"Token kiosk:   {data['devices']['kiosk']}")
    click.echo(f"Token display: {data['devices']['display']}")


# -- processes --------------------------------------------------------------------------------

@cli.command("web")
@click.option("--bind", default=None, help="host:port (default LOKET_HOST:LOKET_PORT).")
def web_cmd(bind: str | None) -> None:
    """Serve every web app on one origin with gunicorn (gthread workers)."""
    settings = _settings()
    args = [
        "gunicorn", "--worker-class", "gthread",
        "--workers", str(settings.web_workers), "--threads", str(settings.web_threads),
        "--bind", bind or f"{settings.host}:{settings.port}", "--timeout", "0",
        "--graceful-timeout", "5", "--access-logfile", "-",
        # Only method, path and status: query strings could carry tracking codes or data.
        "--access-logformat", '%(h)s "%(m)s %(U)s" %(s)s %(M)sms',
        "loket.wsgi:create_hall_app()",
    ]
    os.execvp(_venv_bin("gunicorn"), args)


@cli.command("worker")
@click.option("--concurrency", default=2, show_default=True)
def worker_cmd(concurrency: int) -> None:
    """Run a Celery worker (scale by running more)."""
    settings_or_exit()
    # WARNING: task failures are logged; the per-task "received/succeeded" lines are not.
    os.execvp(_venv_bin("celery"), ["celery", "-A", "loket.make_celery", "worker",
                                    "--loglevel", "WARNING", "--concurrency", str(concurrency),
                                    "-Q", "loket", "--without-gossip", "--without-mingle"])


@cli.command("beat")
def beat_cmd() -> None:
    """Run Celery beat (exactly one per installation)."""
    settings = settings_or_exit()
    schedule = settings.var_path / "celerybeat-schedule"
    schedule.parent.mkdir(parents=True, exist_ok=True)
    os.execvp(_venv_bin("celery"), ["celery", "-A", "loket.make_celery", "beat",
                                    "--loglevel", "WARNING", "-s", str(schedule)])


@cli.command("redis-server")
def redis_server_cmd() -> None:
    """Run and supervise the private Redis of the embedded hall."""
    from loket.redis_server import supervise

    settings = settings_or_exit()
    raise SystemExit(supervise(settings.redis_port, settings.var_path / "redis"))


def _check_reachable(settings: Settings, redis: bool = True) -> None:
    """A database or Redis that cannot be reached is one line and exit 2, not a traceback."""
    from loket.db import Database

    try:
        Database.for_url(settings.effective_database_url).ping()
    except Exception as exc:
        reason = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
        click.echo(f"loket: LOKET_DATABASE_URL: cannot connect: {reason}", err=True)
        raise SystemExit(2) from None
    if redis and not settings.uses_private_redis:
        from loket.redis_bus import make_redis

        try:
            make_redis(settings).ping()
        except Exception as exc:
            click.echo(f"loket: LOKET_REDIS_URL: cannot connect: {exc}", err=True)
            raise SystemExit(2) from None


def _venv_bin(name: str) -> str:
    candidate = os.path.join(os.path.dirname(sys.executable), name)
    return candidate if os.path.exists(candidate) else (shutil.which(name) or name)


def _kiosk_possible(settings: Settings) -> tuple[bool, str]:
    if settings.start_kiosk == "no":
        return False, "LOKET_START_KIOSK=no"
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
            or sys.platform in ("win32", "darwin")):
        return False, "tidak ada layar (DISPLAY kosong)"
    try:
        import kivy  # noqa: F401
    except ImportError:
        return False, "Kivy belum terpasang (pip install -e '.[kiosk]')"
    return True, ""


@cli.command("run")
def run_cmd() -> None:
    """Run the whole hall on embedded defaults: web, worker, beat, Redis (and the kiosk)."""
    from honcho.manager import Manager

    from loket.composition.commands import seed_demo
    from loket.migrate import upgrade

    settings = _settings()
    settings.var_path.mkdir(parents=True, exist_ok=True)
    settings.secret("secret_key")
    settings.secret("data_key")
    _check_reachable(settings)
    upgrade(settings)
    data = seed_demo(settings)

    env = dict(os.environ)
    env["PYTHONUNBUFFERED"] = "1"
    env.setdefault("LOKET_KIOSK_SERVER_URL", settings.base_url)
    env.setdefault("LOKET_KIOSK_TOKEN", data["devices"]["kiosk"])
    loket = _venv_bin("loket")
    manager = Manager()
    if settings.uses_private_redis:
        manager.add_process("redis", f"{loket} redis-server", env=env)
    # The stream process is the front door: it serves the live streams and proxies the rest
    # to the web process behind it (docs/architecture.md, "Live streams").
    backend = f"127.0.0.1:{settings.effective_backend_port}"
    # The front door is one more proxy: the web process reads the client's address from the
    # X-Forwarded-For it adds (per-address login limits, the complaint form's rate limit;
    # loket.addresses).
    web_env = {**env, "LOKET_TRUSTED_PROXIES": str(settings.trusted_proxies + 1)}
    manager.add_process("web", f"{loket} web --bind {backend}", env=web_env)
    manager.add_process("streams", f"{loket} streams --bind {settings.host}:{settings.port}"
                        f" --upstream http://{backend}", env=env)
    manager.add_process("worker", f"{loket} worker", env=env)
    manager.add_process("beat", f"{loket} beat", env=env)
    kiosk_ok, why_not = _kiosk_possible(settings)
    if kiosk_ok:
        manager.add_process("kiosk", f"{loket} kiosk --stay", env=env)

    base = settings.base_url
    click.echo("")
    click.echo(f"Loket berjalan di {base}")
    click.echo(f"  Layar TV ruang tunggu : {base}/display/?token={data['devices']['display']}")
    click.echo(f"  Konsol petugas        : {base}/console/")
    click.echo(f"  Daftar SOP            : {base}/api/workflow/sops/")
    click.echo(f"  API antrean (OpenAPI) : {base}/api/queue/docs")
    click.echo(f"  API alur kerja        : {base}/api/workflow/docs")
    click.echo(f"  Redis                 : {settings.effective_redis_url}"
               + (" (privat)" if settings.uses_private_redis else ""))
    click.echo(f"  Basis data            : {settings.effective_database_url}")
    _print_logins(data)
    if not kiosk_ok:
        click.echo(f"Kiosk tidak dijalankan ({why_not}). Jalankan di layar sentuh dengan:")
        click.echo(f"  LOKET_KIOSK_SERVER_URL={base} LOKET_KIOSK_TOKEN={data['devices']['kiosk']}"
                   " .venv/bin/loket kiosk")
    click.echo("Tekan Ctrl-C untuk menghentikan semua proses.\n")
    time.sleep(0.1)
    manager.loop()
    raise SystemExit(manager.returncode or 0)


@cli.command("check-config")
def check_config() -> None:
    """Validate the LOKET_* settings and print the effective values (secrets hidden)."""
    settings = settings_or_exit()
    click.echo(json.dumps({
        "env": settings.env, "base_url": settings.base_url,
        "database": settings.effective_database_url.split("@")[-1],
        "redis": settings.effective_redis_url.split("@")[-1],
        "private_redis": settings.uses_private_redis,
    }, indent=2))


def _attach_groups() -> None:
    from loket.composition.commands import COMMANDS
    from sop.cli import sop_group
    from voice.cli import voice_group

    cli.add_command(sop_group, "sop")
    cli.add_command(voice_group, "voice")
    for command in COMMANDS:  # the commands that run a service's code (composition root)
        cli.add_command(command)


_attach_groups()


def main() -> None:
    cli(prog_name="loket")
