"""What the citizen reads: their ticket page, and the standar pelayanan of a service
(PermenPANRB 15/2014, the service-delivery components published to the public)."""

from __future__ import annotations

from typing import Any

from queue_service import sop_services
from queue_service.usecases import queries, survey, tickets
from queue_service.usecases.context import QueueContext

# Until the office sets a fee (admin settings), a kecamatan's services are free of charge:
# population documents by UU 23/2006 as amended by UU 24/2013, pasal 79A; the rest by practice.
DEFAULT_FEE = "Gratis (tidak dipungut biaya)"
# The product of each service, read from the SOP's "Output" column (its last steps), until the
# admin sets one; a service not listed shows the output of its last step that has one.
PRODUCTS = {
    "penerimaan-tamu": "Pertemuan dengan pejabat/pegawai yang dituju",
    "pengaduan": "Tanggapan/jawaban atas pengaduan",
    "ektp": "Surat pengantar dan biodata pemohon untuk KTP-el",
    "kk": "Kartu Keluarga (KK)",
    "rekomendasi": "Surat rekomendasi",
}
COMPLAINT_CHANNELS = (
    "Layanan pengaduan di kantor kecamatan (ambil nomor antrean 'Pengaduan' di kiosk)",
    "Kotak saran di ruang pelayanan",
    "SP4N-LAPOR! (www.lapor.go.id)",
)


def office_name(ctx: QueueContext) -> str:
    with ctx.db.read_session() as session:
        return queries.office_row(session, ctx.settings)[0]


def ticket_page(ctx: QueueContext, tracking_code: str) -> dict[str, Any]:
    """The ticket (public JSON), whether its survey is open, and the office's name."""
    ticket = tickets.public_status(ctx, tracking_code)
    return {"ticket": ticket, "survey": survey.survey_state(ctx, tracking_code),
            "office": office_name(ctx)}


def _duration_text(steps: tuple[dict[str, Any], ...]) -> str:
    from sop.durations import describe, parse_iso_duration

    days = minutes = 0
    for step in steps:
        if step["time_standard"]:
            duration = parse_iso_duration(step["time_standard"])
            days += duration.days
            minutes += duration.seconds // 60
    parts = []
    if days:
        parts.append(f"{days} hari kerja")
    if minutes:
        parts.append(describe(parse_iso_duration(f"PT{minutes}M")))
    return " + ".join(parts) if parts else "Seperlunya"


def standard(ctx: QueueContext, code: str) -> dict[str, Any]:
    """The standar pelayanan of one service, from the SOP catalog and the office's settings."""
    with ctx.db.read_session() as session:
        row = queries.service_by_code(session, code)
        office = queries.office_row(session, ctx.settings)[0]
        fee = getattr(row, "fee", None)  # the admin's setting where the office has one
        product = getattr(row, "product", None)
    info = sop_services.by_code()[row.code]
    from sop import load_catalog

    sop = load_catalog().get(row.code)
    outputs = [", ".join(step.output) for step in sop.steps if step.output]
    return {
        "office": office, "code": row.code, "name": row.name,
        "unit": sop.unit, "sop_number": sop.number, "legal_basis": list(sop.legal_basis),
        "requirements": list(info.bring), "requirements_are_demo": info.bring_is_demo,
        "procedure": ["; ".join(step.activity_lines) for step in sop.steps],
        "duration": _duration_text(info.steps),
        "fee": fee if fee and fee.lower() != "gratis" else DEFAULT_FEE,
        "product": product or PRODUCTS.get(row.code) or (outputs[-1] if outputs else row.name),
        "complaints": list(COMPLAINT_CHANNELS),
    }
