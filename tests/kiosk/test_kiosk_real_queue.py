"""The kiosk's HTTP client against the real queue service (served over real HTTP)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest

from kiosk.api import QueueClient
from kiosk.controllers import RegistrationFlow
from kiosk.hardware.printer import PrinterFault

pytestmark = pytest.mark.integration

NIK = "3510255508900001"


@pytest.fixture
def real_queue(settings, db) -> Iterator[tuple[str, str]]:
    from werkzeug.serving import make_server

    from queue_service import create_app
    from queue_service.seed import seed_demo
    from tests.queue.conftest import mounted

    demo = seed_demo(settings)
    server = make_server("127.0.0.1", 0, mounted(create_app(settings)), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", demo["devices"]["kiosk"]
    finally:
        server.shutdown()
        thread.join(5)


class UnpluggedPrinter:
    def print_ticket(self, ticket: dict[str, Any], office: str) -> None:
        raise PrinterFault("offline")


def test_kiosk_flow_against_the_real_queue_service(real_queue) -> None:
    base_url, token = real_queue
    client = QueueClient(base_url, token)
    flow = RegistrationFlow(client, printer=UnpluggedPrinter(), notify_staff=client.notify_staff)
    assert flow.load_services().status == "loaded"
    assert {s["code"] for s in flow.services} >= {
        "penerimaan-tamu", "pengaduan", "ektp", "kk", "rekomendasi"}
    assert flow.choose_service("penerimaan-tamu")
    flow.visitor.name, flow.visitor.nik, flow.visitor.consent = "Budi Santoso", NIK, True
    flow.details.update(purpose="Undangan", meet="Camat", institution="", group_size=3)
    first = flow.submit()
    assert first.status == "issued", first.errors
    ticket = first.ticket
    assert ticket is not None and ticket["number"].startswith("A")
    assert ticket["nik_masked"] == "3510\u2022\u2022\u2022\u2022\u2022\u2022\u2022\u20220001"
    # a retry with the same key (as after ServerUnreachable) returns the same ticket
    again = client.issue_ticket(flow.build_payload(), flow.idempotency_key or "")
    assert again["id"] == ticket["id"] and again["number"] == ticket["number"]
    flow.print_ticket()
    assert flow.print_state == "fault" and flow.staff_notified
