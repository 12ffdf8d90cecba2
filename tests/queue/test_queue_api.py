"""The queue HTTP contract, against the real database, through Flask's test client."""

from __future__ import annotations

import uuid

import pytest

from tests.queue.conftest import VALID_NIK, Hall

pytestmark = pytest.mark.integration

MASKED = "3510\u2022\u2022\u2022\u2022\u2022\u2022\u2022\u20220001"


def test_services_list_has_the_five_services_with_estimates(hall: Hall) -> None:
    hall.issue("ektp")
    resp = hall.client.get("/api/queue/services")
    assert resp.status_code == 200
    services = {s["code"]: s for s in resp.json["services"]}
    assert list(services) == ["penerimaan-tamu", "pengaduan", "ektp", "kk", "rekomendasi"]
    assert [s["prefix"] for s in services.values()] == ["A", "B", "C", "D", "E"]
    ektp = services["ektp"]
    assert ektp["name"] == "Permohonan e-KTP"
    assert ektp["open"] is True and ektp["waiting"] == 1
    for key in ("estimated_wait_minutes", "bring", "bring_is_demo", "steps", "service_minutes",
                "questions"):
        assert key in ektp


def test_issue_ticket_returns_the_contract(hall: Hall) -> None:
    body = hall.issue("ektp", visitor={"name": "Siti Aminah", "nik": VALID_NIK,
                                       "phone": "0812-3456-7890", "consent": True})
    assert body["number"] == "C001"
    assert body["service"] == "ektp" and body["service_name"] == "Permohonan e-KTP"
    assert body["status"] == "waiting" and body["priority"] is None
    assert body["position"] == 1 and body["people_ahead"] == 0
    assert body["nik_masked"] == MASKED
    assert body["office"] == "Kecamatan Genteng"
    assert body["status_url"].endswith(f"/api/queue/tickets/{body['tracking_code']}")
    assert body["issued_at"].endswith("+00:00")
    assert "Siti" not in str(body) and VALID_NIK not in str(body)
    second = hall.issue("ektp")
    assert second["number"] == "C002" and second["people_ahead"] == 1
    assert hall.issue("kk")["number"] == "D001"


def test_wait_estimate_grows_with_the_queue_and_shrinks_with_counters(hall: Hall) -> None:
    for _ in range(4):
        last = hall.issue("kk")
    # No history today: SOP standard (or 5 minutes) per person, one counter at least.
    one = last["estimated_wait_minutes"]
    assert one > 0
    hall.open_counter(2)
    hall.open_counter(3)
    status = hall.client.get(f"/api/queue/tickets/{last['tracking_code']}").json
    assert status["estimated_wait_minutes"] == pytest.approx(one / 2, abs=1)


def test_public_status_has_no_personal_data(hall: Hall) -> None:
    ticket = hall.issue("ektp", visitor={"name": "Budi", "nik": VALID_NIK, "consent": True})
    resp = hall.client.get(f"/api/queue/tickets/{ticket['tracking_code'].lower()}")
    assert resp.status_code == 200
    assert resp.json["number"] == "C001" and resp.json["position"] == 1
    assert "Budi" not in resp.text and "3510" not in resp.text
    missing = hall.client.get("/api/queue/tickets/ZZZZZZZZ")
    assert missing.status_code == 404
    assert missing.json["error"]["field"] == "tracking_code"


