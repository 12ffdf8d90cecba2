"""Complaints by category (issue #21), compared with a count by hand, on the report and its API."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.reports import workflow_history
from tests.reports.workflow_history import at

pytestmark = pytest.mark.integration

TEXT = "Antrean perekaman e-KTP terlalu lama, mohon ditambah petugas pada pagi hari."


def _complaint(session, category: str | None, when: dt.datetime) -> int:
    from workflow_service.domain.complaints import parse_complaint
    from workflow_service.usecases import complaints

    item = parse_complaint({"text": TEXT, "category": category}, complaints.categories(),
                           contact_required=False)
    return complaints.submit(session, item, channel="telepon", actor="petugas1",
                             actor_role="petugas", now=when).case.id


@pytest.fixture
def complaints_written(db):
    """2 Nov: two adminduk (one closed after 30 minutes), one infrastruktur, one without a
    topic; 4 Nov (outside the period): one adminduk."""
    day = "2026-11-02"
    with db.session() as session:
        first = _complaint(session, "adminduk", at(day, "09:00"))
        _complaint(session, "adminduk", at(day, "09:30"))
        _complaint(session, "infrastruktur", at(day, "10:00"))
        _complaint(session, None, at(day, "11:00"))
        _complaint(session, "adminduk", at("2026-11-04", "09:00"))
        workflow_history._do(session, first, "cancel", at(day, "09:30"),
                             reason="pelapor membatalkan")


def test_complaints_per_category_match_the_hand_count(db, complaints_written) -> None:
    from workflow_service.usecases import reports
    from workflow_service.usecases.report_complaints import category_labels

    with db.session() as session:
        data = reports.compliance(session, dt.date(2026, 11, 2), dt.date(2026, 11, 3),
                                  now=at("2026-11-02", "12:00"))
    rows = {r["category"]: r for r in data["complaint_categories"]}
    labels = category_labels()
    assert list(rows)[:len(labels)] == list(labels)  # the office's topics, in its order
    assert (rows["adminduk"]["count"], rows["adminduk"]["closed"]) == (2, 1)
    assert rows["adminduk"]["median_days_to_close"] == round(30 / 1440, 2)
    assert rows["adminduk"]["label"] == labels["adminduk"]
    assert (rows["infrastruktur"]["count"], rows["infrastruktur"]["closed"]) == (1, 0)
    assert rows["infrastruktur"]["median_days_to_close"] is None
    assert rows["layanan_kecamatan"]["count"] == 0  # offered, none came
    assert rows[None] == {"category": None, "label": "Tanpa kategori", "count": 1, "closed": 0,
                          "median_days_to_close": None}
    assert sum(r["count"] for r in rows.values()) == 4  # 4 November is outside
    by_channel = {c["channel"]: c["count"] for c in data["complaints"]}
    assert by_channel == {"telepon": 4}


def test_the_compliance_api_carries_the_categories_for_the_leadership_only(
        client, auth, complaints_written) -> None:
    period = "from=2026-11-02&to=2026-11-03"
    resp = client.get(f"/reports/compliance?{period}", headers=auth("sekcam"))
    assert resp.status_code == 200
    counts = {r["category"]: r["count"] for r in resp.json["complaint_categories"]}
    assert counts["adminduk"] == 2 and counts[None] == 1
    assert client.get(f"/reports/compliance?{period}",
                      headers=auth("petugas")).status_code == 403
