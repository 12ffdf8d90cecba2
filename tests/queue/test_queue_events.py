"""Board snapshot, privacy of events, and issuing while Redis is down."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from sqlalchemy import select

from tests.queue.conftest import VALID_NIK, Hall, mounted
from tests.support import free_port, wait_until

pytestmark = pytest.mark.integration


def call_one(hall: Hall, number: int = 2) -> tuple[dict[str, str], dict[str, Any]]:
    headers = hall.open_counter(number)
    resp = hall.client.post(f"/api/queue/counters/{hall.counter_id(number)}/call-next",
                            headers=headers)
    assert resp.status_code == 200
    return headers, resp.json


def test_board_snapshot(hall: Hall) -> None:
    hall.issue("ektp")
    hall.issue("kk")
    hall.issue("pengaduan")
    _, called = call_one(hall, 2)
    board = hall.client.get("/api/queue/board").json
    assert board["office"] == {"name": "Kecamatan Genteng", "timezone": "Asia/Jakarta",
                               "logo_url": None, "kabupaten": "Kabupaten Banyuwangi"}
    loket2 = next(c for c in board["counters"] if c["number"] == 2)
    assert loket2["status"] == "open" and loket2["services"] == ["ektp", "kk"]
    assert loket2["current"]["number"] == called["number"]
    assert loket2["current"]["status"] == "called" and loket2["current"]["recalls"] == 0
    call = board["last_calls"][0]
    assert call["number"] == "C001" and call["counter_name"] == "Loket 2"
    assert call["counter_number"] == 2 and call["recall"] is False
    assert call["event_id"] <= board["last_event_id"]
    waiting = {w["service"]: w["waiting"] for w in board["waiting"]}
    assert waiting == {"penerimaan-tamu": 0, "pengaduan": 1, "ektp": 0, "kk": 1,
                       "rekomendasi": 0}
    filtered = hall.client.get("/api/queue/board?services=pengaduan").json
    assert [c["number"] for c in filtered["counters"]] == [1, 4]
    assert filtered["last_calls"] == []
    assert [w["service"] for w in filtered["waiting"]] == ["pengaduan"]


# The SSE stream itself is served by the stream process: tests/streams/.


def test_events_never_carry_personal_data(hall: Hall, db) -> None:
    from loket.events import Event

    visitor = {"name": "Siti Aminah", "nik": VALID_NIK, "phone": "081234567890",
               "consent": True}
    hall.issue("penerimaan-tamu", visitor=visitor, details={"purpose": "rapat"})
    headers = hall.open_counter(1)
    tid = hall.client.post(f"/api/queue/counters/{hall.counter_id(1)}/call-next",
                           headers=headers).json["id"]
    for action, body in (("recall", None), ("start", None),
                         ("transfer", {"service": "pengaduan", "return_after": True}),
                         ("hold", None), ("resume", None), ("cancel", None)):
        resp = hall.client.post(f"/api/queue/tickets/{tid}/{action}", json=body,
                                headers=headers)
        assert resp.status_code == 200, (action, resp.json)
    with db.session() as session:
        payloads = [json.dumps(e.payload, ensure_ascii=False)
                    for e in session.scalars(select(Event))]
    assert len(payloads) >= 8
    for text in payloads:
        for secret in ("Siti", "Aminah", VALID_NIK, "0812", "0001", "rapat", "\u2022"):
            assert secret not in text


def test_redis_down_still_issues_and_calls_and_relay_publishes_later(
        settings, hall: Hall, db, redis_client) -> None:
    from loket.events import Event, publish_pending
    from queue_service.app import create_app

    down = settings.model_copy(update={"redis_url": f"redis://127.0.0.1:{free_port()}/0"})
    offline = Hall(app=mounted(create_app(down)), demo=hall.demo)
    started = time.monotonic()
    ticket = offline.issue("ektp")
    headers = offline.open_counter(2)
    called = offline.client.post(f"/api/queue/counters/{offline.counter_id(2)}/call-next",
                                 headers=headers)
    assert called.status_code == 200 and called.json["id"] == ticket["id"]
    assert time.monotonic() - started < 15
    with db.session() as session:
        pending = list(session.scalars(select(Event).where(Event.published_at.is_(None))))
    assert {e.type for e in pending} >= {"ticket.issued", "ticket.called"}
    pubsub = redis_client.pubsub(ignore_subscribe_messages=True)
    pubsub.subscribe("loket:events:queue")
    wait_until(lambda: pubsub.get_message(timeout=0.1) is None or True)
    # The relay, against the Redis that is up again.
    assert publish_pending(db, redis_client) == len(pending)
    messages = []

    def collect() -> bool:
        message = pubsub.get_message(timeout=0.2)
        if message:
            messages.append(json.loads(message["data"]))
        return len(messages) >= len(pending)

    wait_until(collect, timeout=5, message="relayed messages")
    pubsub.close()
    assert [m["type"] for m in messages][:1] == ["ticket.issued"]
    with db.session() as session:
        assert session.scalar(select(Event).where(Event.published_at.is_(None))) is None


def test_relay_task_publishes_pending_events(settings, hall: Hall, db) -> None:
    from loket.events import Event
    from loket.tasks import relay_events
    from queue_service.app import create_app

    down = settings.model_copy(update={"redis_url": f"redis://127.0.0.1:{free_port()}/0"})
    Hall(app=mounted(create_app(down)), demo=hall.demo).issue("kk")
    with hall.app.app_context():
        assert relay_events() >= 1
    with db.session() as session:
        assert session.scalar(select(Event).where(Event.published_at.is_(None))) is None
