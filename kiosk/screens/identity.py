from __future__ import annotations

from kivy.properties import BooleanProperty, DictProperty, StringProperty

from kiosk.screens.base import KioskScreen

_LIMITS = {"nik": 16, "phone": 15}


class IdentityScreen(KioskScreen):
    active_field = StringProperty("nik")
    nik_display = StringProperty("")
    nik_message = StringProperty("")
    nik_ok = BooleanProperty(False)
    phone_display = StringProperty("")
    errors = DictProperty({})

    def refresh(self) -> None:
        self.errors = {}
        self.ids.name.text = self.flow.visitor.name
        self.active_field = "nik"
        self._update()

    def set_name_text(self, text: str) -> None:
        self.flow.visitor.name = text

    def select(self, field: str) -> None:
        self.active_field = field
        if field != "name":
            self.ids.name.focus = False

    def press(self, key: str) -> None:
        field = self.active_field if self.active_field in _LIMITS else "nik"
        value = getattr(self.flow.visitor, field)
        if key == "delete":
            value = value[:-1]
        elif key == "clear":
            value = ""
        elif len(value) < _LIMITS[field] + (1 if field == "nik" else 0):
            # one extra NIK digit is allowed so the "too long" message can be shown
            value += key
        setattr(self.flow.visitor, field, value)
        self._update()

    def _update(self) -> None:
        nik = self.flow.visitor.nik
        self.nik_display = " ".join(nik[i:i + 4] for i in range(0, len(nik), 4))
        feedback = self.flow.nik_feedback()
        self.nik_message = feedback.message
        self.nik_ok = feedback.ok
        self.phone_display = self.flow.visitor.phone
        if self.errors:
            self.errors = self.flow.validate_visitor()

    def next(self) -> None:
        self.errors = self.flow.validate_visitor()
        if not self.errors:
            self.app.go_to("consent")
