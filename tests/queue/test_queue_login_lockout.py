"""Repeated wrong passwords lock a username (at that address) for a while; other accounts are
not affected. (Per-address limits and parallel guesses: test_queue_login_limits.py.)"""

from __future__ import annotations

import pytest

from queue_service.usecases.login_guard import failure_key
from tests.queue.conftest import Hall

ADDRESS = "127.0.0.1"  # the test client's address

pytestmark = pytest.mark.integration


def login(hall: Hall, username: str, password: str):
    return hall.client.post("/api/queue/auth/token",
                            json={"username": username, "password": password})


def password_of(hall: Hall, username: str) -> str:
    return next(s["password"] for s in hall.demo["staff"] if s["username"] == username)


def test_five_wrong_passwords_lock_the_username_even_for_the_right_one(
        hall: Hall, redis_client) -> None:
    for _ in range(5):
        wrong = login(hall, "petugas2", "salah-sandi")
        assert wrong.status_code == 401
        assert wrong.json["error"]["code"] == "invalid_credentials"
    locked = login(hall, "petugas2", password_of(hall, "petugas2"))
    assert locked.status_code == 429, locked.json
    error = locked.json["error"]
    assert error["code"] == "too_many_attempts" and error["field"] == "username"
    assert "coba lagi dalam 15 menit" in error["message"]
    # Another account is not affected; the username is matched without regard to case.
    assert login(hall, "petugas3", password_of(hall, "petugas3")).status_code == 200
    assert login(hall, "PETUGAS2", password_of(hall, "petugas2")).status_code == 429
    # When the window has passed (Redis expires the count), the owner gets in again.
    redis_client.delete(failure_key("petugas2", ADDRESS))
    assert login(hall, "petugas2", password_of(hall, "petugas2")).status_code == 200


def test_a_successful_login_clears_earlier_mistakes(hall: Hall, redis_client) -> None:
    right = password_of(hall, "petugas4")
    for _ in range(4):
        assert login(hall, "petugas4", "keliru").status_code == 401
    assert login(hall, "petugas4", right).status_code == 200
    for _ in range(4):
        assert login(hall, "petugas4", "keliru").status_code == 401
    assert login(hall, "petugas4", right).status_code == 200
    assert redis_client.ttl(failure_key("petugas4", ADDRESS)) == -2  # gone


def test_unknown_usernames_are_counted_too(hall: Hall, redis_client) -> None:
    for _ in range(5):
        assert login(hall, "tidakada", "apa-saja").status_code == 401
    assert login(hall, "tidakada", "apa-saja").status_code == 429
    assert 0 < redis_client.ttl(failure_key("tidakada", ADDRESS)) <= 15 * 60


def test_logins_still_work_when_redis_is_down(settings, hall: Hall) -> None:
    from queue_service.app import create_app
    from tests.queue.conftest import mounted
    from tests.support import free_port

    down = settings.model_copy(update={"redis_url": f"redis://127.0.0.1:{free_port()}/0"})
    offline = Hall(app=mounted(create_app(down)), demo=hall.demo)
    assert login(offline, "petugas1", "salah").status_code == 401
    assert login(offline, "petugas1", password_of(hall, "petugas1")).status_code == 200
