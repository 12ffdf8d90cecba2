"""The laporan bulanan: asked for over the API, made by a real Celery worker, a real PDF."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import time
from pathlib import Path

import pytest

from tests.reports import history, workflow_history
from tests.support import require_binary

pytestmark = pytest.mark.integration

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _complaint_and_survey(db) -> None:
    """November also has a complaint on adminduk by WhatsApp, closed after 30 minutes, and two
    SKM answers of served visitors: every unsur 4 and every unsur 3 (NRR 3.5, IKM 87.5, B)."""
    from sqlalchemy import select

    from queue_service.domain.skm import UNSUR_CODES
    from queue_service.models import SurveyResponse, Ticket
    from workflow_service.domain.complaints import parse_complaint
    from workflow_service.usecases import complaints

    at = workflow_history.at
    with db.session() as session:
        item = parse_complaint({"text": "Antrean e-KTP terlalu lama pada pagi hari.",
                                "category": "adminduk"}, complaints.categories(),
                               contact_required=False)
        case = complaints.submit(session, item, channel="whatsapp", actor="petugas1",
                                 actor_role="petugas", now=at("2026-11-03", "09:00")).case
        workflow_history._do(session, case.id, "cancel", at("2026-11-03", "09:30"),
                             reason="pelapor membatalkan")
        served = list(session.scalars(select(Ticket).where(
            Ticket.status == "done", Ticket.service_day >= dt.date(2026, 11, 1))
            .order_by(Ticket.id).limit(2)))
        for ticket, value in zip(served, (4, 3), strict=True):
            session.add(SurveyResponse(
                ticket_id=ticket.id, service_id=ticket.service_id,
                service_day=ticket.service_day, answers=dict.fromkeys(UNSUR_CODES, value),
                created_at=at("2026-11-05", "12:00")))


def test_a_worker_makes_the_pdf_and_it_is_downloadable_when_ready(hall, db, celery_worker,
                                                                   tmp_path) -> None:
    from workflow_service.usecases.report_complaints import category_labels

    history.write(db, history.FIXED)
    workflow_history.write(db)
    _complaint_and_survey(db)
    headers = hall.staff("camat")
    resp = hall.client.post("/api/queue/reports/monthly", json={"month": "2026-11"},
                            headers=headers)
    assert resp.status_code == 202, resp.json
    job = resp.json
    assert job["state"] == "queued" and job["month"] == "2026-11"
    seen = set()
    deadline = time.monotonic() + 90
    while job["state"] not in ("done", "failed") and time.monotonic() < deadline:
        time.sleep(0.3)
        job = hall.client.get(f"/api/queue/reports/monthly/{job['id']}", headers=headers).json
        seen.add(job["state"])
    assert job["state"] == "done", (job, celery_worker.log.read_text()[-3000:])
    assert job["progress"] == 100
    pdf = hall.client.get(f"/api/queue/reports/monthly/{job['id']}/pdf", headers=headers)
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF")
    path = tmp_path / "laporan.pdf"
    path.write_bytes(pdf.data)
    text = subprocess.run([require_binary("pdftotext"), "-layout", str(path), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "LAPORAN BULANAN PELAYANAN" in text and "November 2026" in text
    assert "KECAMATAN GENTENG" in text and "CAMAT GENTENG" in text and "NIP." in text
    # The fixed history's November: 7 tickets, 5 served, 1 no-show, median wait
    # (1 4 6 10 20 30) = 8 minutes.
    kpis = re.search(r"(\d+)\s+(\d+)\s+(\d+)\s+([\d,]+)\s*\n\s*antrean diambil", text)
    assert kpis is not None and kpis.groups() == ("7", "5", "1", "8"), text[:1500]
    assert "Telepon" in text  # the complaint by telephone
    # Complaints by category: adminduk 1 in, 1 closed after 30 minutes (0.02 days); the
    # telephone complaint has no category.
    assert "Pengaduan per kategori" in text
    assert re.search(re.escape(category_labels()["adminduk"]) + r"\s+1\s+1\s+0,02\b", text), text
    assert re.search(r"Tanpa kategori\s+1\s+1\s+0,01\b", text), text
    # SKM: two respondents, NRR 3.5 for every unsur, IKM 87.5, mutu B.
    assert "Survei Kepuasan Masyarakat" in text
    assert re.search(r"IKM\):\s+87,5\s+\(mutu B, kinerja baik\) dari 2 responden", text), text
    assert len(re.findall(r"\bU\d .*?\s2\s+3,5\s+87,5\b", text)) == 9, text


def test_a_report_not_ready_a_bad_month_and_a_petugas(hall) -> None:
    from queue_service.usecases import monthly

    redis = hall.app.extensions["queue"].redis
    job = monthly.request_report(redis, monthly.parse_month("2026-10"), "camat",
                                 lambda task, args: None)  # nobody makes it
    headers = hall.staff("sekcam")
    assert hall.client.get(f"/api/queue/reports/monthly/{job['id']}",
                           headers=headers).json["state"] == "queued"
    early = hall.client.get(f"/api/queue/reports/monthly/{job['id']}/pdf", headers=headers)
    assert early.status_code == 409 and early.json["error"]["code"] == "not_ready"
    gone = hall.client.get("/api/queue/reports/monthly/tidak-ada", headers=headers)
    assert gone.status_code == 404
    for month in ("2026-13", "November", "2999-01", None):
        bad = hall.client.post("/api/queue/reports/monthly", json={"month": month},
                               headers=headers)
        assert bad.status_code == 422 and bad.json["error"]["field"] == "month"
    refused = hall.client.post("/api/queue/reports/monthly", json={"month": "2026-10"},
                               headers=hall.staff("petugas1"))
    assert refused.status_code == 403
    assert hall.client.get(f"/api/queue/reports/monthly/{job['id']}",
                           headers=hall.staff("petugas1")).status_code == 403


@pytest.mark.ui
def test_monthly_pdf_pages_as_screenshots(db, settings, tmp_path) -> None:
    """The monthly PDF of a seeded month, each page rendered with pdftoppm for the docs."""
    import datetime as dt

    from loket.composition import demo_history, monthly_report
    from queue_service.seed import seed_demo

    pdftoppm = require_binary("pdftoppm")
    seed_demo(settings)
    demo_history.fill(settings, days=12, seed=21, case_share=0.15, today=dt.date(2026, 10, 13))
    body = monthly_report.build(db, dt.date(2026, 10, 1),
                                now=dt.datetime(2026, 11, 2, 2, tzinfo=dt.UTC))
    path = tmp_path / "laporan.pdf"
    path.write_bytes(body)
    subprocess.run([pdftoppm, "-r", "70", "-png", str(path), str(tmp_path / "page")],
                   check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 2
    for old in SCREENSHOTS.glob("laporan-bulanan-*.png"):
        old.unlink()
    for number, page in enumerate(pages, start=1):
        page.replace(SCREENSHOTS / f"laporan-bulanan-{number}.png")
