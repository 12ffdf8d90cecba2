"""Login limits: lockout per username *and* address, a rate limit per address, no extra guesses
from parallel requests, one argon2 check of equal parameters for unknown usernames, OWASP's
argon2 parameters with rehash on login, and a bounded number of hashes at once."""

from __future__ import annotations

import threading
from typing import Any

import argon2
import pytest
from sqlalchemy import select

from queue_service import security
from queue_service.models import Staff
from queue_service.usecases.login_guard import LOGIN_MAX_FAILURES
from tests.queue.conftest import Hall, mounted

pytestmark = pytest.mark.integration

A = "10.0.0.11"
B = "10.0.0.22"


def login(client: Any, username: str, password: str, address: str = A,
          headers: dict[str, str] | None = None) -> Any:
    return client.post("/api/queue/auth/token", json={"username": username, "password": password},
                       environ_base={"REMOTE_ADDR": address}, headers=headers or {})


def hall_with(settings: Any, hall: Hall, **overrides: Any) -> Hall:
    from queue_service.app import create_app

    return Hall(app=mounted(create_app(settings.model_copy(update=overrides))), demo=hall.demo)


def test_six_wrong_passwords_from_one_address_do_not_lock_the_user_at_another(
        hall: Hall) -> None:
    client = hall.client
    for _ in range(LOGIN_MAX_FAILURES):
        assert login(client, "camat", "tebakan", A).status_code == 401
    sixth = login(client, "camat", "tebakan", A)
    assert sixth.status_code == 429
    assert sixth.json["error"]["code"] == "too_many_attempts"
    assert sixth.json["error"]["field"] == "username"
    assert 0 < int(sixth.headers["Retry-After"]) <= 15 * 60
    # Even the right password is refused from A for the rest of the window ...
    assert login(client, "camat", hall.password("camat"), A).status_code == 429
    # ... while the Camat at her own console (B) gets in.
    assert login(client, "camat", hall.password("camat"), B).status_code == 200


def test_forwarded_addresses_count_only_behind_a_trusted_proxy(settings, hall: Hall) -> None:
    direct = hall.client
    # Without trusted proxies, a made-up X-Forwarded-For does not give a fresh address.
    for n in range(LOGIN_MAX_FAILURES):
        spoof = {"X-Forwarded-For": f"192.0.2.{n}"}
        assert login(direct, "sekcam", "x", A, spoof).status_code == 401
    assert login(direct, "sekcam", "x", A, {"X-Forwarded-For": "192.0.2.99"}).status_code == 429
    # Behind one trusted proxy (nginx), the address it saw is the client's.
    proxied = hall_with(settings, hall, trusted_proxies=1).client
    for _ in range(LOGIN_MAX_FAILURES):
        assert login(proxied, "kasi_pm", "x", A, {"X-Forwarded-For": "198.51.100.7"}
                     ).status_code == 401
    assert login(proxied, "kasi_pm", "x", A, {"X-Forwarded-For": "198.51.100.7"}
                 ).status_code == 429
    assert login(proxied, "kasi_pm", hall.password("kasi_pm"), A,
                 {"X-Forwarded-For": "198.51.100.8"}).status_code == 200


def test_the_address_rate_limit_answers_429_with_retry_after(settings, hall: Hall) -> None:
    client = hall_with(settings, hall, login_rate_per_minute=3).client
    assert login(client, "petugas1", hall.password("petugas1"), A).status_code == 200
    assert login(client, "petugas2", "salah", A).status_code == 401
    assert login(client, "tidakada", "salah", A).status_code == 401
    limited = login(client, "petugas3", hall.password("petugas3"), A)
    assert limited.status_code == 429
    error = limited.json["error"]
    assert error["code"] == "rate_limited" and "dari alamat ini" in error["message"]
    assert 0 < int(limited.headers["Retry-After"]) <= 60
    # Other addresses are not affected.
    assert login(client, "petugas3", hall.password("petugas3"), B).status_code == 200


