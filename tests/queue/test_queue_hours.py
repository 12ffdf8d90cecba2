"""Opening hours: outside them (and on holidays) the kiosk gets a clear refusal, nothing else."""

from __future__ import annotations

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

import pytest
import time_machine

from queue_service.domain import hours
from tests.queue.conftest import Hall, mounted

WIB = ZoneInfo("Asia/Jakarta")
DEMO = {"mon-thu": "07:30-15:30", "fri": "07:30-14:30"}


def wib(year: int, month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=WIB)


def test_parse_and_describe_in_bahasa_indonesia() -> None:
    parsed = hours.parse(DEMO)
    assert parsed.describe() == "Senin–Kamis 07.30–15.30; Jumat 07.30–14.30"
    with_break = hours.parse({"mon": ["07:30-12:00", "13:00-16:00"], "sat": "08.00-11.00"})
    assert with_break.describe() == "Senin 07.30–12.00, 13.00–16.00; Sabtu 08.00–11.00"


def test_open_at_follows_the_weekday_and_the_minute() -> None:
    parsed = hours.parse(DEMO)
    assert parsed.open_at(wib(2026, 11, 30, 7, 30))  # Monday, opening minute
    assert not parsed.open_at(wib(2026, 11, 30, 7, 29))
    assert not parsed.open_at(wib(2026, 11, 30, 15, 30))  # closing minute: closed
    assert parsed.open_at(wib(2026, 12, 4, 14, 29))  # Friday
    assert not parsed.open_at(wib(2026, 12, 4, 14, 30))
    assert not parsed.open_at(wib(2026, 12, 5, 10, 0))  # Saturday


def test_next_opening_skips_weekends_and_holidays_with_cuti_bersama() -> None:
    parsed = hours.parse(DEMO)
    assert parsed.next_opening(wib(2026, 11, 30, 21, 0)) == wib(2026, 12, 1, 7, 30)
    # Wednesday 23 December evening: Thursday 24 is cuti bersama, Friday 25 Christmas.
    assert parsed.next_opening(wib(2026, 12, 23, 16, 0)) == wib(2026, 12, 28, 7, 30)
    assert hours.describe_moment(wib(2026, 12, 28, 7, 30)) == "Senin, 28 Desember 07.30"


@pytest.mark.parametrize("raw", [{"monday-x": "07:30-15:30"}, {"fri-mon": "07:30-15:30"},
                                 {"mon": "7.30 to 15.30"}, {"mon": "15:30-07:30"},
                                 {"mon": "25:00-26:00"}, {"mon": 730}])
def test_bad_hours_are_refused_with_a_message(raw) -> None:
    with pytest.raises(hours.HoursError):
        hours.parse(raw)


@pytest.fixture
def enforced(settings, hall: Hall) -> Hall:
    from queue_service.app import create_app

    strict = settings.model_copy(update={"enforce_opening_hours": True})
    return Hall(app=mounted(create_app(strict)), demo=hall.demo)


@pytest.mark.integration
def test_kiosk_gets_a_ticket_while_open(enforced: Hall) -> None:
    with time_machine.travel(wib(2026, 11, 30, 10, 0), tick=False):
        assert enforced.issue("ektp")["number"] == "C001"


@pytest.mark.integration
@pytest.mark.parametrize(("moment", "holiday", "reopens"), [
    (wib(2026, 11, 30, 21, 0), False, "Selasa, 1 Desember 07.30"),
    (wib(2026, 12, 5, 9, 0), False, "Senin, 7 Desember 07.30"),  # Saturday
    (wib(2026, 12, 25, 9, 0), True, "Senin, 28 Desember 07.30"),  # Christmas
])
def test_closed_hall_refuses_with_hours_and_reopening_and_changes_nothing(
        enforced: Hall, count_rows, moment, holiday, reopens) -> None:
    before = count_rows()
    with time_machine.travel(moment, tick=False):
        resp = enforced.client.post("/api/queue/tickets", json={"service": "ektp"},
                                    headers=enforced.kiosk)
    assert resp.status_code == 409, resp.json
    error = resp.json["error"]
    assert error["code"] == "office_closed" and error["field"] == "service"
    assert error["message"].startswith("Maaf, kantor sedang tutup")
    assert ("hari libur" in error["message"]) == holiday
    assert "Jam layanan: Senin–Kamis 07.30–15.30; Jumat 07.30–14.30." in error["message"]
    assert error["message"].endswith(f"Buka lagi {reopens}.")
    assert count_rows() == before


@pytest.mark.integration
def test_a_retry_after_closing_returns_the_ticket_issued_before(enforced: Hall) -> None:
    headers = {**enforced.kiosk, "Idempotency-Key": str(uuid.uuid4())}
    with time_machine.travel(wib(2026, 11, 30, 15, 29, ), tick=False):
        first = enforced.client.post("/api/queue/tickets", json={"service": "kk"},
                                     headers=headers)
    with time_machine.travel(wib(2026, 11, 30, 15, 31), tick=False):
        again = enforced.client.post("/api/queue/tickets", json={"service": "kk"},
                                     headers=headers)
    assert first.status_code == 201 and again.status_code == 201
    assert again.json["id"] == first.json["id"]


@pytest.mark.integration
def test_hours_are_not_enforced_unless_configured(hall: Hall) -> None:
    """Development and test default: a demo at night still hands out numbers."""
    with time_machine.travel(wib(2026, 11, 30, 21, 0), tick=False):
        assert hall.issue("ektp")["number"] == "C001"


@pytest.mark.integration
def test_services_tell_the_kiosk_when_the_hall_is_closed(enforced: Hall, hall: Hall) -> None:
    with time_machine.travel(wib(2026, 11, 30, 21, 0), tick=False):
        closed = enforced.client.get("/api/queue/services").json["office"]
        refused = enforced.client.post("/api/queue/tickets", json={"service": "kk"},
                                       headers=enforced.kiosk).json["error"]["message"]
        not_enforced = hall.client.get("/api/queue/services").json["office"]
    assert closed == {"open": False, "message": refused}
    assert not_enforced == {"open": True, "message": None}
    with time_machine.travel(wib(2026, 11, 30, 10, 0), tick=False):
        assert enforced.client.get("/api/queue/services").json["office"] == {
            "open": True, "message": None}
