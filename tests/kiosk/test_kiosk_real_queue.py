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


def test_kiosk_says_the_office_is_closed_before_anyone_starts(settings, queue_api) -> None:
    """Outside opening hours the catalog says so; no service can be chosen, nothing is issued."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    import time_machine

    from queue_service.app import create_app
    from tests.hall_server import RestartableServer
    from tests.queue.conftest import mounted

    strict = settings.model_copy(update={"enforce_opening_hours": True})
    server = RestartableServer(mounted(create_app(strict))).start()
    try:
        client = QueueClient(server.base_url, queue_api.token)
        flow = RegistrationFlow(client, printer=UnpluggedPrinter(),
                                notify_staff=client.notify_staff)
        night = dt.datetime(2026, 11, 30, 21, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
        with time_machine.travel(night, tick=False):
            assert flow.load_services().status == "loaded"
        assert flow.closed_message is not None
        assert flow.closed_message.startswith("Maaf, kantor sedang tutup")
        assert "Buka lagi Selasa, 1 Desember 07.30" in flow.closed_message
        assert not flow.choose_service("ektp")
        assert flow.errors == {"service": flow.closed_message}
        morning = dt.datetime(2026, 12, 1, 8, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
        with time_machine.travel(morning, tick=False):
            assert flow.load_services().status == "loaded"
        assert flow.closed_message is None and flow.choose_service("ektp")
        assert queue_api.staff.tickets() == []
    finally:
        server.stop()