def test_parallel_wrong_logins_get_no_more_than_the_allowed_guesses(hall: Hall,
                                                                     monkeypatch) -> None:
    checks: list[int] = []
    real_verify = argon2.PasswordHasher.verify

    def counting_verify(self: Any, hash: Any, password: Any) -> Any:  # noqa: A002
        checks.append(1)
        return real_verify(self, hash, password)

    monkeypatch.setattr(argon2.PasswordHasher, "verify", counting_verify)
    attempts = 24
    barrier = threading.Barrier(attempts)
    statuses: list[int] = []

    def guess(n: int) -> None:
        client = hall.client
        barrier.wait()
        statuses.append(login(client, "petugas4", f"tebakan-{n}", A).status_code)

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(statuses) == attempts
    assert statuses.count(401) == LOGIN_MAX_FAILURES, statuses
    assert statuses.count(429) == attempts - LOGIN_MAX_FAILURES
    assert len(checks) == LOGIN_MAX_FAILURES  # argon2 ran only for the allowed guesses


def test_an_unknown_username_runs_the_same_argon2_check(hall: Hall, db, monkeypatch) -> None:
    with db.read_session() as session:
        real_hash = session.scalar(select(Staff.password_hash).where(Staff.username == "camat"))
    login(hall.client, "tidakada", "apa-saja", B)  # the process makes its dummy hash once
    calls: list[tuple[str, Any]] = []
    real_verify, real_hash_fn = argon2.PasswordHasher.verify, argon2.PasswordHasher.hash

    def spy_verify(self: Any, hash: Any, password: Any) -> Any:  # noqa: A002
        calls.append(("verify", argon2.extract_parameters(hash)))
        return real_verify(self, hash, password)

    def spy_hash(self: Any, password: Any, **kwargs: Any) -> Any:
        calls.append(("hash", None))
        return real_hash_fn(self, password, **kwargs)

    monkeypatch.setattr(argon2.PasswordHasher, "verify", spy_verify)
    monkeypatch.setattr(argon2.PasswordHasher, "hash", spy_hash)
    unknown = login(hall.client, "tidakada", "apa-saja", A)
    unknown_calls, calls[:] = list(calls), []
    known = login(hall.client, "camat", "bukan-sandinya", A)
    known_calls = list(calls)
    assert unknown.status_code == known.status_code == 401
    assert unknown.json["error"] == {**known.json["error"],
                                     "request_id": unknown.json["error"]["request_id"]}
    # One verify each, no hashing, and the dummy hash has the real hashes' parameters.
    assert [c[0] for c in unknown_calls] == [c[0] for c in known_calls] == ["verify"]
    assert unknown_calls[0][1] == known_calls[0][1] == argon2.extract_parameters(real_hash)


def test_new_hashes_use_owasp_parameters_and_old_ones_are_rehashed_at_login(
        settings, hall: Hall, db) -> None:
    production = settings.model_copy(update={"env": "production"})
    params = argon2.extract_parameters(security.password_hasher(production).hash("x"))
    assert (params.memory_cost, params.time_cost, params.parallelism) == (19456, 2, 1)
    assert params.type is argon2.Type.ID
    # An account stored with yesterday's parameters (64 MiB, t=3) gets today's at its login.
    old = argon2.PasswordHasher(time_cost=3, memory_cost=64 * 1024, parallelism=4)
    with db.session() as session:
        staff = session.scalar(select(Staff).where(Staff.username == "kasi_kesra"))
        staff.password_hash = old.hash(hall.password("kasi_kesra"))
    office = hall_with(settings, hall, env="development").client
    assert login(office, "kasi_kesra", hall.password("kasi_kesra")).status_code == 200
    with db.read_session() as session:
        stored = session.scalar(select(Staff.password_hash)
                                .where(Staff.username == "kasi_kesra"))
    params = argon2.extract_parameters(stored)
    assert (params.memory_cost, params.time_cost, params.parallelism) == (19456, 2, 1)
    assert login(office, "kasi_kesra", hall.password("kasi_kesra")).status_code == 200


def test_hashes_beyond_the_slots_wait_then_get_503(settings, hall: Hall,
                                                   monkeypatch) -> None:
    one_slot = settings.model_copy(update={"login_hash_slots": 1})
    client = hall_with(settings, hall, login_hash_slots=1).client
    monkeypatch.setattr(security, "HASH_WAIT_SECONDS", 0.3)
    with security.hash_slot(one_slot):  # another login is hashing
        busy = login(client, "petugas1", hall.password("petugas1"))
    assert busy.status_code == 503
    assert busy.json["error"]["code"] == "server_busy"
    assert "sibuk" in busy.json["error"]["message"]
    assert int(busy.headers["Retry-After"]) > 0
    # The slot is free again: the same login goes through.
    assert login(client, "petugas1", hall.password("petugas1")).status_code == 200
