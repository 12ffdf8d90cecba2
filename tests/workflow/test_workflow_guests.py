"""Guest reception over the HTTP API: buku tamu, card exchange, check-out, who is inside, the
closing alert and the guest book exports, on the real database."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from sqlalchemy import func, select

from loket import events
from tests.workflow.reception_support import http_receiver
from workflow_service.models import Case, Notification
from workflow_service.models_guests import Guest

pytestmark = pytest.mark.integration

WIB = dt.timezone(dt.timedelta(hours=7))
GROUP = {"name": "Budi Santoso", "institution": "Karang Taruna Desa Kembiritan",
         "purpose": "Koordinasi kegiatan Agustusan", "host": "Seksi Kesejahteraan Rakyat",
         "group_size": 3, "id_card": {"type": "ktp", "number": "3510012345670001"},
         "visitor_card": 7}


@pytest.fixture
def pool(db):
    from workflow_service.usecases.guests import ensure_pool

    with db.session() as session:
        ensure_pool(session, 20)


def counts(db):
    with db.session() as session:
        return (session.scalar(select(func.count()).select_from(Guest)),
                session.scalar(select(func.count()).select_from(Case)))


def test_a_group_of_three_checks_in_with_one_id_card_and_one_visitor_card_then_out(
        client, auth, pool, db):
    cards = client.get("/guests/cards", headers=auth("petugas")).json["cards"]
    assert len(cards) == 20 and all(c["free"] for c in cards)

    response = client.post("/guests", json=GROUP, headers=auth("petugas"))
    assert response.status_code == 201, response.json
    guest = response.json
    assert guest["group_size"] == 3 and guest["visitor_card"] == 7
    assert guest["id_card"] == {"type": "ktp", "type_label": "KTP",
                                "number_masked": "3510\u2022\u2022\u2022\u2022\u2022\u2022"
                                                 "\u2022\u20220001"}
    cards = {c["number"]: c["free"] for c in
             client.get("/guests/cards", headers=auth("petugas")).json["cards"]}
    assert cards[7] is False and sum(not free for free in cards.values()) == 1

    inside = client.get("/guests/inside", headers=auth("petugas")).json["guests"]
    assert [(g["name"], g["visitor_card"], g["group_size"]) for g in inside] == [
        ("Budi Santoso", 7, 3)]
    assert "3510012345670001" not in str(inside)

    # The penerimaan-tamu case: reported, recorded, shown the way; now meeting the host.
    case = client.get(f"/cases/{guest['case_id']}", headers=auth("petugas")).json
    assert case["sop"] == "penerimaan-tamu"
    assert [s["state"] for s in case["steps"]] == ["done", "done", "done", "active", "pending"]
    assert case["current_step"]["role"] == "tujuan"

    out = client.post(f"/guests/{guest['id']}/checkout", headers=auth("petugas"))
    assert out.status_code == 200, out.json
    assert out.json["left_at"] and out.json["arrived_at"] <= out.json["left_at"]
    assert client.get("/guests/inside", headers=auth("petugas")).json["guests"] == []
    assert all(c["free"] for c in client.get("/guests/cards",
                                             headers=auth("petugas")).json["cards"])
    case = client.get(f"/cases/{guest['case_id']}", headers=auth("petugas")).json
    assert case["status"] == "done" and {s["state"] for s in case["steps"]} == {"done"}
    again = client.post(f"/guests/{guest['id']}/checkout", headers=auth("petugas"))
    assert again.status_code == 409 and again.json["error"]["code"] == "already_left"


def test_a_visitor_card_that_is_out_cannot_be_handed_out_twice(client, auth, pool, db):
    assert client.post("/guests", json=GROUP, headers=auth("petugas")).status_code == 201
    before = counts(db)
    second = client.post("/guests", json={**GROUP, "name": "Siti Aminah", "group_size": 1},
                         headers=auth("petugas"))
    assert second.status_code == 409
    assert second.json["error"]["field"] == "visitor_card"
    assert "sedang dipakai" in second.json["error"]["message"]
    assert counts(db) == before  # no guest, no case


@pytest.mark.parametrize(("change", "field"), [
    ({"visitor_card": 21}, "visitor_card"),
    ({"name": ""}, "name"),
    ({"group_size": 0}, "group_size"),
    ({"id_card": {"type": "kartu_ajaib", "number": "123456"}}, "id_card.type"),
    ({"id_card": {"type": "sim", "number": "<script>"}}, "id_card.number"),
])
def test_bad_guest_input_is_refused_in_indonesian_and_changes_nothing(client, auth, pool, db,
                                                                      change, field):
    before = counts(db)
    response = client.post("/guests", json={**GROUP, **change}, headers=auth("petugas"))
    assert response.status_code == 422, response.json
    assert response.json["error"]["field"] == field
    assert response.json["error"]["message"]
    assert counts(db) == before


def test_only_the_receptionist_checks_guests_in_and_only_admin_sizes_the_pool(client, auth,
                                                                             pool):
    assert client.post("/guests", json=GROUP, headers=auth("kasi")).status_code == 403
    assert client.post("/guests", json=GROUP).status_code == 401
    assert client.put("/guests/cards", json={"count": 5},
                      headers=auth("petugas")).status_code == 403
    resized = client.put("/guests/cards", json={"count": 25}, headers=auth("admin"))
    assert resized.status_code == 200 and len(resized.json["cards"]) == 25


def test_names_are_encrypted_at_rest_and_masked_for_other_staff(client, auth, pool, db):
    client.post("/guests", json=GROUP, headers=auth("petugas"))
    with db.session() as session:
        row = session.scalars(select(Guest)).one()
        assert b"Budi" not in row.name_enc and b"3510012345670001" not in row.id_card_enc
    seen_by_sekcam = client.get("/guests/inside", headers=auth("sekcam")).json["guests"][0]
    assert seen_by_sekcam["name"] == "B\u2022\u2022\u2022 S\u2022\u2022\u2022\u2022\u2022\u2022"
    with db.session() as session:
        payloads = [e.payload for e in session.scalars(select(events.Event))]
    assert "Budi" not in str(payloads) and "3510" not in str(payloads)


def test_the_closing_alert_lists_a_guest_still_inside_once(client, auth, pool, db):
    from workflow_service.notify import deliver_due
    from workflow_service.usecases.guests import closing_alert

    client.post("/guests", json=GROUP, headers=auth("petugas"))
    left = client.post("/guests", json={**GROUP, "name": "Ani", "visitor_card": 3,
                                        "id_card": None}, headers=auth("petugas")).json
    client.post(f"/guests/{left['id']}/checkout", headers=auth("petugas"))
    monday_evening = dt.datetime(2026, 11, 30, 17, 0, tzinfo=WIB)
    with http_receiver("LOKET_NOTIFY_WEBHOOK_URL") as hook:
        with db.session() as session:
            assert closing_alert(session, now=monday_evening - dt.timedelta(hours=2)) is None
            event_id = closing_alert(session, now=monday_evening)
            assert event_id is not None
            assert closing_alert(session, now=monday_evening) is None  # once a day
        assert deliver_due(db.session)["sent"] == 2
        received = sorted(hook.received, key=lambda m: m["role"])
    assert [m["role"] for m in received] == ["petugas", "sekcam"]
    assert "kartu tamu 7" in received[0]["text"] and "KTP 3510" in received[0]["text"]
    assert "kartu tamu 3" not in received[0]["text"]
    assert "Budi" not in received[0]["text"]
    with db.session() as session:
        event = session.get(events.Event, event_id)
        assert [c["visitor_card"] for c in event.payload["cards"]] == [7]
        assert session.scalar(select(func.count()).select_from(Notification)) == 2


def test_the_guest_book_exports_as_csv_xlsx_and_pdf_masked_but_for_the_receptionist(
        client, auth, pool):
    from openpyxl import load_workbook

    client.post("/guests", json=GROUP, headers=auth("petugas"))
    today = dt.datetime.now(WIB).date()
    full = client.get(f"/guests/export.csv?date={today}", headers=auth("petugas"))
    assert full.status_code == 200 and full.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(full.data.decode("utf-8-sig"))))
    assert rows[0]["Nama"] == "Budi Santoso" and rows[0]["Jumlah orang"] == "3"
    assert rows[0]["Kartu identitas"].startswith("KTP 3510\u2022")
    masked = client.get(f"/guests/export.csv?month={today:%Y-%m}", headers=auth("camat"))
    assert "Budi Santoso" not in masked.data.decode("utf-8-sig")
    assert "B\u2022\u2022\u2022 S" in masked.data.decode("utf-8-sig")

    xlsx = client.get(f"/guests/export.xlsx?date={today}", headers=auth("admin"))
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    assert sheet["E3"].value == "Budi Santoso" and sheet["K3"].value == 7
    pdf = client.get(f"/guests/export.pdf?month={today:%Y-%m}", headers=auth("petugas"))
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")

    bad = client.get("/guests/export.doc?date=2026-11-30", headers=auth("petugas"))
    assert bad.status_code == 422 and bad.json["error"]["field"] == "format"
    bad = client.get("/guests/export.csv?month=2026-13", headers=auth("petugas"))
    assert bad.status_code == 422 and bad.json["error"]["field"] == "month"


@pytest.mark.parametrize(("method", "path"), [
    ("get", "/guests/cards"), ("get", "/guests/inside"), ("get", "/guests?date=2026-11-30"),
    ("get", "/guests/export.csv?date=2026-11-30"), ("post", "/guests/1/checkout"),
    ("put", "/guests/cards"), ("post", "/complaints/intake"), ("get", "/complaints/1"),
    ("get", "/complaints/1/attachments/1"),
])
def test_every_staff_route_of_reception_refuses_a_caller_without_a_token(client, method, path):
    response = getattr(client, method)(path, json={})
    assert response.status_code == 401 and response.json["error"]["message"]


def test_a_kasi_may_not_check_a_guest_out(client, auth, pool):
    guest = client.post("/guests", json=GROUP, headers=auth("petugas")).json
    refused = client.post(f"/guests/{guest['id']}/checkout", headers=auth("kasi"))
    assert refused.status_code == 403
    inside = client.get("/guests/inside", headers=auth("petugas")).json["guests"]
    assert [g["id"] for g in inside] == [guest["id"]]


def test_the_beat_task_alerts_after_closing_time_on_a_working_day_only(wf_app, client, auth,
                                                                        pool, db):
    import time_machine

    from workflow_service.tasks_reception import guest_closing_alert

    client.post("/guests", json=GROUP, headers=auth("petugas"))
    with wf_app.app_context():
        with time_machine.travel(dt.datetime(2026, 12, 5, 18, 0, tzinfo=WIB)):  # Saturday
            assert guest_closing_alert() is None
        with time_machine.travel(dt.datetime(2026, 12, 7, 15, 0, tzinfo=WIB)):  # Monday, open
            assert guest_closing_alert() is None
        with time_machine.travel(dt.datetime(2026, 12, 7, 16, 5, tzinfo=WIB)):  # closed
            assert guest_closing_alert() is not None
            assert guest_closing_alert() is None
