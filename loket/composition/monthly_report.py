"""The laporan bulanan: queue figures and SOP compliance of one month as a signed PDF.

Composition level (like the CLI and the Celery task list): the one report that needs both
services reads each through its own report use case, never through the other's tables. The
Celery task ``loket.monthly_report`` makes it for a job the queue service created
(queue_service/usecases/monthly.py), reporting progress as it goes.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from pathlib import Path
from typing import Any

from celery import shared_task

logger = logging.getLogger(__name__)

MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
          "September", "Oktober", "November", "Desember")
TEMPLATES = Path(__file__).resolve().parent / "templates"


def month_name(first: dt.date) -> str:
    return f"{MONTHS[first.month - 1]} {first.year}"


def figures(db: Any, first: dt.date, last: dt.date) -> dict[str, Any]:
    """Both services' figures of the period, each from its own report use case."""
    from queue_service.usecases import reports as queue_reports
    from workflow_service.usecases import reports as workflow_reports

    with db.read_session() as session:
        queue = queue_reports.summary_in(session, first, last)
    with db.read_session() as session:
        compliance = workflow_reports.compliance(session, first, last)
    return {"queue": queue, "compliance": compliance, "skm": skm_of(db, first, last)}


def skm_of(db: Any, first: dt.date, last: dt.date) -> dict[str, Any]:
    """The period's SKM/IKM, from the queue's survey report use case (anonymous)."""
    from loket.settings import get_settings
    from queue_service.usecases import survey
    from queue_service.usecases.context import QueueContext

    # The report reads only the database; it publishes nothing, so it needs no Redis.
    return survey.report(QueueContext(db=db, redis=None, settings=get_settings()),
                         first, last, None)


def charts(data: dict[str, Any]) -> dict[str, str]:
    from loket import svgchart

    queue = data["queue"]
    hours = {h["hour"]: h["issued"] for h in queue["by_hour"]}
    span = range(min(hours, default=8), max(hours, default=15) + 1)
    steps = [s for s in data["compliance"]["steps"] if s["on_time_share"] is not None]
    return {
        "day": svgchart.bar_chart("Antrean diambil per hari",
                                  [d["date"][8:10] for d in queue["by_day"]],
                                  [d["issued"] for d in queue["by_day"]], colour="#1d4e89"),
        "hour": svgchart.bar_chart("Antrean diambil per jam", [f"{h:02d}" for h in span],
                                   [hours.get(h, 0) for h in span]),
        "on_time": svgchart.bar_chart(
            "Persentase tepat waktu per langkah SOP",
            [f"{s['sop'][:4]}-{s['step']}" for s in steps],
            [round(100 * s["on_time_share"]) for s in steps], colour="#0b6e4f", unit=" %"),
    }


def render_html(data: dict[str, Any], first: dt.date, now: dt.datetime) -> str:
    from jinja2 import Environment, FileSystemLoader, select_autoescape
    from markupsafe import Markup

    from loket.settings import get_settings
    from sop import load_office
    from workflow_service.usecases.context import catalog

    office = load_office(get_settings().office_file)
    sops = list(catalog())
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))
    env.filters["num"] = lambda v: "—" if v is None else f"{v:g}".replace(".", ",")
    env.filters["pct"] = lambda v: "—" if v is None else f"{100 * v:.1f} %".replace(".", ",")
    local = now.astimezone(dt.timezone(dt.timedelta(hours=7)))
    return env.get_template("laporan_bulanan.html").render(
        office=office, month=month_name(first), data=data,
        charts={k: Markup(v) for k, v in charts(data).items()},
        sop_names={s.code: s.name for s in sops}, approver=sops[0].approved_by,
        signed_on=f"{local.day} {MONTHS[local.month - 1]} {local.year}")


def render_pdf(html: str) -> bytes:
    from weasyprint import HTML

    buffer = io.BytesIO()
    HTML(string=html, base_url=str(TEMPLATES)).write_pdf(buffer)
    return buffer.getvalue()


def build(db: Any, first: dt.date, progress: Any = None,
          now: dt.datetime | None = None) -> bytes:
    """The PDF of the month beginning ``first``; ``progress(percent)`` hears how far it is."""
    from queue_service.usecases.monthly import month_bounds

    say = progress or (lambda _: None)
    first, last = month_bounds(first)
    data = figures(db, first, last)
    say(50)
    html = render_html(data, first, now or dt.datetime.now(dt.UTC))
    say(70)
    return render_pdf(html)


@shared_task(name="loket.monthly_report")
def monthly_report(job_id: str) -> str | None:
    """Make the PDF of a job; a job already done (a redelivered message) is left alone."""
    from loket.app_support import get_db, get_redis
    from queue_service.usecases import monthly

    redis = get_redis()
    try:
        job = monthly.load(redis, job_id)
    except Exception:
        logger.warning("monthly report job %s is gone", job_id)
        return None
    if job["state"] == "done":
        return job_id
    monthly.save(redis, job_id, state="running", progress=10)
    try:
        body = build(get_db(), dt.date.fromisoformat(job["month"] + "-01"),
                     lambda pct: monthly.save(redis, job_id, progress=pct))
    except Exception:
        logger.exception("monthly report %s failed", job_id)
        monthly.save(redis, job_id, state="failed", error="Laporan gagal dibuat.")
        return None
    monthly.store_pdf(redis, job_id, body)
    monthly.save(redis, job_id, state="done", progress=100)
    logger.info("monthly report %s ready (%s bytes)", job_id, len(body))
    return job_id
