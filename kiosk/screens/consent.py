from __future__ import annotations

from kivy.factory import Factory
from kivy.properties import BooleanProperty, DictProperty

from kiosk.controllers.flow import PRIORITIES
from kiosk.screens.base import KioskScreen


class ConsentScreen(KioskScreen):
    consent = BooleanProperty(False)
    errors = DictProperty({})

    def refresh(self) -> None:
        self.errors = {}
        self.consent = self.flow.visitor.consent
        box = self.ids.priorities
        box.clear_widgets()
        current = self.flow.visitor.priority or "none"
        for value in ("none", *PRIORITIES):
            button = Factory.ChoiceButton(
                text=self.flow.t(f"priority_{value}"), value=value, group="priority",
                allow_no_selection=False, height=box.height,
                state="down" if value == current else "normal",
            )
            button.bind(on_release=self.choose_priority)
            box.add_widget(button)

    def choose_priority(self, button) -> None:  # noqa: ANN001 - kivy widget
        self.flow.visitor.priority = None if button.value == "none" else button.value

    def set_consent(self, value: bool) -> None:
        self.consent = value
        self.flow.visitor.consent = value
        if self.errors:
            self.errors = self.flow.validate_consent()

    def next(self) -> None:
        self.errors = self.flow.validate_consent()
        if not self.errors:
            self.app.go_to("questions" if self.flow.needs_questions else "confirm")
