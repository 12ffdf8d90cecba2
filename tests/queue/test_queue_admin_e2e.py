"""Issue #15, "done when": a real office set up with `loket init` and then only the API.

On PostgreSQL the init and the app run with LOKET_ENV=production (production refuses SQLite by
design, so on SQLite they run in test mode; everything else is the same).
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.queue.admin_support import ADMIN_PASSWORD, fresh_database, is_postgres, run_loket
from tests.queue.conftest import mounted

pytestmark = pytest.mark.integration
__all__ = ["fresh_database"]


def _app(settings: Any, url: str) -> Any:
    from queue_service.app import create_app

    env = "production" if is_postgres() else "test"
    return mounted(create_app(settings.model_copy(update={"database_url": url, "env": env})))


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _open_all_day() -> dict[str, str]:
    """Opening hours that include now (production enforces them): midnight to 23:59 daily."""
    local = dt.datetime.now(ZoneInfo("Asia/Jakarta"))
    if local.hour == 23 and local.minute >= 58:  # the one closed minute is about to come
        time.sleep(150)
    return {"mon-sun": "00:00-23:59"}


def _login(client: Any, username: str, password: str) -> Any:
    return client.post("/api/queue/auth/token", json={"username": username, "password": password})


def test_init_then_only_the_api_runs_a_hall(settings, fresh_database) -> None:
    done = run_loket(fresh_database, "init", "--office", "Kecamatan Genteng", "--kabupaten",
                     "Banyuwangi", "--admin", "admin")
    assert done.returncode == 0, done.stderr
    assert "disiapkan" in done.stdout
    client = _app(settings, fresh_database).test_client()
    login = _login(client, "admin", ADMIN_PASSWORD)
    assert login.status_code == 200 and login.json["must_change_password"] is False
    admin = _bearer(login.json["token"])

    office = client.put("/api/queue/admin/office", headers=admin, json={
        "address": "Jl. Raya Genteng No. 1", "phone": "0333-845001",
        "opening_hours": _open_all_day(),
        "officials": {"camat": {"name": "Drs. Camat Genteng", "nip": "197001011990031001",
                                "rank": "Pembina IV/a"}}})
    assert office.status_code == 200, office.json
    assert office.json["kabupaten"] == "Banyuwangi"
    bring = ["KTP-el asli", "Kartu Keluarga asli", "Surat pengantar desa"]
    service = client.put("/api/queue/admin/services/ektp", headers=admin, json={"bring": bring})
    assert service.status_code == 200 and service.json["bring_is_demo"] is False
    counter = client.post("/api/queue/admin/counters", headers=admin,
                          json={"name": "Loket Adminduk", "services": ["ektp", "kk"]})
    assert counter.status_code == 201, counter.json
    officer = client.post("/api/queue/admin/staff", headers=admin, json={
        "username": "siti", "password": "sandi-awal-siti", "full_name": "Siti Rahayu",
        "roles": ["petugas"], "counter_id": counter.json["id"]})
    assert officer.status_code == 201, officer.json
    kiosk = client.post("/api/queue/admin/devices", headers=admin,
                        json={"kind": "kiosk", "name": "Kiosk Pintu Masuk"})
    tv = client.post("/api/queue/admin/devices", headers=admin,
                     json={"kind": "display", "name": "TV Ruang Tunggu", "place": "Ruang tunggu"})
    assert kiosk.status_code == tv.status_code == 201
    assert "token" not in str(client.get("/api/queue/admin/devices", headers=admin).json)

    # The kiosk shows the office's own bring-list, no longer an example.
    listed = {s["code"]: s for s in client.get("/api/queue/services").json["services"]}
    assert listed["ektp"]["bring"] == bring and listed["ektp"]["bring_is_demo"] is False

    ticket = client.post("/api/queue/tickets", headers=_bearer(kiosk.json["token"]),
                         json={"service": "ektp"})
    assert ticket.status_code == 201, ticket.json

    officer_token = _first_login(client, "siti", "sandi-awal-siti", "sandi-baru-siti-2026")
    siti = _bearer(officer_token)
    counter_id = counter.json["id"]
    assert client.post(f"/api/queue/counters/{counter_id}/open", headers=siti).status_code == 200
    called = client.post(f"/api/queue/counters/{counter_id}/call-next", headers=siti)
    assert called.status_code == 200 and called.json["number"] == ticket.json["number"]

    display = _bearer(tv.json["token"])
    assert client.get("/api/queue/me", headers=display).json["device"]["kind"] == "display"
    board = client.get("/api/queue/board", headers=display).json
    shown = [c for c in board["counters"] if c["name"] == "Loket Adminduk"]
    assert shown and shown[0]["current"]["number"] == ticket.json["number"]

    _revoked_kiosk_is_refused(client, admin, kiosk.json)
    deactivated = client.post(f"/api/queue/admin/staff/{officer.json['id']}/deactivate",
                              headers=admin)
    assert deactivated.status_code == 200 and deactivated.json["active"] is False
    refused = client.get("/api/queue/counters", headers=siti)
    assert refused.status_code == 401 and refused.json["error"]["code"] == "inactive_staff"
    assert _login(client, "siti", "sandi-baru-siti-2026").status_code == 401

    audit = client.get("/api/queue/admin/audit?actor=admin", headers=admin).json["entries"]
    seen = {(e["entity"], e["action"]) for e in audit}
    assert {("office", "update"), ("service", "update"), ("counter", "create"),
            ("staff", "create"), ("device", "create"), ("device", "revoke"),
            ("staff", "deactivate")} <= seen


def _first_login(client: Any, username: str, first: str, new: str) -> str:
    """A new officer must change the password: the first token does nothing else."""
    login = _login(client, username, first)
    assert login.status_code == 200 and login.json["must_change_password"] is True
    limited = _bearer(login.json["token"])
    refused = client.get("/api/queue/counters", headers=limited)
    assert refused.status_code == 403
    assert refused.json["error"]["code"] == "password_change_required"
    changed = client.post("/api/queue/auth/password", headers=limited,
                          json={"current_password": first, "new_password": new})
    assert changed.status_code == 200, changed.json
    again = _login(client, username, new)
    assert again.json["must_change_password"] is False
    return str(again.json["token"])


def _revoked_kiosk_is_refused(client: Any, admin: dict[str, str], kiosk: dict[str, Any]) -> None:
    revoked = client.post(f"/api/queue/admin/devices/{kiosk['id']}/revoke", headers=admin)
    assert revoked.status_code == 200 and revoked.json["active"] is False
    deadline = time.monotonic() + 5
    while True:
        resp = client.post("/api/queue/tickets", headers=_bearer(kiosk["token"]),
                           json={"service": "ektp"})
        if resp.status_code == 401:
            break
        assert time.monotonic() < deadline, "a revoked kiosk token still works after 5 s"
        time.sleep(0.2)
