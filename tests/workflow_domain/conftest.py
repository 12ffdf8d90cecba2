"""Fixtures for the workflow domain: the office calendar of Kecamatan Genteng."""

from __future__ import annotations

import pytest

from workflow_service.domain.calendar import BusinessCalendar


@pytest.fixture
def calendar() -> BusinessCalendar:
    """The default calendar: Perpres 21/2023 hours, national holidays and cuti bersama."""
    return BusinessCalendar()


@pytest.fixture
def genteng_calendar() -> BusinessCalendar:
    """The default calendar plus a local closed day and a Saturday service day."""
    return BusinessCalendar.from_config(
        {
            "timezone": "Asia/Jakarta",
            "closed_dates": [{"date": "2026-12-18", "name": "Hari Jadi Banyuwangi"}],
            "open_dates": [
                {"date": "2026-12-12", "name": "Pelayanan Sabtu", "hours": [["08:00", "12:00"]]}
            ],
        }
    )
