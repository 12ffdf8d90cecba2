"""Issue #19's open guest lines on the real database: the office profile's rooms (the admin
records them; the guest is shown the way) and the host told beyond their desk (a notification
through the outbox to a real local SMTP server and a real local HTTP receiver)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from loket import events
from tests.workflow.reception_support import http_receiver, smtp_server
from workflow_service.models import Notification

pytestmark = pytest.mark.integration

ROOMS = {"pemerintahan": {"room": "Ruang Kasi Pemerintahan", "floor": 1},
         "camat": {"room": "Ruang Camat", "floor": "2"}}
GUEST = {"name": "Budi Santoso", "institution": "Desa Kembiritan",
         "purpose": "Konsultasi batas desa", "host": "Kasi Pemerintahan", "group_size": 2,
         "id_card": {"type": "ktp", "number": "3510012345670001"}, "visitor_card": 4}


@pytest.fixture
def wired(wf_app, queue_hall, settings, db):
    """The workflow reads the queue's office profile through the queue's own app, as the hall
    wires them (``loket.composition.hall._wire``); the pool has twenty cards."""
    from queue_service.app import create_app
    from workflow_service.usecases.guests import ensure_pool

    wf_app.extensions["workflow"].queue_wsgi = create_app(settings)
    with db.session() as session:
        ensure_pool(session, 20)
    return queue_hall


def put_rooms(hall, rooms, who="admin"):
    return hall.client.put("/api/queue/admin/office", headers=hall.staff(who),
                           json={"rooms": rooms})


def test_the_admin_records_rooms_and_the_guest_is_shown_the_way(wired, client, auth):
    saved = put_rooms(wired, ROOMS)
    assert saved.status_code == 200, saved.json
    assert saved.json["rooms"]["pemerintahan"] == {"room": "Ruang Kasi Pemerintahan",
                                                   "floor": "1"}
    office = wired.client.get("/api/queue/office", headers=wired.staff("petugas1")).json
    assert office["rooms"]["camat"] == {"room": "Ruang Camat", "floor": "2"}

    guest = client.post("/guests", json=GUEST, headers=auth("petugas"))
    assert guest.status_code == 201, guest.json
    assert guest.json["way"] == "Ruang Kasi Pemerintahan, lantai 1"
    camat = client.post("/guests", json={**GUEST, "host": "Bapak Camat", "visitor_card": 5},
                        headers=auth("petugas"))
    assert camat.json["way"] == "Ruang Camat, lantai 2"
    # A section without a room: received all the same, no way to show.
    kesra = client.post("/guests", json={**GUEST, "host": "Seksi Kesra", "visitor_card": 6},
                        headers=auth("petugas"))
    assert kesra.status_code == 201 and kesra.json["way"] is None

    inside = client.get("/guests/inside", headers=auth("petugas")).json["guests"]
    assert {g["visitor_card"]: g["way"] for g in inside} == {
        4: "Ruang Kasi Pemerintahan, lantai 1", 5: "Ruang Camat, lantai 2", 6: None}


def test_an_unknown_section_in_rooms_is_refused_naming_the_field_and_changes_nothing(wired):
    assert put_rooms(wired, ROOMS).status_code == 200
    for rooms, field in ((({"perpajakan": {"room": "Ruang Pajak"}}), "rooms.perpajakan"),
                         ({"kesra": {"floor": "1"}}, "rooms.kesra.room"),
                         ({"kesra": {"room": "Ruang Kesra", "pintu": "3"}}, "rooms.kesra"),
                         ({"kesra": "Ruang Kesra"}, "rooms.kesra"),
                         (["kesra"], "rooms")):
        refused = put_rooms(wired, rooms)
        assert refused.status_code == 422, (rooms, refused.json)
        assert refused.json["error"]["field"] == field
    unknown = put_rooms(wired, {"perpajakan": {"room": "Ruang Pajak"}}).json["error"]
    assert unknown["code"] == "unknown_section" and "tidak dikenal" in unknown["message"]
    office = wired.client.get("/api/queue/admin/office", headers=wired.staff("admin")).json
    assert office["rooms"] == {"pemerintahan": {"room": "Ruang Kasi Pemerintahan", "floor": "1"},
                               "camat": {"room": "Ruang Camat", "floor": "2"}}
    # Only the administrator keeps the office profile.
    assert put_rooms(wired, {"kesra": {"room": "X"}}, who="kasi_pem").status_code == 403


def test_the_host_is_told_by_email_and_gateway_retried_and_their_desk_gets_an_event(
        wired, client, auth, db, monkeypatch):
    from loket import settings as settings_module
    from workflow_service.notify import deliver_due

    assert put_rooms(wired, ROOMS).status_code == 200
    monkeypatch.setenv("LOKET_NOTIFY_EMAILS", "pemerintahan=kasi.pem@genteng.go.id")
    with smtp_server() as mailbox, http_receiver("LOKET_NOTIFY_WEBHOOK_URL") as hook:
        settings_module.get_settings.cache_clear()
        hook.status = 503  # the gateway is down at first
        guest = client.post("/guests", json=GUEST, headers=auth("petugas"))
        assert guest.status_code == 201, guest.json
        first = deliver_due(db.session)
        assert first == {"sent": 1, "failed": 1, "parked": 0}
        hook.status = 200
        later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5)
        assert deliver_due(db.session, now=later) == {"sent": 1, "failed": 0, "parked": 0}
        # A guest for a section with no address gets the gateway only.
        kesra = client.post("/guests", json={**GUEST, "host": "Seksi Kesra", "visitor_card": 5},
                            headers=auth("petugas"))
        assert kesra.status_code == 201
        assert deliver_due(db.session, now=later)["sent"] == 1
    settings_module.get_settings.cache_clear()

    [mail] = mailbox.messages
    assert mail["X-RcptTo"] == "kasi.pem@genteng.go.id"
    assert mail["Subject"] == "[Loket] Tamu untuk Anda"
    text = mail.get_payload(decode=True).decode()
    assert "Rombongan tamu 2 orang dengan kartu tamu nomor 4" in text
    assert "Ruang Kasi Pemerintahan, lantai 1" in text and "Konsultasi batas desa" in text
    assert [m["role"] for m in hook.received] == ["pemerintahan", "pemerintahan", "kesra"]
    for sent in (text, str(hook.received)):  # no name, no identity card beyond the desk
        assert "Budi" not in sent and "3510" not in sent

    with db.session() as session:
        outbox = session.scalars(select(Notification).order_by(Notification.id)).all()
        assert [(n.channel, n.recipient_role, n.status, n.attempts) for n in outbox] == [
            ("email", "pemerintahan", "sent", 1), ("webhook", "pemerintahan", "sent", 2),
            ("webhook", "kesra", "sent", 1)]
        checked_in = session.scalars(select(events.Event).where(
            events.Event.type == "guest.checked_in").order_by(events.Event.id)).all()
        assert [(e.payload["host_desk"], e.payload["notified"]) for e in checked_in] == [
            ("pemerintahan", ["email", "webhook"]), ("kesra", ["webhook"])]
        assert "Budi" not in str([e.payload for e in checked_in])
