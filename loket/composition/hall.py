"""The hall: every Loket Flask app on one origin, each under its fixed prefix."""

from __future__ import annotations

import importlib
import logging
from typing import Any

from flask import Flask, jsonify, redirect, render_template_string
from werkzeug.middleware.dispatcher import DispatcherMiddleware

from loket import headers
from loket.composition.registry import MOUNTS
from loket.settings import Settings, get_settings

logger = logging.getLogger(__name__)

LANDING = """<!doctype html><html lang="id"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Loket — {{ office }}</title>
<style>body{font-family:system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;
color:#10243e}a{color:#0b4f9c}li{margin:.4rem 0}</style></head><body>
<h1>Loket — {{ office }}</h1><p>Sistem antrean dan pelayanan SOP kecamatan.</p><ul>
<li><a href="display/">Layar ruang tunggu (TV)</a></li>
<li><a href="console/">Konsol petugas</a></li>
<li><a href="api/workflow/sops/">Daftar SOP</a></li>
<li><a href="api/workflow/pengaduan">Pengaduan pelayanan publik</a></li>
<li><a href="api/queue/docs">Dokumentasi API antrean</a></li>
<li><a href="api/workflow/docs">Dokumentasi API alur kerja</a></li>
</ul></body></html>"""


def _root_app(settings: Settings) -> Flask:
    app = Flask("loket.root")
    headers.install(app)

    @app.get("/")
    def landing() -> str:
        return render_template_string(LANDING, office="Kecamatan Genteng")

    @app.get("/healthz")
    def healthz() -> Any:
        return jsonify({"status": "ok"})

    @app.get("/display")
    def display_slash() -> Any:
        return redirect("/display/", code=308)

    return app


def _create(module_name: str, settings: Settings) -> Any:
    module = importlib.import_module(module_name)
    factory = module.create_app
    try:
        return factory(settings=settings)
    except TypeError:
        return factory()


def create_hall_app(settings: Settings | None = None) -> DispatcherMiddleware:
    """Build the one-origin hall. Each mounted app keeps its own URL prefix."""
    from loket.logging_setup import configure_logging

    settings = settings or get_settings()
    configure_logging(settings)
    wanted = set(settings.apps.split(","))
    mounts = {prefix: _create(module, settings)
              for prefix, (name, module) in MOUNTS.items() if name in wanted}
    _wire(mounts)
    return DispatcherMiddleware(_root_app(settings), mounts)


def _wire(mounts: dict[str, Any]) -> None:
    """Apps in one process reach each other without a network hop: the workflow reads the
    queue's staff list from the mounted queue app."""
    queue, workflow = mounts.get("/api/queue"), mounts.get("/api/workflow")
    if queue is not None and workflow is not None and "workflow" in workflow.extensions:
        workflow.extensions["workflow"].queue_wsgi = queue
