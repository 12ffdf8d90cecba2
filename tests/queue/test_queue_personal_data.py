"""Personal data by need (issue #17): the full NIK and phone only to the officer serving the
visitor, each such read in the access log the administrator reviews."""

from __future__ import annotations

import re

import pytest

from tests.queue.conftest import VALID_NIK, Hall

pytestmark = pytest.mark.integration

PHONE = "081234567890"
SIXTEEN_DIGITS = re.compile(r"(?<!\d)\d{16}(?!\d)")
VISITOR = {"name": "Siti Aminah", "nik": VALID_NIK, "phone": PHONE, "consent": True}


def _log(hall: Hall, query: str = "") -> dict:
    resp = hall.client.get(f"/api/queue/admin/access-log{query}", headers=hall.staff("admin"))
    assert resp.status_code == 200, resp.json
    return resp.json  # type: ignore[no-any-return]


def test_an_officer_of_another_service_gets_a_waiting_ticket_masked(hall: Hall) -> None:
    # A NIK typed into a free-text answer (a family member's) is masked too.
    ticket = hall.issue("kk", visitor=VISITOR, details={
        "keperluan": "Tambah anggota keluarga NIK 3510015505200002",
        "catatan": ["3510011708450001"]})
    # Counter 1 serves guests and complaints: its officer reads the KK visitor masked only.
    officer = hall.open_counter(1)
    for headers in (officer, hall.staff("petugas2"), hall.staff("kasi_pem"),
                    hall.staff("camat"), hall.staff("admin")):
        resp = hall.client.get(f"/api/queue/tickets/id/{ticket['id']}", headers=headers)
        assert resp.status_code == 200
        body = resp.get_data(as_text=True)
        assert not SIXTEEN_DIGITS.search(body), body
        assert PHONE not in body
        visitor = resp.json["visitor"]
        assert "nik" not in visitor and "phone" not in visitor
        assert visitor["nik_masked"] == "3510\u2022\u2022\u2022\u2022\u2022\u2022\u2022\u20220001"
        assert resp.json["details"]["keperluan"] == \
            "Tambah anggota keluarga NIK 3510\u2022\u2022\u2022\u2022\u2022\u2022\u2022\u20220002"
    listed = hall.client.get("/api/queue/tickets", headers=officer)
    assert not SIXTEEN_DIGITS.search(listed.get_data(as_text=True))
    assert _log(hall)["entries"] == []


def test_the_serving_officer_reads_in_full_and_the_read_is_logged(hall: Hall) -> None:
    ticket = hall.issue("ektp", visitor=VISITOR)
    officer = hall.open_counter(2)
    called = hall.client.post(f"/api/queue/counters/{hall.counter_id(2)}/call-next",
                              headers=officer)
    assert called.status_code == 200 and called.json["id"] == ticket["id"]
    assert not SIXTEEN_DIGITS.search(called.get_data(as_text=True))  # the call itself: masked
    resp = hall.client.get(f"/api/queue/tickets/id/{ticket['id']}", headers=officer)
    assert resp.json["visitor"]["nik"] == VALID_NIK and resp.json["visitor"]["phone"] == PHONE
    # The console re-reads its current ticket on every event: one entry per 5 minutes.
    again = hall.client.get(f"/api/queue/tickets/id/{ticket['id']}", headers=officer)
    assert again.json["visitor"]["nik"] == VALID_NIK
    # Another counter's officer, at the same moment: masked.
    other = hall.client.get(f"/api/queue/tickets/id/{ticket['id']}",
                            headers=hall.open_counter(3))
    assert "nik" not in other.json["visitor"]

    log = _log(hall)
    assert log["total"] == 1
    entry = log["entries"][0]
    assert entry["staff"] == "petugas2" and entry["service"] == "queue"
    assert entry["record"] == {"kind": "ticket", "id": ticket["id"]}
    assert entry["fields"] == ["nik", "phone"]
    assert entry["reason"] == f"melayani tiket {ticket['number']} di loket 2"
    assert VALID_NIK not in str(log) and PHONE not in str(log)

    # Finished: the visitor has left the counter, the ticket is masked again.
    assert hall.client.post(f"/api/queue/tickets/{ticket['id']}/start",
                            headers=officer).status_code == 200
    assert hall.client.post(f"/api/queue/tickets/{ticket['id']}/finish",
                            headers=officer).status_code == 200
    after = hall.client.get(f"/api/queue/tickets/id/{ticket['id']}", headers=officer)
    assert "nik" not in after.json["visitor"]
    assert _log(hall)["total"] == 1


