"""The admin API (issue #15) on the demo hall: remits, validation, conflicts, audit, devices."""

from __future__ import annotations

import time

import pytest

from tests.queue.conftest import Hall, mounted

pytestmark = pytest.mark.integration

ADMIN_ROUTES = (
    ("GET", "/api/queue/admin/office"), ("PUT", "/api/queue/admin/office"),
    ("GET", "/api/queue/admin/services"), ("POST", "/api/queue/admin/services"),
    ("PUT", "/api/queue/admin/services/ektp"),
    ("GET", "/api/queue/admin/counters"), ("POST", "/api/queue/admin/counters"),
    ("PUT", "/api/queue/admin/counters/1"),
    ("GET", "/api/queue/admin/staff"), ("POST", "/api/queue/admin/staff"),
    ("PUT", "/api/queue/admin/staff/1"), ("POST", "/api/queue/admin/staff/1/deactivate"),
    ("POST", "/api/queue/admin/staff/1/password"),
    ("GET", "/api/queue/admin/devices"), ("POST", "/api/queue/admin/devices"),
    ("POST", "/api/queue/admin/devices/1/revoke"), ("GET", "/api/queue/admin/audit"),
)


def test_only_the_administrator_may_use_the_admin_api(hall: Hall, count_rows) -> None:
    before = count_rows()
    others = {"camat": hall.staff("camat"), "petugas": hall.staff("petugas1"),
              "kiosk": hall.kiosk, "display": hall.display}
    for method, path in ADMIN_ROUTES:
        assert hall.client.open(path, method=method, json={}).status_code == 401, path
        for who, headers in others.items():
            resp = hall.client.open(path, method=method, json={}, headers=headers)
            assert resp.status_code == 403, (who, path)
    assert count_rows() == before


def test_bad_input_names_the_field_in_indonesian_and_changes_nothing(hall: Hall,
                                                                      count_rows) -> None:
    admin = hall.staff("admin")
    before = count_rows()
    cases = (
        ("PUT", "/api/queue/admin/office", {"opening_hours": {"mon": "16:00-07:00"}},
         "opening_hours"),
        ("PUT", "/api/queue/admin/office", {"timezone": "Europe/Paris"}, "timezone"),
        ("PUT", "/api/queue/admin/office", {"officials": {"camat": {"name": "A", "nip": "12"}}},
         "officials.camat.nip"),
        ("PUT", "/api/queue/admin/services/ektp", {"prefix": "12"}, "prefix"),
        ("PUT", "/api/queue/admin/services/ektp", {"bring": "KTP"}, "bring"),
        ("POST", "/api/queue/admin/counters", {"name": "Loket 9"}, "services"),
        ("POST", "/api/queue/admin/counters", {"name": "Loket 9", "services": ["paspor"]},
         "services"),
        ("POST", "/api/queue/admin/staff", {"username": "budi", "password": "pendek",
                                            "full_name": "Budi", "roles": ["petugas"]},
         "password"),
        ("POST", "/api/queue/admin/staff", {"username": "budi", "password": "cukup-panjang",
                                            "full_name": "Budi", "roles": ["raja"]}, "roles"),
        ("POST", "/api/queue/admin/devices", {"kind": "printer", "name": "X"}, "kind"),
        ("POST", "/api/queue/admin/devices", {"kind": "kiosk"}, "name"),
    )
    for method, path, body, field in cases:
        resp = hall.client.open(path, method=method, json=body, headers=admin)
        assert resp.status_code == 422, (path, body, resp.json)
        assert resp.json["error"]["field"] == field, resp.json
        assert any(word in resp.json["error"]["message"]
                   for word in ("harus", "wajib", "tidak", "minimal", "Pilih")), resp.json
    assert count_rows() == before


def test_taken_username_and_counter_name_are_409(hall: Hall, count_rows) -> None:
    admin = hall.staff("admin")
    before = count_rows()
    user = hall.client.post("/api/queue/admin/staff", headers=admin, json={
        "username": "petugas1", "password": "sandi-panjang", "full_name": "Lain",
        "roles": ["petugas"]})
    assert user.status_code == 409 and user.json["error"]["field"] == "username"
    counter = hall.client.post("/api/queue/admin/counters", headers=admin,
                               json={"name": "loket 1", "services": ["ektp"]})
    assert counter.status_code == 409 and counter.json["error"]["field"] == "name"
    prefix = hall.client.put("/api/queue/admin/services/kk", headers=admin, json={"prefix": "C"})
    assert prefix.status_code == 409 and prefix.json["error"]["field"] == "prefix"
    assert count_rows() == before


