"""Staff sessions end everywhere within 5 s: logout, password change, deactivation and the
admin's account changes, in the queue (at once) and in the workflow service (its own app, its
own cache, reading Redis only, as another process does)."""

from __future__ import annotations

import time
from typing import Any

import pytest

from loket import staff_sessions
from tests.queue.conftest import Hall

pytestmark = pytest.mark.integration

WITHIN_SECONDS = 5.0


@pytest.fixture
def workflow(settings, hall: Hall) -> Any:
    from workflow_service.app import create_app

    return create_app(settings).test_client()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def refused_within(get: Any, code: str, seconds: float = WITHIN_SECONDS) -> dict[str, Any]:
    """Poll ``get()`` until it answers 401 with ``code``; fail after ``seconds``."""
    started = time.monotonic()
    while True:
        resp = get()
        if resp.status_code == 401:
            error = resp.json["error"]
            assert error["code"] == code, error
            return error  # type: ignore[no-any-return]
        assert resp.status_code == 200, resp.json
        assert time.monotonic() - started < seconds, f"still accepted after {seconds} s"
        time.sleep(0.2)


def test_logout_ends_the_token_in_the_queue_at_once_and_in_the_workflow_within_5_s(
        hall: Hall, workflow: Any) -> None:
    token = hall.token("kasi_pem")
    other_console = hall.token("kasi_pem")  # the same account signed in elsewhere
    assert workflow.get("/cases", headers=bearer(token)).status_code == 200  # cached there
    assert hall.client.get("/api/queue/me", headers=bearer(token)).status_code == 200

    out = hall.client.post("/api/queue/auth/logout", headers=bearer(token))
    assert out.status_code == 204

    mine = hall.client.get("/api/queue/me", headers=bearer(token))
    assert mine.status_code == 401 and mine.json["error"]["code"] == "session_ended"
    assert "masuk lagi" in mine.json["error"]["message"]
    assert hall.client.get("/api/queue/me", headers=bearer(other_console)).status_code == 401
    error = refused_within(lambda: workflow.get("/cases", headers=bearer(token)),
                           "session_ended")
    assert "silakan masuk lagi" in error["message"]
    # A new login works everywhere again.
    fresh = hall.token("kasi_pem")
    assert hall.client.get("/api/queue/me", headers=bearer(fresh)).status_code == 200
    assert workflow.get("/cases", headers=bearer(fresh)).status_code == 200


def test_logout_is_for_staff_only(hall: Hall) -> None:
    assert hall.client.post("/api/queue/auth/logout").status_code == 401
    kiosk = hall.client.post("/api/queue/auth/logout", headers=hall.kiosk)
    assert kiosk.status_code == 403 and kiosk.json["error"]["message"]
    # A forged or foreign token is refused like anywhere else.
    forged = hall.client.post("/api/queue/auth/logout", headers=bearer("abc.def.ghi"))
    assert forged.status_code == 401 and forged.json["error"]["code"] == "invalid_token"


def test_deactivation_is_refused_by_the_workflow_within_5_s(hall: Hall, workflow: Any) -> None:
    token = hall.token("operator1")
    assert workflow.get("/cases", headers=bearer(token)).status_code == 200
    staff_id = hall.client.get("/api/queue/me", headers=bearer(token)).json["staff"]["id"]
    admin = hall.staff("admin")
    done = hall.client.post(f"/api/queue/admin/staff/{staff_id}/deactivate", headers=admin)
    assert done.status_code == 200 and done.json["active"] is False
    error = refused_within(lambda: workflow.get("/cases", headers=bearer(token)),
                           "inactive_staff")
    assert "dinonaktifkan" in error["message"]
    gone = hall.client.get("/api/queue/me", headers=bearer(token))
    assert gone.status_code == 401 and gone.json["error"]["code"] == "inactive_staff"


