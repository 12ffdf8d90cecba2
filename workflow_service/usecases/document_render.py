"""A letter's PDF, rendered with no write session open.

Issuing a document is one short write: the register number, the letter as HTML and a row with
no PDF yet. WeasyPrint then renders the PDF (a few hundred milliseconds of CPU) with no session
open, and a second short write stores it. On SQLite every kiosk and counter write waits for the
one write lock, so it must never be held across a render. If the process dies between the two
writes, the first download renders the stored HTML the same way.
"""

from __future__ import annotations

import logging

from sqlalchemy import select, update

from loket.db import Database
from workflow_service import documents as pdf
from workflow_service.models import Document

logger = logging.getLogger(__name__)


def render_after_issue(db: Database, document_id: int) -> None:
    """Right after the issuing write: render and store. A failure leaves the letter issued
    (its number is taken and recorded) and is retried by its first download."""
    try:
        render_stored(db, document_id)
    except Exception:
        logger.exception("document %s: PDF not rendered yet", document_id)


def render_stored(db: Database, document_id: int) -> bytes:
    """Render the stored HTML of a document whose PDF is missing, store it, and return it."""
    with db.read_session() as session:
        stored, html = session.execute(
            select(Document.pdf, Document.html).where(Document.id == document_id)).one()
    if stored is not None:
        return bytes(stored)
    if html is None:  # cannot happen for rows this code writes; older rows all have a PDF
        raise RuntimeError(f"document {document_id} has neither a PDF nor its HTML")
    body = pdf.render_pdf(html)  # no session open
    with db.session() as session:
        # Two renders at once (issue and a download): the first stored one stays.
        session.execute(update(Document).where(Document.id == document_id,
                                               Document.pdf.is_(None)).values(pdf=body))
    return body
