from __future__ import annotations

from kivy.properties import BooleanProperty, ObjectProperty, StringProperty

from kiosk.controllers.wording import steps_lines
from kiosk.screens.base import KioskScreen
from kiosk.screens.ticket import qr_texture


class RequirementsScreen(KioskScreen):
    service_name = StringProperty("")
    bring_text = StringProperty("")
    bring_is_demo = BooleanProperty(False)
    duration_text = StringProperty("")
    steps_text = StringProperty("")
    # The service's standar pelayanan (PermenPANRB 15/2014) as a QR code a phone opens (#20).
    standard_url = StringProperty("")
    standard_qr = ObjectProperty(None, allownone=True)

    def refresh(self) -> None:
        service = self.flow.service or {}
        self.service_name = service.get("name", "")
        bring = service.get("bring") or []
        self.bring_text = "\n".join(f"•  {item}" for item in bring) or "—"
        self.bring_is_demo = bool(service.get("bring_is_demo"))
        minutes = service.get("service_minutes")
        self.duration_text = (self.flow.t("requirements_duration", n=minutes)
                              if minutes else self.flow.t("requirements_duration_unknown"))
        steps = steps_lines(service, self.flow.language)
        self.steps_text = "\n".join(steps)
        url = str(service.get("standard_url") or "")
        if url != self.standard_url or (url and self.standard_qr is None):
            self.standard_url = url
            self.standard_qr = qr_texture(url) if url else None
