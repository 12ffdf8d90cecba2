"""Documents the SOPs produce, as PDF with the office letterhead, numbered from a register."""

from __future__ import annotations

import datetime as dt
import io
import zoneinfo
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from sqlalchemy import select
from sqlalchemy.orm import Session

from loket.db import advance_counter
from loket.errors import ValidationFailed
from workflow_service.models import Case, Document, DocumentRegister

KINDS: dict[str, dict[str, Any]] = {
    "tanda_terima": {"title": "TANDA TERIMA BERKAS", "code": "TT", "sops": None},
    "surat_pengantar": {"title": "SURAT PENGANTAR", "code": "470", "sops": {"ektp", "kk"}},
    "lembar_disposisi": {"title": "LEMBAR DISPOSISI", "code": "065", "sops": {"pengaduan"}},
    "rekomendasi": {"title": "SURAT REKOMENDASI", "code": "400", "sops": {"rekomendasi"}},
}
# The kecamatan's code in the regency's numbering, as the SOP numbers show it.
OFFICE_CODE = "429.518"
MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
          "September", "Oktober", "November", "Desember"]

_env = Environment(loader=PackageLoader("workflow_service", "templates"),
                   autoescape=select_autoescape(["html"]))


def next_number(session: Session, kind: str, year: int) -> int:
    """The next number of the register for ``kind`` in ``year`` (atomic; see advance_counter)."""
    return advance_counter(session, DocumentRegister, {"kind": kind, "year": year},
                           "last_number")


def tanggal(value: dt.datetime) -> str:
    local = value.astimezone(zoneinfo.ZoneInfo("Asia/Jakarta"))
    return f"{local.day} {MONTHS[local.month - 1]} {local.year}"


def render_pdf(html: str) -> bytes:
    from weasyprint import HTML

    buffer = io.BytesIO()
    HTML(string=html).write_pdf(buffer)
    return buffer.getvalue()


def check_kind(case: Case, kind: str) -> None:
    """A kind the register knows, made for this case's SOP; otherwise 422 on ``kind``."""
    if kind not in KINDS:
        raise ValidationFailed(f"Jenis dokumen harus salah satu dari: {', '.join(KINDS)}.",
                               field="kind")
    allowed = KINDS[kind]["sops"]
    if allowed is not None and case.sop_code not in allowed:
        raise ValidationFailed(f"Dokumen '{kind}' tidak dibuat untuk layanan {case.sop_code}.",
                               field="kind")


def issue(session: Session, case: Case, kind: str, *, actor: str, context: dict[str, Any],
          now: dt.datetime | None = None, replaces: Document | None = None,
          reason: str | None = None) -> Document:
    """A first issue takes the register's next number; a re-issue (``replaces``, ``reason``)
    keeps the replaced document's number with the next version."""
    check_kind(case, kind)
    now = now or dt.datetime.now(dt.UTC)
    if replaces is None:
        local_year = now.astimezone(zoneinfo.ZoneInfo("Asia/Jakarta")).year
        serial = next_number(session, kind, local_year)
        number, version = f"{KINDS[kind]['code']}/{serial:03d}/{OFFICE_CODE}/{local_year}", 1
        reissue = None
    else:
        number, version = replaces.number, replaces.version + 1
        reissue = {"version": version, "replaced_date": tanggal(replaces.created_at)}
    html = _env.get_template(f"doc_{kind}.html").render(
        title=KINDS[kind]["title"], number=number, date=tanggal(now), case=case,
        reissue=reissue, **context)
    # The PDF is rendered after this write commits (see usecases/document_render.py).
    document = Document(case_id=case.id, kind=kind, number=number, version=version,
                        replaces_id=replaces.id if replaces else None, reason=reason,
                        created_by=actor, created_at=now, html=html, pdf=None)
    session.add(document)
    session.flush()
    return document


def documents_of(session: Session, case_id: int) -> list[Document]:
    return list(session.scalars(select(Document).where(Document.case_id == case_id)
                                .order_by(Document.id)))
