from __future__ import annotations

from kivy.factory import Factory
from kivy.properties import StringProperty

from kiosk.screens.base import KioskScreen


class ServicesScreen(KioskScreen):
    error = StringProperty("")

    def refresh(self) -> None:
        # Without a catalog (server unreachable) say so here too, not only in the banner.
        self.error = "" if self.flow.services else self.flow.t("offline")
        if self.flow.closed_message:  # outside opening hours: every card closed, and why
            self.error = self.flow.closed_message
        cards = self.ids.cards
        cards.clear_widgets()
        for service in self.flow.services:
            is_open = bool(service.get("open", True)) and not self.flow.closed_message
            card = Factory.ServiceCard(
                code=service["code"],
                letter=service.get("prefix", "?"),
                name=service.get("name", service["code"]),
                is_open=is_open,
                waiting_text=(self.flow.t("waiting_people", n=service.get("waiting", 0))
                              if is_open else self.flow.t("closed")),
                wait_text=(self.flow.t("estimated_wait", n=service["estimated_wait_minutes"])
                           if is_open and service.get("estimated_wait_minutes") is not None
                           else ""),
            )
            card.bind(on_release=self.choose)
            cards.add_widget(card)

    def choose(self, card) -> None:  # noqa: ANN001 - kivy widget
        if self.flow.choose_service(card.code):
            self.app.go_to("requirements")
        else:
            self.error = next(iter(self.flow.errors.values()), "")
