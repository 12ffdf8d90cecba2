from __future__ import annotations

from io import BytesIO

import qrcode
from kivy.core.image import Image as CoreImage
from kivy.properties import BooleanProperty, ObjectProperty, StringProperty

from kiosk.hardware.printer import ticket_time
from kiosk.screens.base import KioskScreen


def qr_texture(url: str):  # noqa: ANN201 - kivy Texture
    """Render ``url`` as a QR code texture (offline, via the qrcode package)."""
    image = qrcode.make(url, box_size=10, border=2)
    buffer = BytesIO()
    image.save(buffer, format="PNG")
    buffer.seek(0)
    texture = CoreImage(buffer, ext="png").texture
    texture.mag_filter = "nearest"
    return texture


class TicketScreen(KioskScreen):
    number = StringProperty("")
    service_name = StringProperty("")
    info = StringProperty("")
    nik_masked = StringProperty("")
    printer_message = StringProperty("")
    printer_fault = BooleanProperty(False)
    qr_texture = ObjectProperty(None, allownone=True)

    def refresh(self) -> None:
        flow = self.flow
        ticket = flow.ticket or {}
        self.number = str(ticket.get("number", ""))
        self.service_name = str(ticket.get("service_name", ""))
        lines = [flow.t("ticket_time", t=ticket_time(ticket).split(" ")[-1]),
                 flow.t("ticket_people_ahead", n=ticket.get("people_ahead", 0))]
        if ticket.get("estimated_wait_minutes") is not None:
            lines.append(flow.t("ticket_wait", n=ticket["estimated_wait_minutes"]))
        self.info = "\n".join(lines)
        self.nik_masked = str(ticket.get("nik_masked") or flow.nik_masked)
        fault = flow.printer_fault
        self.printer_fault = fault is not None
        if fault is not None:
            self.printer_message = flow.t(fault.message_id) + (
                " " + flow.t("staff_notified") if flow.staff_notified else "")
        elif self.app.settings.printer == "none":
            self.printer_message = ""
        elif flow.print_state == "printed":
            self.printer_message = flow.t("ticket_printed")
        elif flow.print_state == "printing" or flow.print_state is None:
            self.printer_message = flow.t("ticket_printing")
        else:
            self.printer_message = flow.t("printer_error")
        url = ticket.get("status_url")
        self.qr_texture = qr_texture(url) if url else None
