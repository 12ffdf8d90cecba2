"""Under `loket run` the web process sits behind the stream front door: a login's client
address is still the visitor's machine, so guesses from one console do not lock another."""

from __future__ import annotations

import json
import subprocess
import sys

import httpx
import pytest

from tests.e2e.test_e2e_run import (
    _status,
    hall,  # noqa: F401 - the `loket run` fixture
)
from tests.support import wait_until

pytestmark = pytest.mark.e2e


def test_lockout_counts_the_console_address_not_the_front_door(hall) -> None:  # noqa: F811
    wait_until(lambda: _status(hall.base + "/api/queue/readyz") == 200, timeout=90,
               message="the hall to be ready")
    demo = json.loads(subprocess.run(
        [sys.executable, "-m", "loket", "seed-demo", "--json"], cwd=hall.repo, env=hall.env,
        check=True, capture_output=True).stdout)
    password = next(s["password"] for s in demo["staff"] if s["username"] == "camat")
    url = hall.base + "/api/queue/auth/token"
    # Another machine on the LAN (a second loopback address stands in for it).
    other = httpx.Client(transport=httpx.HTTPTransport(local_address="127.0.0.2"), timeout=10)
    with other:
        codes = [other.post(url, json={"username": "camat", "password": "tebakan"}).status_code
                 for _ in range(6)]
        assert codes == [401] * 5 + [429], codes
    # The Camat at her own console is not locked out.
    mine = httpx.post(url, json={"username": "camat", "password": password}, timeout=10)
    assert mine.status_code == 200, mine.text