def test_idempotent_retry_returns_the_same_ticket(hall: Hall, count_rows) -> None:
    key = str(uuid.uuid4())
    headers = {**hall.kiosk, "Idempotency-Key": key}
    body = {"service": "ektp", "visitor": {"nik": VALID_NIK, "consent": True}}
    first = hall.client.post("/api/queue/tickets", json=body, headers=headers)
    before = count_rows()
    again = hall.client.post("/api/queue/tickets", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json == again.json
    assert count_rows() == before
    other = hall.client.post("/api/queue/tickets", json=body,
                             headers={**hall.kiosk, "Idempotency-Key": str(uuid.uuid4())})
    assert other.json["number"] == "C002"


BAD_INPUT = [
    ({"service": "ektp", "visitor": {"nik": "35100117084500", "consent": True}}, 422,
     "invalid_nik", "visitor.nik"),
    ({"service": "ektp", "visitor": {"nik": "3510013208450001", "consent": True}}, 422,
     "invalid_nik", "visitor.nik"),
    ({"service": "ektp", "visitor": {"nik": VALID_NIK, "consent": False}}, 422,
     "consent_required", "visitor.consent"),
    ({"service": "ektp", "visitor": {"nik": VALID_NIK}}, 422, "consent_required",
     "visitor.consent"),
    ({"service": "ektp", "visitor": {"phone": "12ab", "consent": True}}, 422, "invalid_phone",
     "visitor.phone"),
    ({"service": "paspor"}, 422, "unknown_service", "service"),
    # Found by schemathesis on PostgreSQL: a NUL byte once reached the driver (a 500).
    # A NUL anywhere in a body is refused before any parser (loket.web.json_body, #17).
    ({"service": "ek\x00tp"}, 422, "invalid_text", "service"),
    ({"service": "EKTP'; --"}, 422, "unknown_service", "service"),
    ({}, 422, "required", "service"),
    ({"service": 7}, 422, "required", "service"),
    ({"service": "ektp", "priority": "vip"}, 422, "invalid_priority", "priority"),
    ({"service": "ektp", "details": "text"}, 422, "invalid_body", "details"),
    ({"service": "penerimaan-tamu", "details": {"group_size": 0}}, 422, "validation_error",
     "details.group_size"),
    ({"service": "ektp", "visitor": "Siti"}, 422, "invalid_body", "visitor"),
    ([1, 2, 3], 422, "invalid_body", None),
    ("ektp", 422, "invalid_body", None),
]


@pytest.mark.parametrize(("body", "status", "code", "field"), BAD_INPUT)
def test_bad_ticket_input_is_refused_and_changes_nothing(hall: Hall, count_rows, body, status,
                                                         code, field) -> None:
    before = count_rows()
    resp = hall.client.post("/api/queue/tickets", json=body, headers=hall.kiosk)
    assert resp.status_code == status, resp.json
    error = resp.json["error"]
    assert error["code"] == code
    assert error["field"] == field
    assert error["request_id"]
    assert any(word in error["message"] for word in
               ("tidak", "wajib", "harus", "Terlalu", "Jumlah", "Persetujuan")), error["message"]
    assert count_rows() == before


def test_malformed_json_and_empty_body_are_400(hall: Hall, count_rows) -> None:
    before = count_rows()
    for data in (b"{not json", b"\xff\xfe", b"", b"   "):
        resp = hall.client.post("/api/queue/tickets", data=data, headers=hall.kiosk,
                                content_type="application/json")
        assert resp.status_code == 400, data
        assert resp.json["error"]["field"] == "body"
        assert "JSON" in resp.json["error"]["message"]
    assert count_rows() == before


def test_oversized_body_is_413(hall: Hall, count_rows) -> None:
    before = count_rows()
    huge = {"service": "ektp", "details": {"x": "a" * 100_000}}
    resp = hall.client.post("/api/queue/tickets", json=huge, headers=hall.kiosk)
    assert resp.status_code == 413
    assert resp.json["error"]["message"] == "Isi permintaan terlalu besar."
    assert resp.json["error"]["code"] == "request_entity_too_large"
    assert count_rows() == before


def test_closed_service_is_409(hall: Hall, count_rows, db) -> None:
    from sqlalchemy import update

    from queue_service.models import Service

    with db.session() as session:
        session.execute(update(Service).where(Service.code == "kk").values(is_open=False))
    before = count_rows()
    resp = hall.client.post("/api/queue/tickets", json={"service": "kk"}, headers=hall.kiosk)
    assert resp.status_code == 409
    assert resp.json["error"]["field"] == "service"
    assert "tutup" in resp.json["error"]["message"]
    assert count_rows() == before


def test_auth_token_and_me(hall: Hall) -> None:
    resp = hall.client.post("/api/queue/auth/token",
                            json={"username": "kasi_pm", "password": hall.password("kasi_pm")})
    assert resp.status_code == 200
    assert resp.json["staff"]["section"] == "Pelayanan Masyarakat"
    me = hall.client.get("/api/queue/me",
                         headers={"Authorization": f"Bearer {resp.json['token']}"})
    assert me.json["staff"]["username"] == "kasi_pm" and me.json["staff"]["roles"] == ["kasi"]
    device = hall.client.get("/api/queue/me", headers=hall.kiosk)
    assert device.json["kind"] == "device" and device.json["device"]["kind"] == "kiosk"
    wrong = hall.client.post("/api/queue/auth/token",
                             json={"username": "kasi_pm", "password": "salah"})
    assert wrong.status_code == 401
    assert wrong.json["error"]["message"] == "Nama pengguna atau kata sandi salah."
    nobody = hall.client.post("/api/queue/auth/token", json={"username": "x", "password": "y"})
    assert nobody.status_code == 401
    missing = hall.client.post("/api/queue/auth/token", json={"username": "x"})
    assert missing.status_code == 422 and missing.json["error"]["field"] == "password"


def test_unknown_device_token_is_401(hall: Hall) -> None:
    resp = hall.client.post("/api/queue/tickets", json={"service": "ektp"},
                            headers={"Authorization": "Bearer dev_nope"})
    assert resp.status_code == 401
    assert resp.json["error"]["code"] == "invalid_device_token"
    assert hall.client.post("/api/queue/tickets", json={"service": "ektp"}).status_code == 401


def test_role_checks(hall: Hall, count_rows) -> None:
    hall.issue("ektp")
    counter2 = hall.counter_id(2)
    hall.open_counter(2)
    before = count_rows()
    kiosk_call = hall.client.post(f"/api/queue/counters/{counter2}/call-next", headers=hall.kiosk)
    assert kiosk_call.status_code == 403
    assert "Perangkat" in kiosk_call.json["error"]["message"]
    display_issue = hall.client.post("/api/queue/tickets", json={"service": "ektp"},
                                     headers=hall.display)
    assert display_issue.status_code == 403
    other = hall.client.post(f"/api/queue/counters/{counter2}/call-next",
                             headers=hall.staff("petugas1"))
    assert other.status_code == 403
    assert other.json["error"]["code"] == "not_your_counter"
    assert "Loket 2" in other.json["error"]["message"]
    assert hall.client.post(f"/api/queue/counters/{counter2}/pause",
                            headers=hall.staff("petugas3")).status_code == 403
    assert hall.client.get("/api/queue/tickets", headers=hall.kiosk).status_code == 403
    assert hall.client.put("/api/queue/announcements", json={"text": "x"},
                           headers=hall.staff("petugas1")).status_code == 403
    assert count_rows() == before
    # A supervisor may act at any counter.
    ok = hall.client.post(f"/api/queue/counters/{counter2}/call-next",
                          headers=hall.staff("sekcam"))
    assert ok.status_code == 200 and ok.json["number"] == "C001"


def test_call_next_follows_priority_and_204_when_empty(hall: Hall) -> None:
    headers = hall.open_counter(2)
    url = f"/api/queue/counters/{hall.counter_id(2)}/call-next"
    first = hall.issue("ektp")
    hall.issue("rekomendasi")  # not served at counter 2
    lansia = hall.issue("kk", priority="lansia")
    called = hall.client.post(url, headers=headers)
    assert called.status_code == 200
    assert called.json["number"] == lansia["number"]
    assert called.json["counter"]["name"] == "Loket 2"
    busy = hall.client.post(url, headers=headers)
    assert busy.status_code == 409 and busy.json["error"]["code"] == "counter_busy"
    tid = called.json["id"]
    assert hall.client.post(f"/api/queue/tickets/{tid}/start", headers=headers).status_code == 200
    done = hall.client.post(f"/api/queue/tickets/{tid}/finish", headers=headers)
    assert done.json["status"] == "done"
    again = hall.client.post(url, headers=headers)
    assert again.json["number"] == first["number"]
    hall.client.post(f"/api/queue/tickets/{again.json['id']}/no-show", headers=headers)
    nobody = hall.client.post(url, headers=headers)
    assert nobody.status_code == 204 and nobody.data == b""


def test_call_on_paused_or_closed_counter_is_409(hall: Hall, count_rows) -> None:
    hall.issue("ektp")
    counter = hall.counter_id(2)
    headers = hall.staff("petugas2")
    before = count_rows()
    closed = hall.client.post(f"/api/queue/counters/{counter}/call-next", headers=headers)
    assert closed.status_code == 409 and "tutup" in closed.json["error"]["message"]
    hall.client.post(f"/api/queue/counters/{counter}/open", headers=headers)
    hall.client.post(f"/api/queue/counters/{counter}/pause", headers=headers)
    mid = count_rows()
    paused = hall.client.post(f"/api/queue/counters/{counter}/call-next", headers=headers)
    assert paused.status_code == 409
    assert paused.json["error"]["message"].startswith("Loket 2 sedang dijeda")
    assert count_rows() == mid
    assert before["queue_ticket"] == mid["queue_ticket"]


def test_call_specific_ticket(hall: Hall) -> None:
    headers = hall.open_counter(3)
    hall.issue("ektp")
    wanted = hall.issue("rekomendasi")
    counter = hall.counter_id(3)
    resp = hall.client.post(f"/api/queue/counters/{counter}/call",
                            json={"ticket_id": wanted["id"]}, headers=headers)
    assert resp.status_code == 200 and resp.json["number"] == "E001"
    hall.client.post(f"/api/queue/tickets/{wanted['id']}/no-show", headers=headers)
    again = hall.client.post(f"/api/queue/counters/{counter}/call",
                             json={"ticket_id": wanted["id"]}, headers=headers)
    assert again.status_code == 409 and again.json["error"]["field"] == "ticket_id"
    other = hall.issue("pengaduan")
    wrong = hall.client.post(f"/api/queue/counters/{counter}/call",
                             json={"ticket_id": other["id"]}, headers=headers)
    assert wrong.status_code == 422
    bad = hall.client.post(f"/api/queue/counters/{counter}/call", json={"ticket_id": "x"},
                           headers=headers)
    assert bad.status_code == 422 and bad.json["error"]["field"] == "ticket_id"


def test_recall_counts_and_turns_into_no_show(hall: Hall) -> None:
    headers = hall.open_counter(2)
    hall.issue("ektp")
    tid = hall.client.post(f"/api/queue/counters/{hall.counter_id(2)}/call-next",
                           headers=headers).json["id"]
    for expected in (1, 2, 3):
        resp = hall.client.post(f"/api/queue/tickets/{tid}/recall", headers=headers)
        assert resp.json["status"] == "called" and resp.json["recalls"] == expected
    last = hall.client.post(f"/api/queue/tickets/{tid}/recall", headers=headers)
    assert last.json["status"] == "no_show"
    assert last.json["counter"] is None


def test_illegal_action_is_409_in_indonesian(hall: Hall, count_rows) -> None:
    ticket = hall.issue("ektp")
    headers = hall.staff("petugas2")
    before = count_rows()
    for action in ("finish", "start", "recall", "no-show", "resume"):
        resp = hall.client.post(f"/api/queue/tickets/{ticket['id']}/{action}", headers=headers)
        assert resp.status_code == 409, action
        assert "tidak dapat" in resp.json["error"]["message"]
        assert resp.json["error"]["code"] == "illegal_transition"
    assert count_rows() == before
    assert hall.client.post(f"/api/queue/tickets/{ticket['id']}/fly",
                            headers=headers).status_code == 404
    assert hall.client.post("/api/queue/tickets/99999/start", headers=headers).status_code == 404


def test_hold_and_resume_keep_the_original_time(hall: Hall) -> None:
    headers = hall.open_counter(2)
    first = hall.issue("ektp")
    second = hall.issue("ektp")
    url = f"/api/queue/counters/{hall.counter_id(2)}/call-next"
    assert hall.client.post(url, headers=headers).json["id"] == first["id"]
    held = hall.client.post(f"/api/queue/tickets/{first['id']}/hold", headers=headers)
    assert held.json["status"] == "on_hold" and held.json["counter"] is None
    resumed = hall.client.post(f"/api/queue/tickets/{first['id']}/resume", headers=headers)
    assert resumed.json["status"] == "waiting"
    assert resumed.json["original_issued_at"] == first["issued_at"]
    # Its original time keeps it ahead of the ticket issued after it.
    assert resumed.json["position"] == 1
    assert hall.client.post(url, headers=headers).json["id"] == first["id"]
    assert second["position"] == 2


def test_transfer_and_return(hall: Hall) -> None:
    h2 = hall.open_counter(2)
    h1 = hall.open_counter(1)
    guest = hall.issue("penerimaan-tamu")
    tid = hall.client.post(f"/api/queue/counters/{hall.counter_id(1)}/call-next",
                           headers=h1).json["id"]
    assert tid == guest["id"]
    hall.client.post(f"/api/queue/tickets/{tid}/start", headers=h1)
    moved = hall.client.post(f"/api/queue/tickets/{tid}/transfer",
                             json={"service": "kk", "return_after": True}, headers=h1)
    assert moved.status_code == 200, moved.json
    assert moved.json["service"] == "kk" and moved.json["number"] == "A001"
    assert moved.json["status"] == "waiting" and moved.json["return_to_service"] == \
        "penerimaan-tamu"
    assert moved.json["original_issued_at"] == guest["issued_at"]
    hall.issue("kk")
    at_kk = hall.client.post(f"/api/queue/counters/{hall.counter_id(2)}/call-next", headers=h2)
    assert at_kk.json["id"] == tid  # older than the kk ticket issued later
    hall.client.post(f"/api/queue/tickets/{tid}/start", headers=h2)
    back = hall.client.post(f"/api/queue/tickets/{tid}/finish", headers=h2)
    assert back.json["service"] == "penerimaan-tamu" and back.json["status"] == "waiting"
    assert back.json["returning"] is True
    hall.issue("penerimaan-tamu", priority="lansia")
    again = hall.client.post(f"/api/queue/counters/{hall.counter_id(1)}/call-next", headers=h1)
    assert again.json["id"] == tid  # returning visitors go first


def test_transfer_bad_input(hall: Hall, count_rows) -> None:
    ticket = hall.issue("ektp")
    headers = hall.staff("petugas2")
    before = count_rows()
    for body, field in (({"service": "nope"}, "service"), ({"service": "ektp"}, "service"),
                        ({}, "service"), ({"service": "kk", "return_after": "ya"},
                                          "return_after")):
        resp = hall.client.post(f"/api/queue/tickets/{ticket['id']}/transfer", json=body,
                                headers=headers)
        assert resp.status_code == 422, body
        assert resp.json["error"]["field"] == field
    assert count_rows() == before


def test_cancel(hall: Hall) -> None:
    ticket = hall.issue("ektp")
    # Loket 2 serves e-KTP: its officer may cancel a waiting e-KTP ticket (#17: the operator,
    # who sits at no counter, may not; see test_queue_remit.py).
    resp = hall.client.post(f"/api/queue/tickets/{ticket['id']}/cancel",
                            headers=hall.staff("petugas2"))
    assert resp.json["status"] == "cancelled"
    status = hall.client.get(f"/api/queue/tickets/{ticket['tracking_code']}").json
    assert status["status"] == "cancelled" and status["position"] is None


def test_counter_close_refused_while_serving(hall: Hall) -> None:
    headers = hall.open_counter(2)
    hall.issue("ektp")
    counter = hall.counter_id(2)
    hall.client.post(f"/api/queue/counters/{counter}/call-next", headers=headers)
    resp = hall.client.post(f"/api/queue/counters/{counter}/close", headers=headers)
    assert resp.status_code == 409 and "C001" in resp.json["error"]["message"]
    listed = hall.client.get("/api/queue/counters", headers=headers).json["counters"]
    loket2 = next(c for c in listed if c["number"] == 2)
    assert loket2["status"] == "open" and loket2["officer"]["username"] == "petugas2"
    assert loket2["current"]["number"] == "C001"


def test_ticket_list_masks_nik_and_a_waiting_ticket_stays_masked(hall: Hall) -> None:
    ticket = hall.issue("ektp", visitor={"name": "Siti", "nik": VALID_NIK,
                                         "phone": "081234567890", "consent": True})
    listed = hall.client.get("/api/queue/tickets?status=waiting&service=ektp",
                             headers=hall.staff("kasi_pem"))
    assert listed.status_code == 200
    assert VALID_NIK not in listed.text
    assert listed.json["tickets"][0]["visitor"]["nik_masked"] == MASKED
    assert listed.json["tickets"][0]["visitor"]["name"] == "Siti"
    as_kasi = hall.client.get(f"/api/queue/tickets/id/{ticket['id']}",
                              headers=hall.staff("kasi_pem"))
    assert "nik" not in as_kasi.json["visitor"]
    # Issue #17: only the officer serving the visitor reads the full NIK; this one waits.
    as_petugas = hall.client.get(f"/api/queue/tickets/id/{ticket['id']}",
                                 headers=hall.staff("petugas2"))
    assert "nik" not in as_petugas.json["visitor"] and VALID_NIK not in as_petugas.text
    bad = hall.client.get("/api/queue/tickets?status=lost", headers=hall.staff("kasi_pem"))
    assert bad.status_code == 422 and bad.json["error"]["field"] == "status"


def test_personal_data_is_encrypted_at_rest(hall: Hall, db) -> None:
    from sqlalchemy import select

    from queue_service.models import Visitor

    hall.issue("ektp", visitor={"name": "Siti", "nik": VALID_NIK, "consent": True})
    with db.session() as session:
        visitor = session.scalars(select(Visitor)).one()
        assert VALID_NIK.encode() not in (visitor.nik_enc or b"")
        assert b"Siti" not in (visitor.name_enc or b"")
        assert visitor.nik_index and VALID_NIK not in visitor.nik_index
        assert visitor.consent is True and visitor.consent_at is not None


def test_announcements(hall: Hall) -> None:
    resp = hall.client.put("/api/queue/announcements",
                           json={"announcements": ["Pelayanan KTP sampai pukul 14.00"]},
                           headers=hall.staff("sekcam"))
    assert resp.status_code == 200
    assert hall.client.get("/api/queue/board").json["announcements"] == [
        "Pelayanan KTP sampai pukul 14.00"]
    bad = hall.client.put("/api/queue/announcements", json={"announcements": "x"},
                          headers=hall.staff("camat"))
    assert bad.status_code == 422 and bad.json["error"]["field"] == "announcements"


def test_kiosk_fault_is_an_event_staff_can_see(hall: Hall) -> None:
    resp = hall.client.post("/api/queue/kiosk/faults", json={"code": "printer_offline"},
                            headers=hall.kiosk)
    assert resp.status_code == 201 and resp.json["type"] == "kiosk.fault"
    faults = hall.client.get("/api/queue/kiosk/faults", headers=hall.staff("petugas1"))
    assert faults.json["faults"][0]["fault"] == "printer_offline"
    assert hall.client.post("/api/queue/kiosk/faults", json={"code": "printer_offline"},
                            headers=hall.display).status_code == 403
    bad = hall.client.post("/api/queue/kiosk/faults", json={"code": "meltdown"},
                           headers=hall.kiosk)
    assert bad.status_code == 422 and bad.json["error"]["field"] == "code"


def test_openapi_and_docs_page(hall: Hall) -> None:
    spec = hall.client.get("/api/queue/openapi.json").json
    assert spec["openapi"].startswith("3.")
    routes = {rule.rule for rule in hall.app.url_map.iter_rules()
              if rule.rule.startswith("/api/queue")}
    documented = set(spec["paths"])
    for route in routes:
        path = route.replace("<int:", "{").replace("<string:", "{").replace(">", "}")
        if "<any(" in route:
            for change in ("open", "pause", "close"):
                assert f"/api/queue/counters/{{counter_id}}/{change}" in documented
            continue
        if path.endswith("{action}"):
            for action in ("recall", "start", "finish", "no-show", "hold", "resume",
                           "transfer", "cancel"):
                assert path.replace("{action}", action) in documented
            continue
        assert path in documented, path
    page = hall.client.get("/api/queue/docs")
    assert page.status_code == 200 and "call-next" in page.text
    assert "<script" not in page.text and 'src="http' not in page.text
    assert 'href="http' not in page.text
