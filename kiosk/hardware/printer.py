"""Ticket printer facade: ESC/POS (network, USB, file) or none."""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from kiosk.i18n import t

logger = logging.getLogger(__name__)
OFFICE_TZ = ZoneInfo("Asia/Jakarta")
FAULT_MESSAGES = {"offline": "printer_offline", "paper_out": "printer_paper_out",
                  "other": "printer_error"}
# Fault codes the queue service knows (queue_service.validation.FAULT_CODES).
FAULT_CODES = {"offline": "printer_offline", "paper_out": "paper_out", "other": "printer_error"}


class PrinterFault(Exception):
    """The ticket could not be printed; ``message_id`` names the visitor-facing text."""

    def __init__(self, kind: str, detail: str = ""):
        self.kind = kind if kind in FAULT_MESSAGES else "other"
        self.message_id = FAULT_MESSAGES[self.kind]
        super().__init__(detail or t(self.message_id))

    @property
    def message(self) -> str:
        return t(self.message_id)

    @property
    def code(self) -> str:
        return FAULT_CODES[self.kind]


class TicketPrinter(Protocol):
    def print_ticket(self, ticket: dict[str, Any], office: str) -> None: ...


def ticket_time(ticket: dict[str, Any]) -> str:
    """Issue time as HH:MM in the office's zone (Asia/Jakarta)."""
    raw = ticket.get("issued_at")
    try:
        moment = datetime.fromisoformat(str(raw)) if raw else datetime.now(OFFICE_TZ)
    except ValueError:
        moment = datetime.now(OFFICE_TZ)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo("UTC"))
    return moment.astimezone(OFFICE_TZ).strftime("%d-%m-%Y %H:%M")


class NullPrinter:
    """No printer attached: the ticket is shown on screen only."""

    def print_ticket(self, ticket: dict[str, Any], office: str) -> None:
        logger.info("no printer configured; ticket %s shown on screen only", ticket.get("number"))


class EscposPrinter:
    """Prints through python-escpos; ``device_factory`` returns a fresh escpos printer."""

    def __init__(self, device_factory: Any, check_paper: bool = False):
        self.device_factory = device_factory
        self.check_paper = check_paper

    @classmethod
    def network(cls, host: str, port: int = 9100, timeout: float = 5.0) -> EscposPrinter:
        return cls(lambda: _network_device(host, port, timeout))

    @classmethod
    def usb(cls, vendor_id: int = 0x04B8, product_id: int = 0x0202) -> EscposPrinter:
        from escpos.printer import Usb

        return cls(lambda: Usb(vendor_id, product_id), check_paper=True)

    @classmethod
    def file(cls, path: Path) -> EscposPrinter:
        from escpos.printer import File

        def factory() -> Any:
            path.parent.mkdir(parents=True, exist_ok=True)
            return File(str(path))

        return cls(factory)

    def print_ticket(self, ticket: dict[str, Any], office: str) -> None:
        from escpos.exceptions import DeviceNotFoundError
        from escpos.exceptions import Error as EscposError

        try:
            device = self.device_factory()
        except (DeviceNotFoundError, OSError) as exc:
            raise PrinterFault("offline", str(exc)) from exc
        except Exception as exc:  # a missing USB backend etc. must not crash the kiosk
            raise PrinterFault("other", str(exc)) from exc
        try:
            device.open()
            if self.check_paper and device.paper_status() == 0:
                raise PrinterFault("paper_out")
            self._render(device, ticket, office)
        except PrinterFault:
            raise
        except (DeviceNotFoundError, OSError) as exc:
            raise PrinterFault("offline", str(exc)) from exc
        except (EscposError, ValueError) as exc:
            raise PrinterFault("other", str(exc)) from exc
        finally:
            try:
                device.close()
            except Exception:  # noqa: BLE001 - closing a dead device is best effort
                logger.debug("printer close failed", exc_info=True)

    @staticmethod
    def _render(device: Any, ticket: dict[str, Any], office: str) -> None:
        device.set(align="center", bold=True, double_height=True, double_width=True)
        device.textln(office)
        device.set(align="center", normal_textsize=True)
        device.textln(str(ticket.get("service_name") or ticket.get("service", "")))
        device.ln()
        device.set(align="center", bold=True, custom_size=True, width=6, height=6)
        device.textln(str(ticket["number"]))
        device.set(align="center", normal_textsize=True)
        device.ln()
        device.textln(ticket_time(ticket) + " WIB")
        device.textln(t("ticket_people_ahead", n=ticket.get("people_ahead", 0)))
        if ticket.get("estimated_wait_minutes") is not None:
            device.textln(t("ticket_wait", n=ticket["estimated_wait_minutes"]))
        if ticket.get("nik_masked"):
            # Only the masked form ever reaches paper; bullets are not in printer code pages.
            device.textln("NIK " + str(ticket["nik_masked"]).replace("\u2022", "*"))
        if ticket.get("status_url"):
            device.qr(str(ticket["status_url"]), native=True, size=6, center=False)
            device.textln(t("ticket_qr_hint"))
        device.cut()


def _network_device(host: str, port: int, timeout: float) -> Any:
    import socket

    from escpos.exceptions import DeviceNotFoundError
    from escpos.printer import Network

    class ClosingNetwork(Network):
        # escpos' Network.open drops (without closing) the socket when connect fails.
        def open(self, raise_not_found: bool = True) -> None:
            self.close()  # a no-op unless a previous connection is still open
            try:
                self.device = socket.create_connection((self.host, self.port), self.timeout)
            except OSError as exc:
                self._device = None
                raise DeviceNotFoundError(f"Could not open socket for {self.host}: {exc}") from exc

    return ClosingNetwork(host, port, timeout=timeout)


def make_printer(settings: Any) -> TicketPrinter:
    """Pick the printer implementation named by the settings."""
    if settings.printer == "network":
        return EscposPrinter.network(settings.printer_host, settings.printer_port)
    if settings.printer == "usb":
        return EscposPrinter.usb()
    if settings.printer == "file":
        return EscposPrinter.file(Path(settings.printer_file))
    return NullPrinter()
