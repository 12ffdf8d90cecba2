"""What every Loket Flask app shares: one JSON error shape, request ids, health checks, body
limits, the JSON body helper and the Server-Sent Events response.

The error contract (every app, the display included)::

    {"error": {"code": "...", "message": "<Bahasa Indonesia>", "field": "..." | null,
               "request_id": "..."}}

A body that is not JSON is ``400 invalid_json``; a required body that is empty ``400
empty_body``; JSON of the wrong kind (a list where an object is needed) ``422 not_an_object``.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Callable
from typing import Any

from flask import Blueprint, Flask, Response, g, jsonify, request
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter

from loket import headers
from loket.db import Database
from loket.errors import LoketError, ValidationFailed
from loket.settings import Settings
from loket.text_input import NUL, find_forbidden

logger = logging.getLogger(__name__)

HTTP_MESSAGES = {
    400: "Permintaan tidak dapat diproses.",
    401: "Perlu masuk (login) atau token perangkat.",
    403: "Anda tidak berwenang melakukan ini.",
    404: "Alamat tidak ditemukan.",
    405: "Metode tidak diizinkan untuk alamat ini.",
    406: "Format yang diminta tidak tersedia.",
    409: "Terjadi konflik dengan keadaan data saat ini.",
    413: "Isi permintaan terlalu besar.",
    415: "Isi permintaan harus berformat JSON.",
    422: "Data tidak valid.",
    429: "Terlalu banyak permintaan; coba lagi sebentar lagi.",
    500: "Terjadi kesalahan pada server. Petugas sudah diberi tahu.",
    503: "Layanan sedang tidak tersedia.",
}


def error_response(status: int, code: str, message: str, field: str | None = None,
                   **extra: Any) -> tuple[Response, int]:
    body: dict[str, Any] = {
        "code": code,
        "message": message,
        "field": field,
        "request_id": getattr(g, "request_id", None),
    }
    body.update(extra)
    return jsonify({"error": body}), status


# The largest id any table holds: ids are INTEGER columns (32-bit on PostgreSQL).
MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """``<int:...>`` in every Loket app: a positive id that fits the id columns, else 404.

    Werkzeug's converter matches any run of digits; 2^63 then reaches the driver (SQLite:
    OverflowError; PostgreSQL: "integer out of range") as a 500 instead of "not found".
    """

    def __init__(self, map: Any, fixed_digits: int = 0, min: int | None = 1,
                 max: int | None = MAX_ID, signed: bool = False) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def _json_body_limit(app: Flask) -> None:
    settings: Settings | None = app.config.get("LOKET_SETTINGS")
    if settings is not None:
        app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes


def init_app(app: Flask, service: str, messages: dict[int, str] | None = None) -> None:
    """Install request ids, access logging and the one error shape on ``app``.

    ``messages`` overrides what plain HTTP errors say (e.g. a visitor-facing app's 404).
    """
    texts = {**HTTP_MESSAGES, **(messages or {})}
    _json_body_limit(app)
    # Before any blueprint registers a route: rules bind their converters when added.
    app.url_map.converters["int"] = IdConverter
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.json.sort_keys = False  # type: ignore[attr-defined]
    headers.install(app)  # CSP, nosniff, Referrer-Policy, frame restrictions (loket/headers.py)

    @app.before_request
    def _request_id() -> None:
        incoming = request.headers.get("X-Request-ID", "")
        g.request_id = incoming if 8 <= len(incoming) <= 64 and incoming.isascii() else (
            uuid.uuid4().hex[:16]
        )
        g.started = time.perf_counter()
        _refuse_nul_in_url()

    @app.after_request
    def _log(response: Response) -> Response:
        response.headers["X-Request-ID"] = getattr(g, "request_id", "")
        started = getattr(g, "started", None)
        if started is not None and not response.is_streamed:
            # Only method, path and status: bodies (names, NIK) are never logged.
            logger.info(
                "%s %s %s %s %.1fms rid=%s", service, request.method, request.path,
                response.status_code, (time.perf_counter() - started) * 1000,
                getattr(g, "request_id", "-"),
            )
        return response

    @app.errorhandler(LoketError)
    def _loket_error(exc: LoketError) -> tuple[Response, int]:
        resp, status = error_response(exc.status, exc.code, exc.message, exc.field)
        if exc.retry_after is not None:
            resp.headers["Retry-After"] = str(max(1, int(exc.retry_after)))
        return resp, status

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> tuple[Response, int] | Response:
        status = exc.code or 500
        code = (exc.name or "error").lower().replace(" ", "_")
        resp, status = error_response(status, code, texts.get(status, exc.name or ""))
        if status == 405 and hasattr(exc, "valid_methods") and exc.valid_methods:
            resp.headers["Allow"] = ", ".join(exc.valid_methods)
        return resp, status

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> tuple[Response, int]:
        logger.exception("unhandled error in %s rid=%s", service, getattr(g, "request_id", "-"))
        return error_response(500, "internal_error", texts[500])


def _refuse_nul_in_url() -> None:
    """A NUL byte in the path is no address (404); in a query parameter, a field error (422).

    Checked for every request, so no view's query reaches the database with one.
    """
    if NUL in request.path:
        raise LoketError(HTTP_MESSAGES[404], code="not_found", status=404)
    for name, value in request.args.items(multi=True):
        if NUL in name or NUL in value:
            field = name.replace(NUL, "") or "query"
            raise ValidationFailed(
                f"Parameter '{field}' berisi karakter yang tidak diizinkan (NUL).",
                field=field, code="invalid_text")


# -- request bodies ----------------------------------------------------------------------------

def json_body(required: bool = True) -> Any:
    """The request body parsed as JSON, whatever the Content-Type.

    Not JSON: 400 ``invalid_json``. Empty: 400 ``empty_body`` if ``required``, else None.
    """
    raw = request.get_data(cache=True)
    if not raw.strip():
        if required:
            raise LoketError("Isi permintaan (JSON) wajib diisi.", field="body", code="empty_body")
        return None
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise LoketError("Isi permintaan bukan JSON yang valid.", field="body",
                         code="invalid_json") from None
    where = find_forbidden(data)
    if where is not None:  # PostgreSQL refuses NUL in text: never let one reach a query
        raise ValidationFailed(f"Kolom '{where}' berisi karakter yang tidak diizinkan (NUL).",
                               field=where, code="invalid_text")
    return data


def json_object(required: bool = False) -> dict[str, Any]:
    """The request body as a JSON object; an empty body is ``{}`` unless ``required``.

    A JSON value that is not an object: 422 ``not_an_object``.
    """
    data = json_body(required)
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ValidationFailed("Isi permintaan harus berupa objek JSON.", field="body",
                               code="not_an_object")
    return data


def health_blueprint(checks: dict[str, Callable[[], None]]) -> Blueprint:
    """``/healthz`` (the process is alive) and ``/readyz`` (its dependencies answer).

    ``/readyz`` names each part ``ok`` or ``down`` and nothing more: error strings (host names,
    driver messages) are for the server log, never for whoever asks.
    """
    bp = Blueprint("health", __name__)

    @bp.get("/healthz")
    def healthz() -> Response:
        return jsonify({"status": "ok"})

    @bp.get("/readyz")
    def readyz() -> tuple[Response, int]:
        results: dict[str, str] = {}
        ok = True
        for name, check in checks.items():
            try:
                check()
                results[name] = "ok"
            except Exception:  # a dependency is down: say which; why goes to the server log
                ok = False
                results[name] = "down"
                logger.warning("readyz: %s is down", name, exc_info=True)
        body = {"status": "ok" if ok else "unavailable", "checks": results}
        return jsonify(body), 200 if ok else 503

    return bp


def standard_checks(db: Database, redis_ping: Callable[[], None]) -> dict[str, Callable[[], None]]:
    return {"database": db.ping, "redis": redis_ping}
