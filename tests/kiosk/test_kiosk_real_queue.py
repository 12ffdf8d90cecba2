"""The kiosk's HTTP client against the real queue service (served over real HTTP)."""

from __future__ import annotations

from typing import Any

import pytest

from kiosk.api import QueueClient
from kiosk.controllers import RegistrationFlow
from kiosk.hardware.printer import PrinterFault

pytestmark = pytest.mark.integration

NIK = "3510255508900001"


class UnpluggedPrinter:
    def print_ticket(self, ticket: dict[str, Any], office: str) -> None:
        raise PrinterFault("offline")


def test_kiosk_flow_against_the_real_queue_service(queue_api) -> None:
    client = QueueClient(queue_api.base_url, queue_api.token)
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
    [fault] = queue_api.staff.faults()
    assert (fault["type"], fault["fault"]) == ("kiosk.fault", "printer_offline")
    assert fault["detail"].startswith("Printer tidak terhubung.")
    assert [t["number"] for t in queue_api.staff.tickets()] == [ticket["number"]]
