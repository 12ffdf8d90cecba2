"""Acting within one's remit (#17): an officer acts only on tickets of the services their
counter serves; supervisors and admin on any. A refusal is 403 ``outside_remit`` and changes
nothing (no status, no history row, no event)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.queue.conftest import Hall

pytestmark = pytest.mark.integration

ACTIONS = {"hold": None, "cancel": None, "transfer": {"service": "ektp"}}


def act(hall: Hall, ticket_id: int, action: str, headers: dict[str, str],
        body: dict[str, Any] | None = None) -> Any:
    return hall.client.post(f"/api/queue/tickets/{ticket_id}/{action}", json=body or {},
                            headers=headers)


def ticket_of(hall: Hall, ticket_id: int) -> dict[str, Any]:
    resp = hall.client.get(f"/api/queue/tickets/id/{ticket_id}", headers=hall.staff("admin"))
    assert resp.status_code == 200, resp.json
    return resp.json  # type: ignore[no-any-return]


def assert_outside_remit(resp: Any) -> None:
    assert resp.status_code == 403, resp.json
    error = resp.json["error"]
    assert error["code"] == "outside_remit" and error["field"] == "ticket_id"
    assert "Kartu Keluarga" in error["message"] and "tidak dilayani loket Anda" in error["message"]


def test_an_officer_of_another_service_cannot_touch_a_waiting_ticket(hall: Hall,
                                                                     count_rows) -> None:
    kk = hall.issue("kk")
    before_ticket, before_rows = ticket_of(hall, kk["id"]), count_rows()
    petugas1 = hall.staff("petugas1")  # Loket 1: penerimaan tamu and pengaduan only
    for action, body in ACTIONS.items():
        assert_outside_remit(act(hall, kk["id"], action, petugas1, body))
    # An officer with no counter at all (the operator) is refused too.
    assert_outside_remit(act(hall, kk["id"], "cancel", hall.staff("operator1")))
    assert ticket_of(hall, kk["id"]) == before_ticket
    assert count_rows() == before_rows


def test_an_officer_of_another_service_cannot_resume_a_held_ticket(hall: Hall,
                                                                  count_rows) -> None:
    kk = hall.issue("kk")
    held = act(hall, kk["id"], "hold", hall.staff("petugas2"))  # Loket 2 serves KK
    assert held.status_code == 200 and held.json["status"] == "on_hold"
    before_ticket, before_rows = ticket_of(hall, kk["id"]), count_rows()
    petugas1 = hall.staff("petugas1")
    for action in ("resume", "cancel"):
        assert_outside_remit(act(hall, kk["id"], action, petugas1))
    assert ticket_of(hall, kk["id"]) == before_ticket and count_rows() == before_rows
    resumed = act(hall, kk["id"], "resume", hall.staff("petugas3"))  # Loket 3 serves KK too
    assert resumed.status_code == 200 and resumed.json["status"] == "waiting"


def test_the_officers_of_the_service_act_on_its_waiting_tickets(hall: Hall) -> None:
    kk = hall.issue("kk")
    petugas2 = hall.staff("petugas2")  # assigned to Loket 2; not even sitting there yet
    assert act(hall, kk["id"], "hold", petugas2).json["status"] == "on_hold"
    assert act(hall, kk["id"], "resume", petugas2).json["status"] == "waiting"
    moved = act(hall, kk["id"], "transfer", petugas2, {"service": "penerimaan-tamu"})
    assert moved.status_code == 200 and moved.json["service"] == "penerimaan-tamu"
    # Now a guest ticket: Loket 1's to act on, no longer Loket 2's.
    refused = act(hall, kk["id"], "cancel", petugas2)
    assert refused.status_code == 403 and refused.json["error"]["code"] == "outside_remit"
    cancelled = act(hall, kk["id"], "cancel", hall.staff("petugas1"))
    assert cancelled.status_code == 200 and cancelled.json["status"] == "cancelled"


@pytest.mark.parametrize("supervisor", ["kasi_pem", "sekcam", "camat", "admin"])
def test_a_supervisor_acts_on_any_waiting_ticket(hall: Hall, supervisor: str) -> None:
    kk = hall.issue("kk")
    headers = hall.staff(supervisor)
    assert act(hall, kk["id"], "hold", headers).json["status"] == "on_hold"
    assert act(hall, kk["id"], "resume", headers).json["status"] == "waiting"
    moved = act(hall, kk["id"], "transfer", headers, {"service": "ektp"})
    assert moved.status_code == 200 and moved.json["service"] == "ektp"
    cancelled = act(hall, kk["id"], "cancel", headers)
    assert cancelled.status_code == 200 and cancelled.json["status"] == "cancelled"


def test_a_called_ticket_is_its_counters_alone(hall: Hall, count_rows) -> None:
    headers = hall.open_counter(2)
    kk = hall.issue("kk")
    called = hall.client.post(f"/api/queue/counters/{hall.counter_id(2)}/call-next",
                              headers=headers)
    assert called.json["id"] == kk["id"]
    before_ticket, before_rows = ticket_of(hall, kk["id"]), count_rows()
    petugas3 = hall.staff("petugas3")  # Loket 3 serves KK, but the visitor is at Loket 2
    for action in ("recall", "start", "no-show", "hold", "cancel"):
        resp = act(hall, kk["id"], action, petugas3)
        assert resp.status_code == 403 and resp.json["error"]["code"] == "not_your_counter"
    assert ticket_of(hall, kk["id"]) == before_ticket and count_rows() == before_rows
    assert act(hall, kk["id"], "start", headers).json["status"] == "serving"
    assert act(hall, kk["id"], "finish", headers).json["status"] == "done"