def test_password_change_ends_the_other_sessions_and_keeps_the_new_one(
        hall: Hall, workflow: Any) -> None:
    old = hall.token("petugas3")
    assert workflow.get("/cases", headers=bearer(old)).status_code == 200
    changed = hall.client.post("/api/queue/auth/password", headers=bearer(old), json={
        "current_password": hall.password("petugas3"), "new_password": "sandi-baru-yang-kuat-1"})
    assert changed.status_code == 200, changed.json
    new = changed.json["token"]
    assert hall.client.get("/api/queue/me", headers=bearer(old)).status_code == 401
    assert hall.client.get("/api/queue/me", headers=bearer(new)).status_code == 200
    refused_within(lambda: workflow.get("/cases", headers=bearer(old)), "session_ended")
    assert workflow.get("/cases", headers=bearer(new)).status_code == 200


def test_an_admin_role_or_counter_change_asks_for_a_new_login(hall: Hall,
                                                              workflow: Any) -> None:
    token = hall.token("petugas2")
    me = hall.client.get("/api/queue/me", headers=bearer(token)).json["staff"]
    admin = hall.staff("admin")
    # A change that the token does not carry (the full name) leaves the session alone.
    renamed = hall.client.put(f"/api/queue/admin/staff/{me['id']}", headers=admin,
                              json={"full_name": "Petugas Dua Baru"})
    assert renamed.status_code == 200, renamed.json
    assert hall.client.get("/api/queue/me", headers=bearer(token)).status_code == 200
    moved = hall.client.put(f"/api/queue/admin/staff/{me['id']}", headers=admin,
                            json={"counter_id": hall.counter_id(3)})
    assert moved.status_code == 200, moved.json
    stale = hall.client.get("/api/queue/me", headers=bearer(token))
    assert stale.status_code == 401 and "masuk lagi" in stale.json["error"]["message"]
    refused_within(lambda: workflow.get("/cases", headers=bearer(token)), "session_ended")
    again = hall.client.post("/api/queue/auth/token", json={
        "username": "petugas2", "password": hall.password("petugas2")})
    assert again.status_code == 200 and again.json["staff"]["counter_id"] == hall.counter_id(3)


def test_a_redis_that_lost_its_keys_is_filled_again_by_the_queue(
        hall: Hall, workflow: Any, redis_client) -> None:
    first = hall.token("sekcam")
    second = hall.token("sekcam")
    staff_id = hall.client.get("/api/queue/me", headers=bearer(first)).json["staff"]["id"]
    assert hall.client.post("/api/queue/auth/logout", headers=bearer(first)).status_code == 204
    fresh = hall.token("sekcam")
    redis_client.delete(staff_sessions.key(staff_id))  # a Redis restart without its data
    time.sleep(staff_sessions.CACHE_SECONDS + 0.1)  # the queue's own cache runs out
    # The queue checks its table, refuses the old token and puts the key back ...
    assert hall.client.get("/api/queue/me", headers=bearer(second)).status_code == 401
    assert hall.client.get("/api/queue/me", headers=bearer(fresh)).status_code == 200
    stored = staff_sessions.decode(redis_client.get(staff_sessions.key(staff_id)))
    assert stored is not None and stored.active
    # ... so the workflow refuses it too; the current session goes on.
    refused_within(lambda: workflow.get("/cases", headers=bearer(second)), "session_ended")
    assert workflow.get("/cases", headers=bearer(fresh)).status_code == 200


def test_an_older_version_never_replaces_a_newer_one_in_redis(redis_client) -> None:
    newer = staff_sessions.SessionState(staff_sessions.new_version(), True)
    older = staff_sessions.SessionState(newer.version - 10, True)
    assert staff_sessions.publish(redis_client, 999, newer)
    staff_sessions.publish(redis_client, 999, older)
    assert staff_sessions.decode(redis_client.get(staff_sessions.key(999))) == newer
    off = staff_sessions.SessionState(staff_sessions.new_version(newer.version), False)
    staff_sessions.publish(redis_client, 999, off)
    assert redis_client.get(staff_sessions.key(999)) == f"{off.version}:off"
