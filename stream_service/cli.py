"""``loket streams``: run the stream process (and, with --upstream, the hall's front door)."""

from __future__ import annotations

import click


@click.command("streams")
@click.option("--bind", default=None, help="host:port (default LOKET_HOST:LOKET_PORT).")
@click.option("--upstream", default=None,
              help="Proxy every non-stream path to this web process (http://host:port).")
def streams_cmd(bind: str | None, upstream: str | None) -> None:
    """Serve the live event streams (SSE) from one evented process."""
    from aiohttp import web

    from loket.logging_setup import configure_logging
    from loket.settings import settings_or_exit
    from stream_service.app import create_stream_app

    settings = settings_or_exit()
    configure_logging(settings)
    host, _, port = (bind or f"{settings.host}:{settings.port}").rpartition(":")
    if not port.isdigit():
        raise click.BadParameter("expected host:port", param_hint="--bind")
    web.run_app(create_stream_app(settings, upstream=upstream), host=host or "0.0.0.0",
                port=int(port), access_log=None, print=None, shutdown_timeout=2,
                handle_signals=True, backlog=2048,
                handler_cancellation=True)  # a client that hangs up frees its slot at once