def test_every_change_is_audited_with_before_and_after(hall: Hall) -> None:
    admin = hall.staff("admin")
    created = hall.client.post("/api/queue/admin/counters", headers=admin,
                               json={"name": "Loket Prioritas", "services": ["ektp"]})
    assert created.status_code == 201 and created.json["id"]
    hall.client.put(f"/api/queue/admin/counters/{created.json['id']}", headers=admin,
                    json={"services": ["ektp", "kk"], "tv_order": 0})
    hall.client.put("/api/queue/admin/services/kk", headers=admin,
                    json={"fee": "gratis", "daily_quota": 40, "open": False})
    entries = hall.client.get("/api/queue/admin/audit?entity=counter", headers=admin).json
    latest = entries["entries"][0]
    assert latest["actor"] == "admin" and latest["action"] == "update"
    assert latest["before"]["services"] == ["ektp"]
    assert latest["after"]["services"] == ["ektp", "kk"] and latest["after"]["tv_order"] == 0
    kk = hall.client.get("/api/queue/admin/audit?entity=service", headers=admin).json
    assert kk["entries"][0]["after"]["daily_quota"] == 40
    assert hall.client.get("/api/queue/admin/audit?actor=camat",
                           headers=admin).json["entries"] == []
    bad = hall.client.get("/api/queue/admin/audit?entity=ticket", headers=admin)
    assert bad.status_code == 422 and bad.json["error"]["field"] == "entity"
    services = {s["code"]: s for s in hall.client.get("/api/queue/services").json["services"]}
    assert services["kk"]["open"] is False


def test_a_reset_password_must_be_changed_before_anything_else(hall: Hall) -> None:
    admin = hall.staff("admin")
    staff_id = hall.client.get("/api/queue/me", headers=hall.staff("petugas2")).json["staff"]["id"]
    reset = hall.client.post(f"/api/queue/admin/staff/{staff_id}/password", headers=admin,
                             json={"password": "sementara-123"})
    assert reset.status_code == 200 and reset.json["must_change_password"] is True
    audited = hall.client.get("/api/queue/admin/audit", headers=admin).json["entries"][0]
    assert audited["action"] == "reset_password" and "sementara" not in str(audited)
    assert "password_hash" not in audited["after"] and "argon2" not in str(audited)
    login = hall.client.post("/api/queue/auth/token",
                             json={"username": "petugas2", "password": "sementara-123"})
    assert login.json["must_change_password"] is True
    limited = {"Authorization": f"Bearer {login.json['token']}"}
    assert hall.client.get("/api/queue/counters", headers=limited).status_code == 403
    wrong = hall.client.post("/api/queue/auth/password", headers=limited, json={
        "current_password": "salah-sekali", "new_password": "baru-sekali-123"})
    assert wrong.status_code == 422 and wrong.json["error"]["field"] == "current_password"
    done = hall.client.post("/api/queue/auth/password", headers=limited, json={
        "current_password": "sementara-123", "new_password": "baru-sekali-123"})
    assert done.status_code == 200
    full = {"Authorization": f"Bearer {done.json['token']}"}
    assert hall.client.get("/api/queue/counters", headers=full).status_code == 200
    assert hall.client.post("/api/queue/auth/password", json={}).status_code == 401


def test_staff_list_by_role_and_section_for_the_workflow(hall: Hall) -> None:
    kasi = hall.client.get("/api/queue/staff?role=kasi", headers=hall.staff("kasi_pem")).json
    assert {p["username"] for p in kasi["staff"]} == {"kasi_pem", "kasi_pm", "kasi_kesra"}
    section = "Tata Pemerintahan dan Ketertiban Umum"
    one = hall.client.get("/api/queue/staff", query_string={"role": "kasi", "section": section},
                          headers=hall.staff("petugas1")).json["staff"]
    assert [p["username"] for p in one] == ["kasi_pem"] and one[0]["section"] == section
    assert "nip" not in one[0] and "password_hash" not in str(one)
    assert hall.client.get("/api/queue/staff", headers=hall.kiosk).status_code == 403
    assert hall.client.get("/api/queue/staff").status_code == 401