def test_the_access_log_filters_and_pages(hall: Hall) -> None:
    officer = hall.open_counter(2)
    for _ in range(3):
        ticket = hall.issue("ektp", visitor=VISITOR)
        hall.client.post(f"/api/queue/counters/{hall.counter_id(2)}/call-next", headers=officer)
        hall.client.get(f"/api/queue/tickets/id/{ticket['id']}", headers=officer)
        hall.client.post(f"/api/queue/tickets/{ticket['id']}/no-show", headers=officer)
    everything = _log(hall)
    assert everything["total"] == 3
    assert [e["id"] for e in everything["entries"]] == sorted(
        (e["id"] for e in everything["entries"]), reverse=True)
    page = _log(hall, "?per_page=2&page=2")
    assert page["total"] == 3 and len(page["entries"]) == 1 and page["page"] == 2
    assert _log(hall, "?staff=petugas3")["total"] == 0
    assert _log(hall, "?staff=petugas2")["total"] == 3
    assert _log(hall, "?from=2020-01-01&to=2020-12-31")["total"] == 0
    assert _log(hall, "?from=2020-01-01")["total"] == 3


@pytest.mark.parametrize(("query", "field"), [
    ("?from=kemarin", "from"), ("?to=2026-13-01", "to"), ("?from=0001-01-01", "from"),
    ("?to=9999-12-31", "to"), ("?from=20260101", "from"),
    ("?from=2026-02-01&to=2026-01-01", "to"), ("?page=0", "page"),
    ("?per_page=1000", "per_page"), ("?staff=" + "x" * 61, "staff")])
def test_bad_filters_name_the_field(hall: Hall, query: str, field: str) -> None:
    resp = hall.client.get(f"/api/queue/admin/access-log{query}", headers=hall.staff("admin"))
    assert resp.status_code == 422
    assert resp.json["error"]["field"] == field and resp.json["error"]["message"]


def test_only_the_administrator_reviews_the_access_log(hall: Hall) -> None:
    assert hall.client.get("/api/queue/admin/access-log").status_code == 401
    for headers in (hall.staff("camat"), hall.staff("sekcam"), hall.staff("petugas1"),
                    hall.staff("kasi_pem"), hall.kiosk, hall.display):
        assert hall.client.get("/api/queue/admin/access-log",
                               headers=headers).status_code == 403


def test_the_access_log_is_in_the_openapi_document(hall: Hall) -> None:
    spec = hall.client.get("/api/queue/openapi.json").json
    operation = spec["paths"]["/admin/access-log"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"from", "to", "staff", "page",
                                                            "per_page"}


def test_no_filter_gives_a_server_error(hall: Hall) -> None:
    import schemathesis

    from tests.fuzzing import ALL_PHASES, fuzz_operation

    schema = schemathesis.openapi.from_wsgi("/api/queue/openapi.json", hall.app)
    [operation] = [r.ok() for r in schema.include(path="/admin/access-log")
                   .get_all_operations()]  # type: ignore[union-attr]
    # More cases than the whole-API fuzz gives one operation: the filters are all text.
    fuzz_operation(operation, hall.staff("admin"), phases=ALL_PHASES, max_examples=60)


def test_a_repeated_read_is_logged_again_after_the_window(hall: Hall, db) -> None:
    from sqlalchemy import update

    from loket.access_log import REPEAT_WINDOW, AccessLogEntry

    ticket = hall.issue("ektp", visitor=VISITOR)
    officer = hall.open_counter(2)
    hall.client.post(f"/api/queue/counters/{hall.counter_id(2)}/call-next", headers=officer)
    hall.client.get(f"/api/queue/tickets/id/{ticket['id']}", headers=officer)
    with db.session() as session:
        entry = session.query(AccessLogEntry).one()
        session.execute(update(AccessLogEntry).values(at=entry.at - REPEAT_WINDOW))
    hall.client.get(f"/api/queue/tickets/id/{ticket['id']}", headers=officer)
    assert _log(hall)["total"] == 2
