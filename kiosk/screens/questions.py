from __future__ import annotations

from typing import Any

from kivy.factory import Factory
from kivy.metrics import dp
from kivy.properties import DictProperty, NumericProperty, StringProperty

from kiosk.controllers.flow import GUEST_SERVICE
from kiosk.i18n import COMPLAINT_CATEGORIES, GUEST_MEET, GUEST_PURPOSES
from kiosk.screens.base import KioskScreen


class QuestionsScreen(KioskScreen):
    title = StringProperty("")
    errors = DictProperty({})
    group_size = NumericProperty(1)

    def on_kv_post(self, base_widget: Any) -> None:
        # Strong references: ``ids`` holds weak proxies, and the box taken out of ``body`` by
        # refresh() would otherwise be garbage-collected (ReferenceError on the next visitor).
        self._boxes = {"guest": self.ids.guest_box.__self__,
                       "complaint": self.ids.complaint_box.__self__}

    def refresh(self) -> None:
        self.errors = {}
        guest = (self.flow.service or {}).get("code") == GUEST_SERVICE
        kind = "guest" if guest else "complaint"
        self.title = self.flow.t(f"questions_title_{kind}")
        body = self.ids.body
        body.clear_widgets()
        body.add_widget(self._boxes[kind])
        details = self.flow.details
        if guest:
            self._choices(self.ids.purpose, "purpose", GUEST_PURPOSES, details.get("purpose"))
            self._choices(self.ids.meet, "meet", GUEST_MEET, details.get("meet"))
            self.ids.institution.text = details.get("institution", "")
            self.group_size = details.get("group_size", 1)
        else:
            self._choices(self.ids.category, "category", COMPLAINT_CATEGORIES,
                          details.get("category"))
            self.ids.description.text = details.get("description", "")

    def _choices(self, grid: Any, key: str, options: tuple[str, ...], current: Any) -> None:
        grid.clear_widgets()
        for option in options:
            button = Factory.ChoiceButton(
                text=option, value=option, group=f"q-{key}", allow_no_selection=False,
                height=dp(80), font_size="21sp",
                state="down" if option == current else "normal",
            )
            button.bind(on_release=lambda b, k=key: self.set_detail(k, b.value))
            grid.add_widget(button)

    def set_detail(self, key: str, value: Any) -> None:
        self.flow.details[key] = value
        if self.errors:
            self.errors = self.flow.validate_details()

    def change_group(self, delta: int) -> None:
        self.group_size = max(1, min(50, int(self.group_size) + delta))
        self.set_detail("group_size", int(self.group_size))

    def next(self) -> None:
        self.errors = self.flow.validate_details()
        if not self.errors:
            self.app.go_to("confirm")
