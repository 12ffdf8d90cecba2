"""The Kivy kiosk application: screen registry, navigation, scheduling."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from kiosk.settings import KioskSettings

logger = logging.getLogger(__name__)
SCREENS_DIR = Path(__file__).parent / "screens"

# Registry of screens in flow order: name → (module, class). One .kv per screen, same name.
SCREENS: dict[str, tuple[str, str]] = {
    "welcome": ("kiosk.screens.welcome", "WelcomeScreen"),
    "services": ("kiosk.screens.services", "ServicesScreen"),
    "requirements": ("kiosk.screens.requirements", "RequirementsScreen"),
    "identity": ("kiosk.screens.identity", "IdentityScreen"),
    "consent": ("kiosk.screens.consent", "ConsentScreen"),
    "questions": ("kiosk.screens.questions", "QuestionsScreen"),
    "confirm": ("kiosk.screens.confirm", "ConfirmScreen"),
    "ticket": ("kiosk.screens.ticket", "TicketScreen"),
}


def configure_kivy(settings: KioskSettings) -> None:
    """Set Kivy's env and Config; must run before ``kivy.core.window`` is imported."""
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    os.environ.setdefault("KIVY_CLIPBOARD", "sdl2")  # portable; no xclip/xsel probing
    from kivy.config import Config

    Config.set("kivy", "exit_on_escape", "0")
    Config.set("kivy", "log_level", os.environ.get("LOKET_KIOSK_LOG_LEVEL", "info"))
    # A touch kiosk has no physical keyboard: dock Kivy's on-screen keyboard there.
    Config.set("kivy", "keyboard_mode", "systemanddock" if settings.fullscreen else "system")
    Config.set("input", "mouse", "mouse,multitouch_on_demand")
    if settings.fullscreen:
        Config.set("graphics", "fullscreen", "auto")
    else:
        Config.set("graphics", "fullscreen", "0")
        Config.set("graphics", "width", "1280")
        Config.set("graphics", "height", "800")
        Config.set("graphics", "resizable", "0")


def _build_app_class() -> type:
    from kiosk.kiosk_app import KioskApp

    return KioskApp


_ROOT_KV = """
#:import dp kivy.metrics.dp
BoxLayout:
    orientation: 'vertical'
    Label:
        id: offline
        text: app.offline_message
        color: 1, 1, 1, 1
        bold: True
        font_size: '28sp'
        size_hint_y: None
        height: dp(64) if app.offline_message else 0
        opacity: 1 if app.offline_message else 0
        canvas.before:
            Color:
                rgba: (0.69, 0.0, 0.13, 1)
            Rectangle:
                pos: self.pos
                size: self.size
    A11yBar:
        id: a11y
    BoxLayout:
        id: holder
"""

_app_class: type | None = None


def __getattr__(name: str) -> Any:
    # ``from kiosk.app import KioskApp`` works, but only after configure_kivy() has run.
    global _app_class
    if name == "KioskApp":
        if _app_class is None:
            _app_class = _build_app_class()
        return _app_class
    raise AttributeError(name)


def run(settings: KioskSettings | None = None) -> None:
    settings = settings or KioskSettings.from_env()
    configure_kivy(settings)
    from kiosk.app import KioskApp

    KioskApp(settings).run()
