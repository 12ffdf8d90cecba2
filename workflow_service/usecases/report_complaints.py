"""Complaints of a period by category (issue #21): how many came in, how many were closed, and
the median days to close, per topic the office offers (``sop/office/*.yaml``, the pengaduan
service's ``category`` question). Counted on the server; no names, no texts."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow_service.models import Case
from workflow_service.models_complaints import Complaint
from workflow_service.usecases.context import office

COMPLAINT_SOP = "pengaduan"
UNCATEGORISED = "Tanpa kategori"


def category_labels() -> dict[str, str]:
    """value -> label of the office's complaint topics, in the kiosk's order."""
    config = getattr(office(), "services", {}).get(COMPLAINT_SOP)
    for question in getattr(config, "questions", []) if config else []:
        if question.key == "category":
            return {c.value: str(getattr(c, "label", None) or c.value) for c in question.choices}
    return {}


def by_category(session: Session, start: dt.datetime, end: dt.datetime) -> list[dict[str, Any]]:
    """Every topic of the office (zero when none came), then any other stored topic, then the
    complaints without one (only when there are some)."""
    rows = session.execute(
        select(Complaint.category, Case.opened_at, Case.closed_at)
        .select_from(Case).outerjoin(Complaint, Complaint.case_id == Case.id)
        .where(Case.sop_code == COMPLAINT_SOP, Case.opened_at >= start, Case.opened_at < end))
    days: dict[str | None, list[float | None]] = defaultdict(list)
    for category, opened, closed in rows:
        days[category].append((closed - opened).total_seconds() / 86400 if closed else None)
    labels = category_labels()
    order: list[str | None] = [*labels, *sorted(k for k in days if k and k not in labels)]
    if days.get(None):
        order.append(None)
    result = []
    for code in order:
        values = days.get(code, [])
        done = [v for v in values if v is not None]
        result.append({
            "category": code,
            "label": labels.get(code, code) if code is not None else UNCATEGORISED,
            "count": len(values), "closed": len(done),
            "median_days_to_close": round(statistics.median(done), 2) if done else None})
    return result
