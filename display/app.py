"""The display's app factory: the board page, its static assets and spoken announcements.

Mounted by the hall at /display (DispatcherMiddleware), so every route here is relative.
"""

from __future__ import annotations

import dataclasses
import logging
import os
from pathlib import Path
from typing import Any

from flask import Flask, Response, jsonify, render_template, request

from display import calls, voice
from display.params import parse_services
from loket import web
from loket.db import Database

logger = logging.getLogger(__name__)

# Messages a visitor-facing client may show for plain HTTP errors.
_HTTP_MESSAGES = {
    404: "Halaman tidak ditemukan.",
    405: "Metode tidak diizinkan.",
    500: "Terjadi kesalahan pada sistem. Silakan coba lagi.",
}


def create_app(config: dict[str, Any] | None = None, *, settings: Any = None) -> Flask:
    """Build the display app.

    Config keys: VOICE_SETTINGS (voice.VoiceSettings), QUEUE_API_BASE (override where the page
    finds the queue API), OFFICE_NAME (shown until the board loads). `settings` is the hall's
    loket.settings.Settings when mounted by loket.wsgi; its var dir holds the voice cache unless
    LOKET_VOICE_CACHE_DIR says otherwise.
    """
    app = Flask(__name__)
    app.config.from_mapping(
        QUEUE_API_BASE="",
        OFFICE_NAME="Kecamatan Genteng",
        VOICE_SETTINGS=None,
    )
    if config:
        app.config.update(config)
    app.config["HALL_SETTINGS"] = settings
    if app.config["VOICE_SETTINGS"] is None:
        # Strict parse at start-up: a bad LOKET_VOICE_* value stops the service early.
        voice_settings = voice.load_settings()
        var_path = getattr(settings, "var_path", None)
        if var_path is not None and not os.environ.get("LOKET_VOICE_CACHE_DIR", "").strip():
            voice_settings = dataclasses.replace(
                voice_settings, cache_dir=Path(var_path) / "voice-cache"
            )
        app.config["VOICE_SETTINGS"] = voice_settings

    init_errors(app)
    init_routes(app)
    return app


def init_errors(app: Flask) -> None:
    """Loket's one error contract (``loket.web``), with the visitor's words for HTTP errors."""
    web.init_app(app, "display", messages=_HTTP_MESSAGES)

    @app.errorhandler(voice.VoiceError)
    def voice_unavailable(exc: voice.VoiceError) -> tuple[Response, int]:
        logger.error("voice: synthesis failed: %s", exc)
        return web.error_response(503, "voice_unavailable",
                                  "Suara pengumuman sedang tidak tersedia.")


def _database(app: Flask) -> Database:
    """The hall's database (calls are looked up in its event outbox), opened on first use."""
    db: Database | None = app.extensions.get("loket.db")
    if db is None:
        settings = app.config["HALL_SETTINGS"]
        if getattr(settings, "effective_database_url", None) is None:
            from loket.settings import get_settings

            settings = get_settings()
        db = app.extensions["loket.db"] = Database.for_url(settings.effective_database_url)
    return db


def init_routes(app: Flask) -> None:
    @app.get("/")
    def board() -> str:
        """The TV page; ?services=ektp,kk limits it to those services."""
        services = parse_services(request.args.get("services"))
        return render_template(
            "board.html",
            services=",".join(services),
            api_base=app.config["QUEUE_API_BASE"],
            office_name=app.config["OFFICE_NAME"],
        )

    @app.get("/announce.wav")
    def announce() -> Response:
        """Chime + spoken call as WAV, of a real call only: ``?call=ID`` (the call event's id),
        or the old ``?number=&counter=[&recall=1]`` matching a recent call; else 404."""
        call = calls.requested_call(lambda: _database(app), request.args)
        settings: voice.VoiceSettings = app.config["VOICE_SETTINGS"]
        data = voice.call_wav(call.number, call.counter, settings, recall=call.recall)
        response = Response(data, mimetype="audio/wav")
        response.headers["Cache-Control"] = "public, max-age=3600"
        return response

    @app.get("/healthz")
    def healthz() -> Response:
        return jsonify({"status": "ok"})
