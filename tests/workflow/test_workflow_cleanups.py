"""One definition per rule (issue #14's last lines): the report period, the report readers,
the office's zone, and the closing alert published by the unit of work."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from loket import events
from loket.errors import ValidationFailed
from tests.workflow.test_workflow_guests import GROUP, WIB, pool  # noqa: F401 - fixture


def test_both_services_read_a_period_with_the_one_shared_rule() -> None:
    from loket import periods

    today = dt.date(2026, 11, 30)
    assert periods.parse_period(None, None, today) == (today, today)
    assert periods.parse_period("2026-11-02", None, today) == (dt.date(2026, 11, 2),) * 2
    assert periods.parse_period("2026-11-01", "2026-11-30", today) == (
        dt.date(2026, 11, 1), today)
    for raw_from, raw_to, field, code in (("2026-13-01", None, "from", "invalid_date"),
                                          ("2026-11-02", "2026-11-01", "to", "invalid_period"),
                                          ("2025-01-01", "2026-11-30", "to", "period_too_long")):
        with pytest.raises(ValidationFailed) as caught:
            periods.parse_period(raw_from, raw_to, today)
        assert (caught.value.field, caught.value.code) == (field, code)
        assert "Tanggal" in caught.value.message or "Periode" in caught.value.message


def test_report_readers_come_from_the_role_registry() -> None:
    from queue_service.usecases import reports as queue_reports
    from sop import roles
    from workflow_service.usecases import reports as workflow_reports

    assert roles.report_roles() == ("sekcam", "camat")
    assert queue_reports.REPORT_ROLES == workflow_reports.REPORT_ROLES == roles.report_roles()
    registry = roles.load_roles()
    assert all(registry.get(code).kind == "staff" for code in roles.report_roles())


def test_workflow_reports_count_days_in_the_office_zone(tmp_path, monkeypatch) -> None:
    from loket.settings import get_settings
    from sop.office import DEFAULT_OFFICE_PATH
    from workflow_service.usecases import context, reports

    assert context.office_timezone() == "Asia/Jakarta"
    makassar = tmp_path / "office.yaml"  # the same office, one zone further east
    makassar.write_text(DEFAULT_OFFICE_PATH.read_text(encoding="utf-8").replace(
        "timezone: Asia/Jakarta", "timezone: Asia/Makassar"), encoding="utf-8")
    monkeypatch.setenv("LOKET_OFFICE_FILE", str(makassar))
    get_settings.cache_clear()
    try:
        assert context.office_timezone() == "Asia/Makassar"
        # 16:30 UTC is 23:30 in Jakarta, already the next day (00:30) in Makassar.
        late = dt.datetime(2026, 11, 30, 16, 30, tzinfo=dt.UTC)
        assert reports.parse_period(None, None, late) == (dt.date(2026, 12, 1),) * 2
    finally:
        monkeypatch.delenv("LOKET_OFFICE_FILE")
        get_settings.cache_clear()


def test_the_closing_alert_task_commits_then_publishes(wf_app, client, auth, pool,  # noqa: F811
                                                       db, redis_client) -> None:
    import time_machine

    from workflow_service.tasks_reception import guest_closing_alert

    client.post("/guests", json=GROUP, headers=auth("petugas"))
    with wf_app.app_context(), \
            time_machine.travel(dt.datetime(2026, 12, 7, 16, 5, tzinfo=WIB)):  # Monday, closed
        event_id = guest_closing_alert()
    assert event_id is not None
    with db.read_session() as session:
        row = session.scalar(select(events.Event).where(events.Event.id == event_id))
        assert row is not None and row.type == "guest.closing_alert"
        assert row.published_at is not None  # published after the commit, not left to the relay


def test_the_buku_tamu_and_the_complaint_register_share_one_letterhead() -> None:
    from workflow_service.usecases.tables import _env

    common = {"office_name": "Kecamatan Genteng", "office_address": "Jl. Contoh 1",
              "columns": ["No"], "rows": [], "masked": True}
    guests = _env.get_template("guest_book.html").render(
        period=type("P", (), {"label": "November 2026"})(), **common)
    register = _env.get_template("register_table.html").render(
        title="Register Pengaduan November 2026", **common)
    for html in (guests, register):
        assert "PEMERINTAH KABUPATEN BANYUWANGI" in html and "KECAMATAN GENTENG" in html
        assert html.count("<table>") == 1 and "@page { size: A4 landscape" in html
    assert "BUKU TAMU — NOVEMBER 2026" in guests
    assert "Tidak ada tamu pada periode ini." in guests and "disamarkan" in guests
    assert "REGISTER PENGADUAN NOVEMBER 2026" in register
    assert "Tidak ada pengaduan pada periode ini." in register
    assert "body { font-size: 7.5pt; }" in register  # the register's own, smaller sizes
