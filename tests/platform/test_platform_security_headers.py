"""Security headers on every response (issue #17, "Transport and headers").

A list of URLs of every app of the hall (the root, the queue, the workflow, the display, the
console) — pages, static files, JSON, errors, refusals — each asked twice: of the WSGI hall
itself (so the Flask apps set the headers, not only the process in front) and through the
stream process in front of it, as ``loket run`` serves it. The stream process's own responses
(live streams, its refusals, its health check) are checked on the wire.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from loket.headers import CONTENT_SECURITY_POLICY
from tests.streams.stream_server import FrontDoor, SseReader

pytestmark = pytest.mark.integration

# (method, path, expected status); {code} is a real ticket's tracking code.
REQUESTS: list[tuple[str, str, int]] = [
    ("GET", "/", 200),
    ("GET", "/healthz", 200),
    ("GET", "/no-such-page", 404),
    ("GET", "/display/", 200),
    ("GET", "/display/static/board.js", 200),
    ("GET", "/display/static/board.css", 200),
    ("GET", "/display/?services=%3Cscript%3E", 422),
    ("GET", "/display/announce.wav?call=999999", 404),
    ("GET", "/console/", 200),
    ("GET", "/console/loket", 200),
    ("GET", "/console/atur-kantor", 200),
    ("GET", "/console/static/api.js", 200),
    ("GET", "/api/queue/services", 200),
    ("GET", "/api/queue/openapi.json", 200),
    ("GET", "/api/queue/docs", 200),
    ("GET", "/api/queue/tickets/{code}", 200),
    ("GET", "/api/queue/static/phone.js", 200),
    ("GET", "/api/queue/tickets/ZZZZZZZZ", 404),
    ("GET", "/api/queue/counters", 401),
    ("GET", "/api/queue/healthz", 200),
    ("POST", "/api/queue/tickets", 401),
    ("POST", "/api/queue/auth/token", 400),
    ("GET", "/api/workflow/pengaduan", 200),
    ("GET", "/api/workflow/static/pengaduan.js", 200),
    ("GET", "/api/workflow/static/track.js", 200),
    ("GET", "/api/workflow/t/ZZZZZZZZ", 200),  # the page says the code is unknown
    ("GET", "/api/workflow/sops", 200),
    ("GET", "/api/workflow/docs", 200),
    ("GET", "/api/workflow/cases", 401),
    ("GET", "/api/workflow/readyz", 200),
]


def assert_security_headers(headers: Any, what: str) -> None:
    csp = headers.get("content-security-policy")
    assert csp == CONTENT_SECURITY_POLICY, what
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["script-src"] == "'self'", what  # no inline script, no eval
    assert directives["frame-ancestors"] == "'none'", what
    assert directives["object-src"] == "'none'", what
    assert "unsafe" not in directives["script-src"] and "unsafe" not in directives["default-src"]
    assert headers.get("x-content-type-options") == "nosniff", what
    assert headers.get("referrer-policy") in ("no-referrer", "same-origin"), what
    assert headers.get("x-frame-options") == "DENY", what


@pytest.fixture
def hall(settings, db, redis_client) -> Iterator[dict[str, Any]]:
    from loket.wsgi import create_hall_app
    from queue_service.seed import seed_demo

    demo = seed_demo(settings)
    wsgi = create_hall_app(settings)
    server = FrontDoor(settings, wsgi).start()
    kiosk = {"Authorization": f"Bearer {demo['devices']['kiosk']}"}
    ticket = httpx.post(server.base_url + "/api/queue/tickets", headers=kiosk,
                        json={"service": "penerimaan-tamu"}, timeout=10)
    assert ticket.status_code == 201, ticket.text
    try:
        yield {"wsgi": wsgi, "front": server, "demo": demo, "ticket": ticket.json()}
    finally:
        server.stop()


def _ask(client: httpx.Client, method: str, path: str, code: str) -> httpx.Response:
    url = path.format(code=code)
    headers = {"Accept": "text/html"} if "{code}" in path else {}
    if method == "POST":
        return client.post(url, content=b"{not json", headers=headers)
    return client.get(url, headers=headers)


def test_every_response_of_every_app_carries_the_headers(hall):
    code = hall["ticket"]["tracking_code"]
    direct = httpx.Client(transport=httpx.WSGITransport(app=hall["wsgi"]),
                          base_url="http://hall", timeout=30)
    front = httpx.Client(base_url=hall["front"].base_url, timeout=30)
    with direct, front:
        for method, path, status in REQUESTS:
            for name, client in (("wsgi", direct), ("front door", front)):
                response = _ask(client, method, path, code)
                what = f"{name}: {method} {path} -> {response.status_code}"
                assert response.status_code == status, what
                assert_security_headers(response.headers, what)
                # The front door keeps the app's headers and adds none twice.
                assert len(response.headers.get_list("content-security-policy")) == 1, what


def test_the_stream_process_own_responses_carry_the_headers(hall):
    front: FrontDoor = hall["front"]
    port = int(front.base_url.rsplit(":", 1)[1])
    token = hall["demo"]["devices"]["display"]
    code = hall["ticket"]["tracking_code"]
    for path, status in ((f"/api/queue/events?token={token}", 200),
                         (f"/api/queue/tickets/{code}/events", 200),
                         ("/api/queue/events", 401),
                         ("/api/workflow/events", 401),
                         ("/api/queue/events?after=abc&token=" + token, 422)):
        reader = SseReader(port, path)
        try:
            assert reader.status == status, path
            assert_security_headers(reader.headers, f"stream {path}")
        finally:
            reader.close()
    health = httpx.get(front.base_url + "/api/streams/healthz", timeout=10)
    assert health.status_code == 200
    assert_security_headers(health.headers, "stream healthz")
