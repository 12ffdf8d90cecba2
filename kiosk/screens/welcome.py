from __future__ import annotations

from kiosk.screens.base import KioskScreen


class WelcomeScreen(KioskScreen):
    def toggle_language(self) -> None:
        self.app.set_language("en" if self.flow.language == "id" else "id")

    def start(self) -> None:
        self.app.go_to("services")
