"""The queue's report figures, compared with the same figures worked out by hand."""

from __future__ import annotations

import csv
import io

import pytest

from tests.reports import history

pytestmark = pytest.mark.integration

PERIOD = "from=2026-11-02&to=2026-11-03"


@pytest.fixture
def reported(hall, db):
    history.write(db, history.FIXED)
    return hall


def _summary(hall, query: str = PERIOD, who: str = "camat"):
    resp = hall.client.get(f"/api/queue/reports/summary?{query}", headers=hall.staff(who))
    assert resp.status_code == 200, resp.json
    return resp.json


def _minutes(count, median, p90, maximum):
    return {"count": count, "median": median, "p90": p90, "max": maximum}


def test_totals_of_the_period_match_the_hand_count(reported) -> None:
    data = _summary(reported)
    totals = data["totals"]
    assert (totals["issued"], totals["served"], totals["no_show"], totals["cancelled"]) == \
        (6, 4, 1, 1)
    # waiting 4, 6, 10, 20, 30: median 10, p90 = 5th of 5 (ceil 4.5) = 30
    assert totals["waiting_minutes"] == _minutes(5, 10, 30, 30)
    # service 5, 10, 15, 30: median (10 + 15) / 2, p90 = 4th of 4 (ceil 3.6)
    assert totals["service_minutes"] == _minutes(4, 12.5, 30, 30)


def test_per_service_counter_officer_hour_and_day(reported) -> None:
    data = _summary(reported)
    ektp, kk = data["by_service"]
    assert ektp["service"] == "ektp" and (ektp["issued"], ektp["served"], ektp["no_show"]) == \
        (4, 3, 1)
    assert ektp["waiting_minutes"] == _minutes(4, 15, 30, 30)  # 6 10 20 30
    assert ektp["service_minutes"] == _minutes(3, 15, 30, 30)  # 10 15 30
    assert kk["service"] == "kk" and (kk["issued"], kk["served"], kk["cancelled"]) == (2, 1, 1)
    assert kk["waiting_minutes"] == _minutes(1, 4, 4, 4)
    one, two = data["by_counter"]
    assert (one["counter"], one["issued"], one["served"]) == (1, 3, 3)
    assert one["waiting_minutes"] == _minutes(3, 10, 20, 20)  # 6 10 20
    assert (two["counter"], two["issued"], two["served"], two["no_show"]) == (2, 2, 1, 1)
    assert two["waiting_minutes"] == _minutes(2, 17, 30, 30)  # 4 30
    officers = {o["officer"]: o["served"] for o in data["by_officer"]}
    assert officers == {"petugas1": 3, "petugas2": 1}
    assert [(h["hour"], h["issued"]) for h in data["by_hour"]] == [(8, 3), (9, 2), (10, 1)]
    assert data["by_day"] == [
        {"date": "2026-11-02", "issued": 5, "served": 3, "no_show": 1},
        {"date": "2026-11-03", "issued": 1, "served": 1, "no_show": 0}]


def test_one_day_and_an_empty_period(reported) -> None:
    day = _summary(reported, "from=2026-11-03&to=2026-11-03")["totals"]
    assert (day["issued"], day["served"]) == (1, 1)
    assert day["service_minutes"] == _minutes(1, 30, 30, 30)
    empty = _summary(reported, "from=2026-10-01&to=2026-10-31")["totals"]
    assert empty["issued"] == 0 and empty["waiting_minutes"]["median"] is None


def test_ticket_export_has_one_row_per_ticket_and_no_personal_data(reported) -> None:
    headers = reported.staff("sekcam")
    rows = reported.client.get(f"/api/queue/reports/tickets?{PERIOD}&format=json",
                               headers=headers).json["tickets"]
    assert [r["number"] for r in rows] == ["A001", "A002", "A003", "B001", "B002", "A001"]
    assert rows[0] == {"number": "A001", "service": "ektp", "date": "2026-11-02",
                       "issued": "2026-11-02 08:00:00", "called": "2026-11-02 08:10:00",
                       "finished": "2026-11-02 08:21:00", "status": "done", "counter": 1,
                       "waiting_minutes": 10.0, "service_minutes": 10.0}
    assert all(set(r) == set(rows[0]) for r in rows)  # no nik, no name, no details
    text = reported.client.get(f"/api/queue/reports/tickets?{PERIOD}&format=csv",
                               headers=headers)
    assert text.status_code == 200 and text.mimetype == "text/csv"
    assert "attachment" in text.headers["Content-Disposition"]
    table = list(csv.reader(io.StringIO(text.data.decode("utf-8-sig"))))
    assert table[0][:3] == ["Nomor", "Layanan", "Tanggal"] and len(table) == 7
    assert table[3][6] == "no_show" and table[3][9] == ""


def test_ticket_export_as_a_spreadsheet(reported) -> None:
    from openpyxl import load_workbook

    resp = reported.client.get(f"/api/queue/reports/tickets?{PERIOD}&format=xlsx",
                               headers=reported.staff("admin"))
    assert resp.status_code == 200 and resp.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(resp.data)).active
    values = list(sheet.iter_rows(values_only=True))
    assert len(values) == 7 and values[1][0] == "A001" and values[6][9] == 30


def test_a_petugas_and_a_kiosk_are_refused(reported) -> None:
    for path in (f"/api/queue/reports/summary?{PERIOD}", f"/api/queue/reports/tickets?{PERIOD}",
                 "/api/queue/forecast?arrivals_per_hour=30&service_minutes=6",
                 "/api/queue/forecast/table"):
        assert reported.client.get(path, headers=reported.staff("petugas1")).status_code == 403
        assert reported.client.get(path, headers=reported.kiosk).status_code == 403
        assert reported.client.get(path).status_code == 401


