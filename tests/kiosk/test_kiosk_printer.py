"""ESC/POS printing against a TCP listener standing in for a network printer."""

from __future__ import annotations

from typing import Any

import pytest

from kiosk.hardware.printer import EscposPrinter, NullPrinter, PrinterFault, make_printer
from kiosk.settings import KioskSettings

pytestmark = pytest.mark.integration

TICKET: dict[str, Any] = {
    "id": 12, "number": "C007", "service": "ektp", "service_name": "Permohonan e-KTP",
    "tracking_code": "7KQ2M9XP", "people_ahead": 2, "estimated_wait_minutes": 12,
    "issued_at": "2026-11-28T01:02:03+00:00", "nik_masked": "3510••••••••0001",
    "office": "Kecamatan Genteng",
    "status_url": "http://127.0.0.1:8000/api/queue/tickets/7KQ2M9XP",
}


def test_network_printer_receives_number_service_and_qr_payload(printer_listener) -> None:
    printer = EscposPrinter.network("127.0.0.1", printer_listener.port, timeout=3)
    printer.print_ticket(TICKET, "Kecamatan Genteng")
    jobs = printer_listener.wait_for_jobs(1)
    assert len(jobs) == 1
    data = jobs[0]
    assert b"C007" in data
    assert b"Permohonan e-KTP" in data
    assert b"Kecamatan Genteng" in data
    # native QR: GS ( k store-data command carrying the status URL
    assert b"\x1d(k" in data and TICKET["status_url"].encode() in data
    assert b"08:02" in data  # 01:02 UTC shown in Asia/Jakarta
    assert b"3510********0001" in data and b"5508900001" not in data
    assert b"2 orang di depan Anda" in data


def test_closed_printer_raises_offline_fault(printer_listener) -> None:
    port = printer_listener.port
    printer_listener.close()
    printer = EscposPrinter.network("127.0.0.1", port, timeout=2)
    with pytest.raises(PrinterFault) as caught:
        printer.print_ticket(TICKET, "Kecamatan Genteng")
    assert caught.value.kind == "offline"
    assert caught.value.message.startswith("Printer tidak terhubung. Tiket Anda tetap berlaku")


def test_paper_out_is_reported_as_its_own_fault() -> None:
    from escpos.printer import Dummy

    class EmptyPaper(Dummy):
        def paper_status(self) -> int:
            return 0

    with pytest.raises(PrinterFault) as caught:
        EscposPrinter(EmptyPaper, check_paper=True).print_ticket(TICKET, "Kecamatan Genteng")
    assert caught.value.kind == "paper_out"
    assert "Kertas printer habis" in caught.value.message


def test_file_printer_and_settings_choice(tmp_path) -> None:
    target = tmp_path / "out" / "kiosk-printer.bin"
    printer = make_printer(KioskSettings(printer="file", printer_file=target))
    printer.print_ticket(TICKET, "Kecamatan Genteng")
    assert b"C007" in target.read_bytes()
    assert isinstance(make_printer(KioskSettings(printer="none")), NullPrinter)
