"""Waiting-room TV display: the board page, its static assets and spoken announcements.

Mounted by the lead at /display (DispatcherMiddleware), so every route here is relative.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import uuid
from pathlib import Path
from typing import Any

from flask import Flask, Response, g, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from display import voice
from display.params import InvalidParameter, parse_announce, parse_services

logger = logging.getLogger(__name__)

# Messages a visitor-facing client may show for plain HTTP errors.
_HTTP_MESSAGES = {
    404: "Halaman tidak ditemukan.",
    405: "Metode tidak diizinkan.",
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


def _error(status: int, code: str, message: str, field: str | None = None) -> Response:
    body: dict[str, Any] = {"code": code, "message": message, "request_id": _request_id()}
    if field is not None:
        body["field"] = field
    response = jsonify({"error": body})
    response.status_code = status
    return response


def _request_id() -> str:
    if "request_id" not in g:
        g.request_id = request.headers.get("X-Request-ID") or uuid.uuid4().hex
    return str(g.request_id)


def init_errors(app: Flask) -> None:
    @app.errorhandler(InvalidParameter)
    def invalid_parameter(exc: InvalidParameter) -> Response:
        return _error(422, exc.code, exc.message, exc.field)

    @app.errorhandler(voice.VoiceError)
    def voice_unavailable(exc: voice.VoiceError) -> Response:
        logger.error("voice: synthesis failed: %s", exc)
        return _error(503, "voice_unavailable", "Suara pengumuman sedang tidak tersedia.")

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Response:
        status = exc.code or 500
        message = _HTTP_MESSAGES.get(status, "Permintaan tidak dapat diproses.")
        return _error(status, (exc.name or "error").lower().replace(" ", "_"), message)

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> Response:
        logger.exception("display: unexpected error")
        return _error(500, "internal_error", "Terjadi kesalahan pada sistem. Silakan coba lagi.")


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
        """Chime + spoken call as WAV (built from cached segments); recall=1 says it once more."""
        params = parse_announce(request.args)
        settings: voice.VoiceSettings = app.config["VOICE_SETTINGS"]
        data = voice.call_wav(params.number, params.counter, settings, recall=params.recall)
        response = Response(data, mimetype="audio/wav")
        response.headers["Cache-Control"] = "public, max-age=3600"
        return response

    @app.get("/healthz")
    def healthz() -> Response:
        return jsonify({"status": "ok"})
