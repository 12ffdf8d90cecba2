"""SOP compliance per SOP and step, compared with the same figures worked out by hand."""

from __future__ import annotations

import csv
import io

import pytest

from tests.reports import workflow_history

pytestmark = pytest.mark.integration

PERIOD = "from=2026-11-02&to=2026-11-03"


@pytest.fixture
def history(db):
    ids = workflow_history.write(db)
    fired = workflow_history.fire_due_escalations(db, workflow_history.at("2026-11-02", "10:00"))
    return ids, fired


def _report(db, now_hm: str = "10:00"):
    import datetime as dt

    from workflow_service.usecases import reports

    with db.session() as session:
        return reports.compliance(session, dt.date(2026, 11, 2), dt.date(2026, 11, 3),
                                  now=workflow_history.at("2026-11-02", now_hm))


def test_on_time_and_late_per_step_match_the_hand_count(db, history) -> None:
    _, fired = history
    data = _report(db)
    ektp = {s["step"]: s for s in data["steps"] if s["sop"] == "ektp"}
    one, two, three, four = ektp["1"], ektp["2"], ektp["3"], ektp["4"]
    assert (one["cases"], one["finished"], one["on_time"], one["late"]) == (2, 2, 2, 0)
    assert one["on_time_share"] == 1.0 and one["paused_minutes"] == 30.0
    # X's step 2 took nine minutes of three; Y's has run past its three minutes
    assert (two["cases"], two["finished"], two["on_time"], two["late"]) == (2, 1, 0, 2)
    assert two["on_time_share"] == 0.0
    assert (three["cases"], three["on_time"], four["on_time"]) == (1, 1, 1)
    assert fired >= 2  # Y's step 2: the reminder and the breach at least
    assert two["escalations"] == fired and one["escalations"] == 0
    assert "verifikasi" in one["activity"].lower()


def test_per_sop_and_complaints_by_channel(db, history) -> None:
    data = _report(db)
    sops = {s["sop"]: s for s in data["sops"]}
    assert set(sops) == {"ektp", "pengaduan"}  # the KK case of 4 November is outside
    ektp = sops["ektp"]
    assert (ektp["opened"], ektp["finished"], ektp["open"]) == (2, 1, 1)
    assert (ektp["on_time"], ektp["late"], ektp["on_time_share"]) == (4, 2, 0.6667)
    complaint = sops["pengaduan"]
    assert (complaint["opened"], complaint["on_time"], complaint["late"]) == (1, 1, 0)
    # closed twenty minutes after it was opened: 20 / 1440 days
    assert data["complaints"] == [{"channel": "telepon", "count": 1, "closed": 1,
                                   "median_days_to_close": 0.01}]


def test_before_its_due_time_a_running_step_is_neither_on_time_nor_late(db, history) -> None:
    data = _report(db, now_hm="09:33")  # Y's step 2 began 09:32 and is due 09:35
    two = next(s for s in data["steps"] if s["sop"] == "ektp" and s["step"] == "2")
    assert (two["on_time"], two["late"]) == (0, 1)


def test_the_contract_endpoint_and_its_exports(client, auth, history) -> None:
    resp = client.get(f"/reports/compliance?{PERIOD}", headers=auth("camat"))
    assert resp.status_code == 200, resp.json
    step = next(s for s in resp.json["steps"] if s["sop"] == "ektp" and s["step"] == "1")
    assert {"cases", "on_time", "late", "on_time_share"} <= set(step)
    assert (step["cases"], step["on_time"], step["late"], step["on_time_share"]) == \
        (2, 2, 0, 1.0)
    text = client.get(f"/reports/compliance?{PERIOD}&format=csv", headers=auth("sekcam"))
    table = list(csv.reader(io.StringIO(text.data.decode("utf-8-sig"))))
    assert table[0][0] == "SOP" and len(table) == 1 + len(resp.json["steps"])
    sheet = client.get(f"/reports/compliance?{PERIOD}&format=xlsx", headers=auth("admin"))
    assert sheet.status_code == 200 and sheet.data[:2] == b"PK"


def test_a_petugas_is_refused_and_a_bad_period_is_named(client, auth) -> None:
    assert client.get(f"/reports/compliance?{PERIOD}",
                      headers=auth("petugas")).status_code == 403
    assert client.get(f"/reports/compliance?{PERIOD}").status_code == 401
    bad = client.get("/reports/compliance?from=2026-11-05&to=2026-11-01", headers=auth("camat"))
    assert bad.status_code == 422 and bad.json["error"]["field"] == "to"
    fmt = client.get(f"/reports/compliance?{PERIOD}&format=doc", headers=auth("camat"))
    assert fmt.status_code == 422 and fmt.json["error"]["field"] == "format"


def test_a_file_back_with_the_applicant_is_not_late(db) -> None:
    import datetime as dt

    from workflow_service.usecases import reports

    with db.session() as session:
        case_id = workflow_history._open(session, "ektp", "loket", "sistem",
                                         workflow_history.at("2026-11-03", "08:00"))
        workflow_history._do(session, case_id, "return", workflow_history.at("2026-11-03", "08:01"),
                             reason="KK belum dibawa")
    with db.session() as session:
        data = reports.compliance(session, dt.date(2026, 11, 3), dt.date(2026, 11, 3),
                                  now=workflow_history.at("2026-11-03", "11:00"))
    one = next(s for s in data["steps"] if s["step"] == "1")
    assert (one["cases"], one["on_time"], one["late"]) == (1, 0, 0)
    assert one["paused_minutes"] == 179.0  # 08:01 to 11:00, still with the applicant
