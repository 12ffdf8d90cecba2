"""SKM survey and IKM report over HTTP: the contract of issue #20."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest

from tests.queue.conftest import Hall

ALL_FOUR = {f"U{i}": 4 for i in range(1, 10)}
PROFILE = {"age": 34, "gender": "P", "education": "sma", "occupation": "wiraswasta"}


def serve(hall: Hall, service: str = "ektp", counter: int = 2) -> dict[str, Any]:
    """Issue a ticket and serve it to the end at ``counter``; the issued ticket."""
    ticket = hall.issue(service)
    headers = hall.open_counter(counter)
    called = hall.client.post(f"/api/queue/counters/{hall.counter_id(counter)}/call-next",
                              headers=headers)
    assert called.json["number"] == ticket["number"]
    for action in ("start", "finish"):
        done = hall.client.post(f"/api/queue/tickets/{called.json['id']}/{action}",
                                headers=headers)
        assert done.status_code == 200, done.json
    return ticket


def survey(hall: Hall, code: str, answers: dict[str, Any], **extra: Any) -> Any:
    return hall.client.post(f"/api/queue/tickets/{code}/survey",
                            json={"answers": answers, **extra})


def period() -> str:
    today = dt.date.today()
    return f"from={(today - dt.timedelta(days=2)).isoformat()}&" \
           f"to={(today + dt.timedelta(days=2)).isoformat()}"


def test_survey_once_after_service_then_409(hall: Hall, count_rows) -> None:
    ticket = serve(hall)
    first = survey(hall, ticket["tracking_code"], ALL_FOUR, profile=PROFILE,
                   comment="Pelayanan cepat.")
    assert first.status_code == 201, first.json
    before = count_rows()
    second = survey(hall, ticket["tracking_code"], ALL_FOUR)
    assert second.status_code == 409
    assert second.json["error"]["code"] == "survey_already_answered"
    assert "sudah diisi" in second.json["error"]["message"]
    assert count_rows() == before


def test_survey_before_the_ticket_is_finished_is_409(hall: Hall, count_rows) -> None:
    ticket = hall.issue("ektp")
    before = count_rows()
    resp = survey(hall, ticket["tracking_code"], ALL_FOUR)
    assert resp.status_code == 409 and resp.json["error"]["code"] == "survey_not_open"
    assert "setelah pelayanan" in resp.json["error"]["message"]
    assert count_rows() == before


@pytest.mark.parametrize(("answers", "extra", "field"), [
    ({**ALL_FOUR, "U3": 5}, {}, "answers.U3"),
    ({**ALL_FOUR, "U7": 0}, {}, "answers.U7"),
    ({**ALL_FOUR, "U1": "4"}, {}, "answers.U1"),
    ({**ALL_FOUR, "U10": 4}, {}, "answers.U10"),
    ({}, {}, "answers"),
    (ALL_FOUR, {"profile": {"age": 7}}, "profile.age"),
    (ALL_FOUR, {"profile": {"gender": "X"}}, "profile.gender"),
    (ALL_FOUR, {"profile": {"education": "phd"}}, "profile.education"),
    (ALL_FOUR, {"comment": "x" * 1001}, "comment"),
])
def test_bad_survey_is_422_naming_the_field(hall: Hall, count_rows, answers, extra,
                                             field) -> None:
    ticket = serve(hall)
    before = count_rows()
    resp = survey(hall, ticket["tracking_code"], answers, **extra)
    assert resp.status_code == 422, resp.json
    assert resp.json["error"]["field"] == field
    assert count_rows() == before


def test_survey_for_an_unknown_code_is_404(hall: Hall) -> None:
    assert survey(hall, "ZZZZZZ", ALL_FOUR).status_code == 404


def _two_responses(hall: Hall) -> None:
    first, second = serve(hall), serve(hall)
    serve(hall)  # served, did not answer: counts in the population only
    assert survey(hall, first["tracking_code"], ALL_FOUR, profile=PROFILE,
                  comment="Ruang tunggu nyaman.").status_code == 201
    low = {f"U{i}": 2 for i in range(1, 10) if i != 4}  # U4 left blank
    assert survey(hall, second["tracking_code"], low,
                  profile={"gender": "L"}).status_code == 201


def test_skm_report_for_camat_matches_the_hand_computation(hall: Hall) -> None:
    _two_responses(hall)
    resp = hall.client.get(f"/api/queue/skm?{period()}", headers=hall.staff("camat"))
    assert resp.status_code == 200, resp.json
    body = resp.json
    # U1..U9 except U4: (4 + 2) / 2 = 3.0; U4: 4 / 1 = 4.0 -> (8 x 3.0 + 4.0) / 9 x 25 = 77.78
    assert body["respondents"] == 2 and body["population"] == 3
    nrr = {u["code"]: u["nrr"] for u in body["unsur"]}
    assert nrr["U4"] == 4.0 and nrr["U1"] == 3.0
    assert body["ikm"] == 77.78 and (body["mutu"], body["kinerja"]) == ("B", "Baik")
    assert body["sample_needed"] == 3 and body["sample_reached"] is False
    assert body["priority"]["code"] == "U1"
    assert body["comments"] == ["Ruang tunggu nyaman."]
    gender = {row["code"]: row["count"] for row in body["profile"]["gender"]}
    assert gender == {"L": 1, "P": 1, None: 0}
    text = str(body)
    assert "tracking_code" not in text and "number" not in text  # anonymous


def test_skm_report_per_service(hall: Hall) -> None:
    _two_responses(hall)
    kk = hall.client.get(f"/api/queue/skm?{period()}&service=kk",
                         headers=hall.staff("sekcam"))
    assert kk.status_code == 200
    assert kk.json["respondents"] == 0 and kk.json["ikm"] is None
    assert kk.json["service"]["code"] == "kk"


@pytest.mark.parametrize("username", ["petugas1", "operator1", "kasi_pm"])
def test_skm_report_refused_to_other_roles(hall: Hall, username: str) -> None:
    for path in ("/skm", "/skm/report.pdf", "/skm/report.xlsx"):
        resp = hall.client.get(f"/api/queue{path}?{period()}", headers=hall.staff(username))
        assert resp.status_code == 403, path
    assert hall.client.get(f"/api/queue/skm?{period()}").status_code == 401
    assert hall.client.get(f"/api/queue/skm?{period()}", headers=hall.kiosk).status_code == 403


@pytest.mark.parametrize(("query", "field"), [
    ("from=2026-11-01", "to"), ("from=2026-13-01&to=2026-12-01", "from"),
    ("from=2026-11-30&to=2026-11-01", "to"), ("to=2026-11-01", "from"),
])
def test_skm_report_bad_period_is_422(hall: Hall, query: str, field: str) -> None:
    resp = hall.client.get(f"/api/queue/skm?{query}", headers=hall.staff("admin"))
    assert resp.status_code == 422 and resp.json["error"]["field"] == field


def test_skm_report_as_page_pdf_and_xlsx(hall: Hall) -> None:
    from openpyxl import load_workbook

    _two_responses(hall)
    headers = hall.staff("admin")
    page = hall.client.get(f"/api/queue/skm?{period()}",
                           headers={**headers, "Accept": "text/html"})
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert "77.78" in html and "prioritas perbaikan" in html and "Baik" in html
    pdf = hall.client.get(f"/api/queue/skm/report.pdf?{period()}", headers=headers)
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    xlsx = hall.client.get(f"/api/queue/skm/report.xlsx?{period()}", headers=headers)
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.data))["IKM"]
    rows = {row[0]: row for row in sheet.iter_rows(values_only=True) if row and row[0]}
    assert rows["IKM"][1] == 77.78 and rows["Mutu pelayanan"][1] == "B"
    assert rows["U1"][7] == "ya"  # the improvement priority is marked
