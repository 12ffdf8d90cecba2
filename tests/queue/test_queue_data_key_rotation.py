"""Rotating the data key (issue #17): data written under the old key is readable with only the
new key after `loket rotate-data-key`, the NIK blind index follows, and a second run changes
nothing."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet
from pydantic import SecretStr

from tests.queue.conftest import VALID_NIK, Hall

pytestmark = pytest.mark.integration

PHONE = "081234567890"


def _loket(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "loket", *args], capture_output=True,
                          text=True, timeout=120, env=env)


def _rows(db):
    from queue_service.models import Visitor
    from workflow_service.models import Case

    with db.read_session() as session:
        visitor = session.query(Visitor).one()
        case = session.query(Case).one()
        return visitor, case


def test_rotation_makes_old_data_readable_with_only_the_new_key(hall: Hall, db,
                                                                settings) -> None:
    from loket.crypto import DataCipher
    from queue_service.app import create_app
    from tests.queue.conftest import mounted
    from tests.workflow.conftest import token_for
    from workflow_service.app import create_app as create_workflow

    old_key = settings.secret("data_key")
    ticket = hall.issue("ektp", visitor={"name": "Siti Aminah", "nik": VALID_NIK,
                                         "phone": PHONE, "consent": True})
    created = create_workflow(settings).test_client().post(
        "/cases", json={"sop": "ektp", "channel": "langsung", "applicant": {
            "name": "Budi Santoso", "nik": VALID_NIK}},
        headers={"Authorization": f"Bearer {token_for('petugas')}"})
    assert created.status_code == 201
    visitor, case = _rows(db)
    new_key = Fernet.generate_key().decode()
    only_new = DataCipher(new_key)
    assert only_new.decrypt(visitor.nik_enc) is None  # not readable before the rotation

    env = {**os.environ, "LOKET_DATA_KEY": new_key, "LOKET_DATA_KEYS_OLD": old_key}
    first = _loket(env, "rotate-data-key")
    assert first.returncode == 0, first.stderr
    assert "4 re-encrypted, 1 NIK indexes recomputed, 0 unreadable" in first.stdout
    visitor, case = _rows(db)
    assert only_new.decrypt(visitor.nik_enc) == VALID_NIK
    assert only_new.decrypt(visitor.phone_enc) == PHONE
    assert only_new.decrypt(visitor.name_enc) == "Siti Aminah"
    assert visitor.nik_index == only_new.nik_index(VALID_NIK)
    assert only_new.decrypt_json(case.applicant_enc)["nik"] == VALID_NIK
    assert DataCipher(old_key).decrypt(visitor.nik_enc) is None  # the old key opens nothing

    second = _loket(env, "rotate-data-key")
    assert second.returncode == 0 and "0 re-encrypted, 0 NIK indexes" in second.stdout

    # The hall running on the new key alone serves the visitor in full at the counter.
    rotated = settings.model_copy(update={"data_key": SecretStr(new_key),
                                          "data_keys_old": None})
    after = Hall(app=mounted(create_app(rotated)), demo=hall.demo)
    officer = after.open_counter(2)
    after.client.post(f"/api/queue/counters/{after.counter_id(2)}/call-next", headers=officer)
    shown = after.client.get(f"/api/queue/tickets/id/{ticket['id']}", headers=officer)
    assert shown.json["visitor"]["nik"] == VALID_NIK


def test_a_value_no_key_opens_is_reported_and_fails_the_command(hall: Hall, db) -> None:
    hall.issue("ektp", visitor={"name": "Siti Aminah", "nik": VALID_NIK, "consent": True})
    env = {**os.environ, "LOKET_DATA_KEY": Fernet.generate_key().decode()}
    result = _loket(env, "rotate-data-key")
    assert result.returncode == 1
    assert "2 unreadable" in result.stdout and "LOKET_DATA_KEYS_OLD" in result.stderr


def test_a_bad_old_key_is_one_line_naming_the_variable() -> None:
    env = {**os.environ, "LOKET_DATA_KEYS_OLD": "bukan-kunci"}
    result = _loket(env, "check-config")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1].count("LOKET_DATA_KEYS_OLD") == 1
    assert "bukan-kunci" not in result.stderr
