"""The laporan bulanan as a job: asked for here, made by a Celery worker, fetched when ready.

A job lives in Redis for a day (``loket:laporan:<id>``: month, state, progress; the PDF under
``…:pdf``). It is a cache of figures the database keeps: if it expires, ask again.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import secrets
from typing import Any

from loket.errors import Conflict, LoketError, NotFound
from queue_service.domain.errors import InvalidInput

TASK = "loket.monthly_report"
TTL_SECONDS = 24 * 3600
STATES = ("queued", "running", "done", "failed")


class ReportsUnavailable(LoketError):
    status = 503
    code = "reports_unavailable"


def _key(job_id: str) -> str:
    return f"loket:laporan:{job_id}"


def parse_month(raw: Any) -> dt.date:
    """``YYYY-MM`` → the first day of that month; a month not yet begun is refused."""
    if not isinstance(raw, str) or len(raw) != 7:
        raise InvalidInput("Bulan harus berformat YYYY-MM.", field="month", code="invalid_month")
    try:
        first = dt.date.fromisoformat(raw + "-01")
    except ValueError:
        raise InvalidInput("Bulan harus berformat YYYY-MM.", field="month",
                           code="invalid_month") from None
    if first > dt.date.today() or first.year < 2000:
        raise InvalidInput("Bulan ini belum dimulai atau di luar jangkauan.", field="month",
                           code="invalid_month")
    return first


def month_bounds(first: dt.date) -> tuple[dt.date, dt.date]:
    following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return first, following - dt.timedelta(days=1)


def _public(job_id: str, data: dict[str, Any]) -> dict[str, Any]:
    return {"id": job_id, "month": data["month"], "state": data["state"],
            "progress": int(data.get("progress", 0)), "requested_by": data.get("requested_by"),
            "error": data.get("error")}


def _redis_call(fn: Any, *args: Any) -> Any:
    try:
        return fn(*args)
    except Exception as exc:  # redis down: the report waits, nothing else breaks
        if isinstance(exc, LoketError):
            raise
        raise ReportsUnavailable("Pembuatan laporan sedang tidak tersedia; coba lagi nanti.",
                                 field=None) from exc


def save(redis: Any, job_id: str, **changes: Any) -> dict[str, Any]:
    data = load(redis, job_id) | changes
    redis.set(_key(job_id), json.dumps(data), ex=TTL_SECONDS)
    return data


def load(redis: Any, job_id: str) -> dict[str, Any]:
    raw = redis.get(_key(job_id))
    if raw is None:
        raise NotFound("Laporan tidak ditemukan (mungkin sudah kedaluwarsa).", field="id")
    return dict(json.loads(raw))


def request_report(redis: Any, month: dt.date, requested_by: str,
                   send: Any) -> dict[str, Any]:
    """Create the job and hand it to the workers; ``send(task, args)`` enqueues."""
    job_id = secrets.token_urlsafe(12)
    data = {"month": month.strftime("%Y-%m"), "state": "queued", "progress": 0,
            "requested_by": requested_by}
    _redis_call(lambda: redis.set(_key(job_id), json.dumps(data), ex=TTL_SECONDS))
    _redis_call(send, TASK, [job_id])
    return _public(job_id, data)


def status(redis: Any, job_id: str) -> dict[str, Any]:
    return _public(job_id, _redis_call(load, redis, job_id))


def pdf(redis: Any, job_id: str) -> tuple[bytes, str]:
    data = _redis_call(load, redis, job_id)
    if data["state"] != "done":
        raise Conflict("Laporan belum selesai dibuat.", field="id", code="not_ready")
    body = _redis_call(redis.get, _key(job_id) + ":pdf")
    if body is None:
        raise NotFound("Laporan tidak ditemukan (mungkin sudah kedaluwarsa).", field="id")
    return base64.b64decode(body), f"laporan-bulanan-{data['month']}.pdf"


def store_pdf(redis: Any, job_id: str, body: bytes) -> None:
    # The shared client decodes replies as text: the PDF travels as base64.
    redis.set(_key(job_id) + ":pdf", base64.b64encode(body).decode("ascii"), ex=TTL_SECONDS)
