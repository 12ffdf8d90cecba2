"""CLI commands that run a service's code: the demo data (the queue's seed), the kiosk and the
live-stream process."""

from __future__ import annotations

import gc
import json
import os
import signal
from typing import Any

import click

from loket.composition import demo_history
from loket.composition.init_office import init_cmd
from loket.composition.retention import retention_cmd, rotate_data_key_cmd
from loket.settings import Settings
from loket.tls import tls_selfsigned_cmd


def seed_demo(settings: Settings) -> dict[str, Any]:
    """Seed the demo office (idempotent); its logins and device tokens."""
    from queue_service.seed import seed_demo as seed
    from workflow_service.seed import seed_demo_workflow

    data = seed(settings)
    seed_demo_workflow(settings)  # the visitor-card pool
    return data


@click.command("seed-demo")
@click.option("--json", "as_json", is_flag=True, help="Print accounts and tokens as JSON.")
def seed_demo_cmd(as_json: bool) -> None:
    """Seed the demo office (idempotent) and print its logins and device tokens."""
    from loket.cli import _check_reachable, _print_logins, _settings
    from loket.migrate import upgrade

    settings = _settings()
    if settings.env == "production":
        click.echo("loket: seed-demo is refused in production", err=True)
        raise SystemExit(2)
    _check_reachable(settings, redis=False)
    upgrade(settings)
    data = seed_demo(settings)
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        _print_logins(data)


@click.command("kiosk")
@click.option("--stay", is_flag=True, help="Keep running after the window closes (for `run`).")
def kiosk_cmd(stay: bool) -> None:
    """Start the Kivy kiosk (windowed; LOKET_KIOSK_FULLSCREEN=true on the device)."""
    from kiosk.app import main as kiosk_main

    code = kiosk_main()
    if stay:
        click.echo("kiosk: jendela ditutup; jalankan lagi dengan `loket kiosk`.")
        signal.pause()
    raise SystemExit(code or 0)


@click.command("streams")
@click.option("--bind", default=None, help="host:port (default LOKET_HOST:LOKET_PORT).")
@click.option("--upstream", default=None,
              help="Proxy every non-stream path to this web process (http://host:port).")
def streams_cmd(bind: str | None, upstream: str | None) -> None:
    """Serve the live event streams (SSE) from one evented process."""
    from aiohttp import web

    from loket.cli import _settings
    from loket.composition.streams import create_streams

    settings = _settings()
    host, _, port = (bind or f"{settings.host}:{settings.port}").rpartition(":")
    if not port.isdigit():
        raise click.BadParameter("expected host:port", param_hint="--bind")
    if settings.stream_nice:
        os.nice(settings.stream_nice)  # requests first: a lower priority is always allowed
    app = create_streams(settings, upstream=upstream)
    gc.freeze()  # what start-up made lives as long as the process: no collection walks it
    web.run_app(app, host=host or "0.0.0.0", port=int(port), access_log=None, print=None,
                shutdown_timeout=2, loop=_event_loop(), handle_signals=True, backlog=2048,
                handler_cancellation=True)  # a client that hangs up frees its slot at once


def _event_loop() -> Any:
    """uvloop's event loop where it is installed (Linux, macOS), else asyncio's own."""
    try:
        import uvloop
    except ImportError:
        import asyncio

        return asyncio.new_event_loop()
    return uvloop.new_event_loop()


COMMANDS = (seed_demo_cmd, kiosk_cmd, demo_history.command(), init_cmd, streams_cmd,
            retention_cmd, rotate_data_key_cmd, tls_selfsigned_cmd)
