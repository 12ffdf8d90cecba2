"""#17 Input on the queue API: ids out of range, NUL bytes, and the Idempotency-Key bound to
its request and its service day (on SQLite or PostgreSQL, whichever the suite runs on)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
import time_machine
from sqlalchemy import func, select

from tests.queue.conftest import VALID_NIK, Hall

pytestmark = pytest.mark.integration

TOO_BIG = 2**63


def at(year: int, month: int, day: int, hour: int, minute: int) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=dt.UTC)


@pytest.mark.parametrize("method,path", [
    ("get", "/tickets/id/{id}"),
    ("post", "/tickets/{id}/start"),
    ("post", "/tickets/{id}/transfer"),
    ("post", "/counters/{id}/call-next"),
    ("post", "/counters/{id}/open"),
    ("put", "/admin/counters/{id}"),
    ("put", "/admin/staff/{id}"),
    ("post", "/admin/staff/{id}/deactivate"),
    ("post", "/admin/devices/{id}/revoke"),
])
@pytest.mark.parametrize("value", [TOO_BIG, 2**31])
def test_an_id_out_of_range_is_not_found(hall: Hall, method: str, path: str, value: int) -> None:
    response = getattr(hall.client, method)("/api/queue" + path.format(id=value), json={},
                                            headers=hall.staff("admin"))
    assert response.status_code == 404, response.json
    assert response.json["error"]["code"] == "not_found"


def test_a_nul_anywhere_in_a_body_is_a_field_error(hall: Hall, count_rows) -> None:
    before = count_rows()
    response = hall.client.post("/api/queue/tickets", headers=hall.kiosk, json={
        "service": "ektp", "visitor": {"name": "Sri\x00", "consent": True}})
    assert response.status_code == 422, response.json
    assert response.json["error"]["field"] == "visitor.name"
    assert response.json["error"]["code"] == "invalid_text"
    details = hall.client.post("/api/queue/tickets", headers=hall.kiosk, json={
        "service": "ektp", "details": {"keperluan": ["a", "b\x00"]}})
    assert details.status_code == 422 and details.json["error"]["field"] == "details.keperluan.1"
    assert count_rows() == before


def test_admin_texts_are_checked_for_control_characters_and_length(hall: Hall) -> None:
    admin = hall.staff("admin")
    bell = hall.client.put("/api/queue/admin/office", headers=admin,
                           json={"name": "Kecamatan\x07 Genteng"})
    assert bell.status_code == 422 and bell.json["error"]["field"] == "name"
    long = hall.client.put("/api/queue/admin/office", headers=admin, json={"name": "K" * 121})
    assert long.status_code == 422 and long.json["error"]["field"] == "name"
    shown = hall.client.put("/api/queue/announcements", headers=admin,
                            json={"announcements": ["Selamat datang", "x" * 301]})
    assert shown.status_code == 422 and shown.json["error"]["field"] == "announcements.1"


def test_a_nul_in_a_query_parameter_is_a_field_error(hall: Hall) -> None:
    response = hall.client.get("/api/queue/tickets?service=ektp%00",
                               headers=hall.staff("admin"))
    assert response.status_code == 422
    assert response.json["error"]["field"] == "service"


def _issue(hall: Hall, key: str, body: dict) -> object:
    return hall.client.post("/api/queue/tickets", json=body,
                            headers={**hall.kiosk, "Idempotency-Key": key})


def test_same_key_with_another_body_is_an_idempotency_mismatch(hall: Hall, count_rows) -> None:
    key = str(uuid.uuid4())
    first = _issue(hall, key, {"service": "ektp", "visitor": {"nik": VALID_NIK,
                                                              "consent": True}})
    assert first.status_code == 201
    before = count_rows()
    for other in ({"service": "kk"}, {"service": "ektp"},
                  {"service": "ektp", "priority": "lansia",
                   "visitor": {"nik": VALID_NIK, "consent": True}}):
        refused = _issue(hall, key, other)
        assert refused.status_code == 422, refused.json
        error = refused.json["error"]
        assert error["code"] == "idempotency_mismatch"
        assert error["field"] == "Idempotency-Key"
        assert "permintaan lain" in error["message"]
    assert count_rows() == before
    again = _issue(hall, key, {"visitor": {"consent": True, "nik": VALID_NIK},
                               "service": "ektp"})  # the same request, keys reordered
    assert again.status_code == 201 and again.json == first.json


def test_a_key_of_an_earlier_service_day_issues_a_fresh_ticket(hall: Hall) -> None:
    key, body = str(uuid.uuid4()), {"service": "ektp"}
    with time_machine.travel(at(2026, 11, 28, 3, 0), tick=False):  # 10:00 WIB
        yesterday = _issue(hall, key, body)
        assert yesterday.status_code == 201
        assert _issue(hall, key, body).json == yesterday.json  # same day: the replay
    with time_machine.travel(at(2026, 11, 29, 2, 0), tick=False):  # 09:00 WIB, next day
        today = _issue(hall, key, body)
        assert today.status_code == 201, today.json
        assert today.json["id"] != yesterday.json["id"]
        assert today.json["service_day"] == "2026-11-29"
        assert _issue(hall, key, body).json == today.json  # and today's replays today


def test_end_of_day_purges_keys_of_earlier_days(hall: Hall, db) -> None:
    from queue_service.models import IdempotencyRecord
    from queue_service.tasks import end_of_day

    with time_machine.travel(at(2026, 11, 28, 3, 0), tick=False):
        _issue(hall, "kemarin-1", {"service": "ektp"})
        _issue(hall, "kemarin-2", {"service": "kk"})
    with time_machine.travel(at(2026, 11, 28, 17, 30), tick=False):  # 00:30 WIB, next day
        _issue(hall, "hari-ini", {"service": "ektp"})
        with hall.app.app_context():
            end_of_day()
    with db.session() as session:
        keys = session.scalars(select(IdempotencyRecord.key)).all()
        hashes = session.scalars(select(IdempotencyRecord.body_hash)).all()
    assert keys == ["hari-ini"]
    assert len(hashes[0] or "") == 64 and VALID_NIK not in (hashes[0] or "")


def test_an_officer_issuing_without_a_device_keeps_no_key(hall: Hall, db) -> None:
    from queue_service.models import IdempotencyRecord

    officer = hall.staff("petugas1")
    for _ in range(2):
        made = hall.client.post("/api/queue/tickets", json={"service": "ektp"},
                                headers={**officer, "Idempotency-Key": "sama"})
        assert made.status_code == 201
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(IdempotencyRecord)) == 0


def test_racing_requests_with_one_key_and_two_bodies_make_one_ticket(hall: Hall, db) -> None:
    """Retries that race meet at the unique key; the other request's copies are refused."""
    import threading

    from queue_service.models import Ticket

    key, results, lock = str(uuid.uuid4()), [], threading.Lock()
    barrier = threading.Barrier(8)

    def send(service: str) -> None:
        client = hall.app.test_client()
        barrier.wait()
        resp = client.post("/api/queue/tickets", json={"service": service},
                           headers={**hall.kiosk, "Idempotency-Key": key})
        with lock:
            results.append((service, resp.status_code, resp.json))

    threads = [threading.Thread(target=send, args=("ektp" if i % 2 else "kk",))
               for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(results) == 8
    issued = [(service, body) for service, status, body in results if status == 201]
    refused = [(service, body) for service, status, body in results if status != 201]
    winner = {service for service, _ in issued}
    assert len(winner) == 1 and len({body["id"] for _, body in issued}) == 1
    assert len(issued) == 4 and len(refused) == 4
    assert all(body["error"]["code"] == "idempotency_mismatch" and service not in winner
               for service, body in refused)
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Ticket)) == 1
