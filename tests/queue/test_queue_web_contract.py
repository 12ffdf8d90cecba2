"""The shared web contract (``loket.web``) as the queue's clients meet it: one error shape for
bodies that are not JSON."""

from __future__ import annotations

import pytest

from tests.queue.conftest import Hall

pytestmark = pytest.mark.integration


def test_body_errors_name_the_body_and_change_nothing(hall: Hall, count_rows) -> None:
    before = count_rows()
    cases = ((b"{not json", 400, "invalid_json"), (b"", 400, "empty_body"))
    for data, status, code in cases:
        resp = hall.client.post("/api/queue/tickets", data=data, headers=hall.kiosk,
                                content_type="text/plain")
        error = resp.json["error"]
        assert (resp.status_code, error["code"], error["field"]) == (status, code, "body")
        assert "JSON" in error["message"] and error["request_id"]
    assert count_rows() == before


# Live streams (after=latest, a bad resume point) are the stream process's: tests/streams/.
