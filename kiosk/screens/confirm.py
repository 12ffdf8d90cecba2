from __future__ import annotations

from kivy.factory import Factory
from kivy.properties import BooleanProperty, StringProperty

from kiosk.screens.base import KioskScreen


class ConfirmScreen(KioskScreen):
    busy = BooleanProperty(False)
    message = StringProperty("")
    message_is_error = BooleanProperty(False)

    def refresh(self) -> None:
        flow = self.flow
        self.busy = flow.submitting
        self.message = ""
        rows = self.ids.rows
        rows.clear_widgets()
        v = flow.visitor
        entries = [
            (flow.t("confirm_service"), (flow.service or {}).get("name", "")),
            (flow.t("confirm_name"), " ".join(v.name.split())),
            (flow.t("confirm_nik"), flow.nik_masked),
        ]
        if v.phone:
            entries.append((flow.t("confirm_phone"), v.phone))
        entries.append((flow.t("confirm_priority"), flow.t(f"priority_{v.priority or 'none'}")))
        for key, value in flow.details.items():
            if value not in ("", None):
                label = {"purpose": "purpose", "meet": "meet", "institution": "institution",
                         "group_size": "group_size", "category": "category",
                         "description": "description"}.get(key, key)
                entries.append((flow.t(label), str(value)))
        for key, value in entries:
            rows.add_widget(Factory.SummaryRow(key=key, value=value))

    def take_ticket(self) -> None:
        self.app.submit()
