"""The shared web contract (``loket.web``) as the queue's clients meet it: one error shape for
bodies that are not JSON, and live streams that can start from "now"."""

from __future__ import annotations

import pytest

from tests.queue.conftest import Hall
from tests.queue.test_queue_events import call_one, read_sse

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


def test_live_stream_from_latest_skips_the_history(hall: Hall) -> None:
    hall.issue("ektp")
    hall.issue("kk")
    resp = hall.client.get("/api/queue/events?after=latest", buffered=False)
    assert resp.status_code == 200
    next(iter(resp.response))  # the stream is open (retry frame) before anything new happens
    _, called = call_one(hall, 2)
    events = read_sse(resp, 2)
    resp.close()
    assert [e["event"] for e in events] == ["counter.updated", "ticket.called"]
    assert events[1]["data"]["ticket"]["id"] == called["id"]


def test_bad_resume_point_is_422_naming_the_field(hall: Hall) -> None:
    resp = hall.client.get("/api/queue/events", headers={"Last-Event-ID": "soon"})
    assert resp.status_code == 422
    assert resp.json["error"]["field"] == "Last-Event-ID"
    assert "latest" in resp.json["error"]["message"]