@pytest.mark.parametrize(("query", "field"), [
    ("from=2026-13-01", "from"), ("from=2026-11-03&to=2026-11-01", "to"),
    ("from=2020-01-01&to=2026-01-01", "to"), ("to=kemarin", "to")])
def test_a_bad_period_is_named_in_indonesian(reported, query: str, field: str) -> None:
    resp = reported.client.get(f"/api/queue/reports/summary?{query}",
                               headers=reported.staff("camat"))
    assert resp.status_code == 422 and resp.json["error"]["field"] == field
    assert "tanggal" in resp.json["error"]["message"].lower() or \
        "periode" in resp.json["error"]["message"].lower()


def test_a_bad_export_format_is_refused(reported) -> None:
    resp = reported.client.get(f"/api/queue/reports/tickets?{PERIOD}&format=pdf",
                               headers=reported.staff("camat"))
    assert resp.status_code == 422 and resp.json["error"]["field"] == "format"


def test_forecast_for_one_hour_follows_the_contract(hall) -> None:
    resp = hall.client.get("/api/queue/forecast?arrivals_per_hour=30&service_minutes=6"
                           "&target_wait_minutes=5&target_share=0.8", headers=hall.staff("camat"))
    assert resp.status_code == 200
    assert resp.json["counters"] == 5 and resp.json["service_level"] == 0.9554
    assert resp.json["probability_wait"] == 0.2362
    bad = hall.client.get("/api/queue/forecast?arrivals_per_hour=30&service_minutes=0",
                          headers=hall.staff("camat"))
    assert bad.status_code == 422 and bad.json["error"]["field"] == "service_minutes"
    missing = hall.client.get("/api/queue/forecast?service_minutes=6",
                              headers=hall.staff("camat"))
    assert missing.status_code == 422 and missing.json["error"]["field"] == "arrivals_per_hour"


def test_forecast_table_from_history(hall, db, time_machine) -> None:
    time_machine.move_to("2026-11-05T03:00:00+00:00")  # Thursday 10:00 WIB
    history.write(db, history.FIXED)
    resp = hall.client.get("/api/queue/forecast/table?weeks=1&target_wait_minutes=15"
                           "&target_share=0.8&planned=2", headers=hall.staff("camat"))
    assert resp.status_code == 200, resp.json
    data = resp.json
    assert (data["from"], data["to"]) == ("2026-10-29", "2026-11-04")
    # ektp service minutes from history: (10 + 15 + 30 + 1) / 4; kk: 5
    assert data["service_minutes"] == {"ektp": 14.0, "kk": 5.0}
    monday = next(r for r in data["table"] if r["weekday_name"] == "Senin")
    eight = next(c for c in monday["hours"] if c["hour"] == 8)
    assert eight["arrivals_per_hour"] == 2 and eight["service_minutes"] == 14
    from queue_service.domain.forecast import counters_needed, staffing

    assert eight["counters"] == counters_needed(2, 14, 15, 0.8).counters
    assert eight["planned_service_level"] == round(staffing(2, 2, 14, 15).service_level, 4)


def test_a_month_of_5000_tickets_is_reported_whole(hall, db) -> None:
    """No cap anywhere: every ticket of a busy month is counted, listed and exported."""
    import datetime as dt

    from sqlalchemy import insert, select

    from queue_service.models import Service, Ticket

    with db.session() as session:
        services = {s.code: s.id for s in session.scalars(select(Service))}
        codes = sorted(services)
        rows = []
        for i in range(5000):
            day = dt.date(2026, 10, 1 + i % 31)
            code = codes[i % len(codes)]
            issued = dt.datetime.combine(day, dt.time(1 + i % 7, i % 60), dt.UTC)
            done = i % 10 != 0  # every tenth did not come
            rows.append({
                "number": f"X{i:04d}", "issued_service_id": services[code], "issued_day": day,
                "seq": i + 1, "service_id": services[code], "service_day": day,
                "status": "done" if done else "no_show", "tracking_code": f"M{i:07d}",
                "details": {}, "recalls": 0, "is_returning": False, "issued_at": issued,
                "original_issued_at": issued, "updated_at": issued,
                "called_at": issued + dt.timedelta(minutes=i % 40),
                "serving_at": issued + dt.timedelta(minutes=i % 40 + 1) if done else None,
                "finished_at": issued + dt.timedelta(minutes=i % 40 + 9) if done else None})
        session.execute(insert(Ticket), rows)
    headers = hall.staff("camat")
    data = hall.client.get("/api/queue/reports/summary?from=2026-10-01&to=2026-10-31",
                           headers=headers).json
    totals = data["totals"]
    assert (totals["issued"], totals["served"], totals["no_show"]) == (5000, 4500, 500)
    assert totals["service_minutes"] == {"count": 4500, "median": 8, "p90": 8, "max": 8}
    assert totals["waiting_minutes"]["max"] == 39
    assert sum(d["issued"] for d in data["by_day"]) == 5000
    assert sum(s["issued"] for s in data["by_service"]) == 5000
    export = hall.client.get("/api/queue/reports/tickets?from=2026-10-01&to=2026-10-31",
                             headers=headers).json
    assert export["count"] == 5000 and len(export["tickets"]) == 5000
