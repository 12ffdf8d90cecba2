"""The Kivy kiosk application: screen registry, navigation, scheduling."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
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
    from kivy.app import App
    from kivy.clock import Clock, mainthread
    from kivy.core.window import Window
    from kivy.lang import Builder
    from kivy.properties import BooleanProperty, ColorProperty, ObjectProperty, StringProperty
    from kivy.uix.screenmanager import ScreenManager, SlideTransition

    from kiosk import accessibility
    from kiosk.api import QueueClient
    from kiosk.controllers.flow import RegistrationFlow
    from kiosk.hardware.printer import make_printer
    from kiosk.hardware.sound import make_beeper
    from kiosk.i18n import t

    class KioskApp(accessibility.AccessibleApp, App):
        lang = StringProperty("id")
        offline_message = StringProperty("")
        flow = ObjectProperty(None)
        # accessibility (kiosk/accessibility.py): voice, large text + high contrast
        voice_on = BooleanProperty(True)
        large_text = BooleanProperty(False)
        ink = ColorProperty(accessibility.NORMAL["ink"])
        paper = ColorProperty(accessibility.NORMAL["paper"])
        grey = ColorProperty(accessibility.NORMAL["grey"])
        lightgrey = ColorProperty(accessibility.NORMAL["lightgrey"])

        def __init__(self, settings: KioskSettings, client: Any = None, printer: Any = None,
                     **kwargs: Any):
            super().__init__(**kwargs)
            self.title = "Loket — Kecamatan Genteng"
            self.settings = settings
            self.client = client or QueueClient(settings.server_url, settings.token)
            self.beeper = make_beeper()
            self.flow = RegistrationFlow(
                self.client,
                printer=printer or make_printer(settings),
                notify_staff=self.client.notify_staff,
                idle_seconds=settings.idle_seconds,
                language=settings.language,
            )
            self.lang = self.flow.language
            self._retry_event: Any = None
            self.on_screen: list[Callable[[str], None]] = []  # test hooks

        # -- building ----------------------------------------------------------------------
        def build(self) -> Any:
            import importlib

            import kiosk.screens.base  # noqa: F401 - registers the shared widgets with the Factory

            Builder.load_file(str(SCREENS_DIR / "theme.kv"))
            self.sm = ScreenManager(transition=SlideTransition(duration=0.2))
            for name, (module, cls_name) in SCREENS.items():
                screen_cls = getattr(importlib.import_module(module), cls_name)
                Builder.load_file(str(SCREENS_DIR / f"{name}.kv"))
                self.sm.add_widget(screen_cls(name=name))
            root = Builder.load_string(_ROOT_KV)
            root.ids.holder.add_widget(self.sm)
            Window.bind(on_touch_down=self._on_any_touch)
            Clock.schedule_interval(self._check_idle, 1.0)
            self.start_accessibility(Clock)
            self.load_services()
            self.speak_screen("welcome")
            return root

        def tr(self, key: str, lang: str | None = None, **values: Any) -> str:
            """Translate in kv; pass ``app.lang`` so bindings refresh on a language switch."""
            return t(key, lang or self.lang, **values)

        # -- navigation --------------------------------------------------------------------
        def go_to(self, name: str) -> None:
            order = list(SCREENS)
            current = self.sm.current
            forward = order.index(name) >= order.index(current) if current in order else True
            self.sm.transition.direction = "left" if forward else "right"
            if name == "services":
                self.load_services()
            self.sm.current = name
            logger.info("screen %s", name)
            self.speak_screen(name)
            for hook in self.on_screen:
                hook(name)

        def set_language(self, language: str) -> None:
            self.flow.set_language(language)
            self.lang = self.flow.language

        def finish(self) -> None:
            self.flow.reset()
            self.lang = self.flow.language
            self.go_to("welcome")

        def _on_any_touch(self, *_args: Any) -> None:
            self.flow.touch()

        def _check_idle(self, _dt: float) -> None:
            if self.sm.current == "welcome" and self.flow.is_empty():
                self.flow.touch()
                return
            if self.flow.idle_expired():
                self.lang = self.flow.language
                self.go_to("welcome")

        # -- server ------------------------------------------------------------------------
        def load_services(self) -> None:
            self._background(self.flow.load_services, self._services_loaded)

        def _services_loaded(self, outcome: Any) -> None:
            if outcome.status == "offline":
                self._offline(outcome.retry_in, self.load_services)
                return
            self._online()
            if self.sm.current == "services":
                self.sm.get_screen("services").refresh()

        def submit(self) -> None:
            """Confirmed: issue the ticket in the background; double taps are ignored."""
            confirm = self.sm.get_screen("confirm")
            if confirm.busy or self.flow.submitting or self.flow.ticket is not None:
                return
            self.flow.confirm()
            confirm.busy = True
            self._background(self.flow.submit, self._submitted)

        def _submitted(self, outcome: Any) -> None:
            confirm = self.sm.get_screen("confirm")
            confirm.busy = self.flow.submitting
            if outcome.status == "issued":
                self._online()
                self.beeper.beep()
                self.go_to("ticket")
                # The ticket is on screen first; paper follows (a slow printer never hides it).
                self._background(self.flow.print_ticket, self._printed)
            elif outcome.status == "offline":
                confirm.busy = True
                self._offline(outcome.retry_in, self._retry_submit)
            elif outcome.status in ("rejected", "invalid"):
                confirm.message = "\n".join(outcome.errors.values())
                confirm.message_is_error = True

        def _printed(self, _result: Any) -> None:
            if self.sm.current == "ticket":
                self.sm.get_screen("ticket").refresh()

        def _retry_submit(self) -> None:
            if self.flow.idempotency_key is None:  # flow was reset while offline
                return
            self._background(self.flow.submit, self._submitted)

        def _offline(self, retry_in: float | None, retry: Callable[[], None]) -> None:
            self.offline_message = self.tr("offline")
            if self._retry_event is not None:
                self._retry_event.cancel()
            self._retry_event = Clock.schedule_once(lambda _dt: retry(), retry_in or 2.0)

        def _online(self) -> None:
            self.offline_message = ""

        def _background(self, work: Callable[[], Any], done: Callable[[Any], None]) -> None:
            deliver = mainthread(done)
            threading.Thread(target=lambda: deliver(work()), daemon=True).start()

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
