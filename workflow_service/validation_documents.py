"""Input of a document re-issue (``POST /cases/{id}/documents/{kind}/reissue``)."""

from __future__ import annotations

from typing import Any

from loket.errors import ValidationFailed
from workflow_service.validation import DocumentRequest, parse_document, text

REASON_MIN, REASON_MAX = 5, 500


def parse_reissue(data: dict[str, Any]) -> tuple[DocumentRequest, str]:
    """The letter's optional fields and the reason, which is required (5–500 characters)."""
    reason = (text(data, "reason", max_length=REASON_MAX, label="alasan") or "").strip()
    if not reason:
        raise ValidationFailed("Alasan penerbitan ulang wajib diisi.", field="reason",
                               code="reason_required")
    if len(reason) < REASON_MIN or "\x00" in reason:
        raise ValidationFailed(
            f"Alasan penerbitan ulang harus teks {REASON_MIN}–{REASON_MAX} karakter.",
            field="reason")
    return parse_document(data), reason
