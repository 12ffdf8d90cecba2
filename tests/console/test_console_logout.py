"""The console's "Keluar" ends the session on the server: the token it held is refused."""

from __future__ import annotations

import time

import httpx
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.ui


def test_keluar_ends_the_session_on_the_server(hall, login) -> None:
    page = login("kasi_pem")
    token = page.evaluate("sessionStorage.getItem('loket.token')")
    headers = {"Authorization": f"Bearer {token}"}
    assert httpx.get(f"{hall.base}/api/workflow/cases", headers=headers).status_code == 200
    page.click("#logout")
    expect(page.locator("#login")).to_be_visible()
    assert page.evaluate("sessionStorage.getItem('loket.token')") is None
    deadline = time.monotonic() + 5.0
    while True:  # the queue refuses it at once, the workflow within 5 s
        queue = httpx.get(f"{hall.base}/api/queue/me", headers=headers)
        workflow = httpx.get(f"{hall.base}/api/workflow/cases", headers=headers)
        if queue.status_code == workflow.status_code == 401:
            break
        assert time.monotonic() < deadline, (queue.status_code, workflow.status_code)
        time.sleep(0.2)
    assert workflow.json()["error"]["code"] == "session_ended"
    assert page.js_errors == []