def test_revoked_token_is_refused_by_another_process_within_5_seconds(hall: Hall,
                                                                      settings) -> None:
    from queue_service.app import create_app

    other = mounted(create_app(settings)).test_client()  # its own device cache
    admin = hall.staff("admin")
    device = hall.client.post("/api/queue/admin/devices", headers=admin,
                              json={"kind": "kiosk", "name": "Kiosk Lantai 2"}).json
    token = {"Authorization": f"Bearer {device['token']}"}
    assert other.get("/api/queue/me", headers=token).status_code == 200  # cached there now
    listed = hall.client.get("/api/queue/admin/devices", headers=admin).json["devices"]
    assert next(d for d in listed if d["id"] == device["id"])["last_seen_at"] is not None
    hall.client.post(f"/api/queue/admin/devices/{device['id']}/revoke", headers=admin)
    assert hall.client.get("/api/queue/me", headers=token).status_code == 401  # at once here
    started = time.monotonic()
    while other.get("/api/queue/me", headers=token).status_code != 401:
        assert time.monotonic() - started < 5.5, "still accepted after 5 s"
        time.sleep(0.25)


def test_admin_paths_are_in_the_openapi_document(hall: Hall) -> None:
    paths = hall.client.get("/api/queue/openapi.json").json["paths"]
    for method, path in ADMIN_ROUTES:
        documented = path.removeprefix("/api/queue").replace("/ektp", "/{code}")
        for name in ("counters", "staff", "devices"):
            documented = documented.replace(f"/{name}/1", f"/{name}/{{{name[:-1]}_id}}"
                                            if name != "staff" else "/staff/{staff_id}")
        assert method.lower() in paths[documented], documented
    assert "post" in paths["/auth/password"] and "get" in paths["/staff"]
    assert "get" in paths["/office"]


def test_office_profile_is_readable_by_staff_for_documents(hall: Hall) -> None:
    hall.client.put("/api/queue/admin/office", headers=hall.staff("admin"), json={
        "officials": {"sekcam": {"name": "Siti Nurhayati, S.Sos", "nip": "198001012005012001",
                                 "rank": "Penata Tk. I (III/d)"}}})
    office = hall.client.get("/api/queue/office", headers=hall.staff("kasi_pem"))
    assert office.status_code == 200
    assert office.json["officials"]["sekcam"]["name"] == "Siti Nurhayati, S.Sos"
    assert hall.client.get("/api/queue/office", headers=hall.kiosk).status_code == 403
    assert hall.client.get("/api/queue/office").status_code == 401


def test_daily_quota_stops_numbers_for_the_day_and_nothing_is_left_behind(hall: Hall,
                                                                         count_rows) -> None:
    admin = hall.staff("admin")
    assert hall.client.put("/api/queue/admin/services/rekomendasi", headers=admin,
                           json={"daily_quota": 2}).status_code == 200
    assert [hall.issue("rekomendasi")["number"] for _ in range(2)] == ["E001", "E002"]
    before = count_rows()
    full = hall.client.post("/api/queue/tickets", json={"service": "rekomendasi"},
                            headers=hall.kiosk)
    assert full.status_code == 409 and full.json["error"]["code"] == "daily_quota_reached"
    assert "Kuota harian" in full.json["error"]["message"]
    assert count_rows() == before
    hall.client.put("/api/queue/admin/services/rekomendasi", headers=admin,
                    json={"daily_quota": None})
    assert hall.issue("rekomendasi")["number"] == "E003"


def test_tv_order_and_kabupaten_reach_the_board(hall: Hall) -> None:
    admin = hall.staff("admin")
    hall.client.put(f"/api/queue/admin/counters/{hall.counter_id(4)}", headers=admin,
                    json={"tv_order": 0})
    for number in (1, 2, 3):
        hall.client.put(f"/api/queue/admin/counters/{hall.counter_id(number)}", headers=admin,
                        json={"tv_order": number})
    hall.client.put("/api/queue/admin/office", headers=admin, json={"kabupaten": "Banyuwangi"})
    board = hall.client.get("/api/queue/board").json
    assert [c["number"] for c in board["counters"]] == [4, 1, 2, 3]
    assert board["office"]["kabupaten"] == "Banyuwangi"
