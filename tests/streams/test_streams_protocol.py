"""The SSE protocol as the browsers see it (moved here with the stream from the queue app)."""

from __future__ import annotations

import json
from typing import Any

from loket.events import Publisher
from tests.queue.conftest import Hall
from tests.streams.stream_server import SseReader, StreamServer


def _stream(hall: Hall, server: StreamServer, query: str = "", **headers: str) -> SseReader:
    token = hall.demo["devices"]["display"]
    return SseReader(server.port, f"/api/queue/events?token={token}{query}", headers)


def _first(reader: SseReader, count: int) -> list[dict[str, Any]]:
    reader.wait_for(lambda e: len(reader.events) >= count)
    return reader.events[:count]


def test_sse_streams_events_with_ids_and_resumes(hall: Hall, streams: StreamServer) -> None:
    hall.issue("ektp")
    headers = hall.open_counter(2)
    ticket = hall.client.post(f"/api/queue/counters/{hall.counter_id(2)}/call-next",
                              headers=headers).json
    hall.client.post(f"/api/queue/tickets/{ticket['id']}/recall", headers=headers)
    Publisher.wait_all_idle()
    reader = _stream(hall, streams)
    assert reader.status == 200
    assert reader.headers["content-type"].startswith("text/event-stream")
    assert reader.headers["cache-control"] == "no-cache"
    assert reader.headers["x-accel-buffering"] == "no"
    events = _first(reader, 4)
    reader.close()
    assert [e["event"] for e in events] == ["ticket.issued", "counter.updated", "ticket.called",
                                           "ticket.recalled"]
    ids = [int(e["id"]) for e in events]
    assert ids == sorted(ids)
    called = events[2]["data"]
    assert called["id"] == ids[2] and called["type"] == "ticket.called"
    assert called["ticket"] == {"id": ticket["id"], "number": "C001", "service": "ektp",
                                "priority": None, "status": "called"}
    assert called["counter"] == {"id": hall.counter_id(2), "number": 2, "name": "Loket 2"}
    resumed = _stream(hall, streams, **{"Last-Event-ID": str(ids[1])})  # by header
    assert [int(e["id"]) for e in _first(resumed, 2)] == ids[2:4]
    resumed.close()
    by_query = _stream(hall, streams, f"&after={ids[2]}")
    assert [int(e["id"]) for e in _first(by_query, 1)] == ids[3:4]
    by_query.close()
    bad = _stream(hall, streams, "&after=abc")
    assert bad.status == 422 and json.loads(bad.body())["error"]["field"] == "after"
    bad.close()


def test_sse_delivers_a_live_call_and_filters_by_service(
        hall: Hall, streams: StreamServer) -> None:
    start = hall.client.get("/api/queue/board").json["last_event_id"]
    reader = _stream(hall, streams, f"&after={start}&services=kk")
    hall.issue("ektp")  # filtered out
    hall.issue("kk")
    first = reader.wait_for(lambda e: "ticket" in e["data"])
    assert first["data"]["ticket"]["number"] == "D001"
    reader.close()


def test_workflow_stream_can_start_from_now(hall: Hall, streams: StreamServer) -> None:
    reader = SseReader(streams.port, "/api/workflow/events?after=latest", hall.staff("kasi_pm"))
    assert reader.status == 200
    bad = SseReader(streams.port, "/api/workflow/events?after=soon", hall.staff("kasi_pm"))
    assert bad.status == 422
    for r in (reader, bad):
        r.close()


def test_every_stream_route_is_in_its_services_openapi_document(
        hall: Hall, streams: StreamServer) -> None:
    from queue_service.openapi import build_spec
    from stream_service.app import SETTINGS
    from workflow_service.openapi import spec

    queue_paths = {"/api/queue" + p for p in build_spec("")["paths"]} | set(build_spec()["paths"])
    workflow_paths = {"/api/workflow" + p for p in spec()["paths"]}
    routes = streams.call(lambda app: [r.resource.canonical for r in app.router.routes()
                                       if app[SETTINGS] is not None])
    for route in routes:
        if route.endswith("healthz"):
            continue
        assert route in queue_paths | workflow_paths, route


def test_live_stream_from_latest_skips_the_history(hall: Hall, streams: StreamServer) -> None:
    hall.issue("ektp")
    hall.issue("kk")
    Publisher.wait_all_idle()
    reader = _stream(hall, streams, "&after=latest")
    headers = hall.open_counter(2)
    called = hall.client.post(f"/api/queue/counters/{hall.counter_id(2)}/call-next",
                              headers=headers).json
    events = _first(reader, 2)
    reader.close()
    assert [e["event"] for e in events] == ["counter.updated", "ticket.called"]
    assert events[1]["data"]["ticket"]["id"] == called["id"]


def test_bad_resume_point_is_422_naming_the_field(hall: Hall, streams: StreamServer) -> None:
    bad = _stream(hall, streams, **{"Last-Event-ID": "soon"})
    assert bad.status == 422
    assert json.loads(bad.body())["error"]["field"] == "Last-Event-ID"
    bad.close()

