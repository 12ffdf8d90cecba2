"""The Kivy application class of the kiosk. Import it only after ``kiosk.app.configure_kivy``
has run (``from kiosk.app import KioskApp`` does that in order)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from kivy.app import App
from kivy.clock import Clock, mainthread
from kivy.core.window import Window
from kivy.lang import Builder
from kivy.properties import BooleanProperty, ColorProperty, ObjectProperty, StringProperty
from kivy.uix.screenmanager import ScreenManager, SlideTransition

from kiosk import accessibility
from kiosk.api import QueueClient
from kiosk.app import _ROOT_KV, SCREENS, SCREENS_DIR
from kiosk.controllers.flow import RegistrationFlow
from kiosk.hardware.printer import make_printer
from kiosk.hardware.sound import make_beeper
from kiosk.i18n import t
from kiosk.settings import KioskSettings

logger = logging.getLogger("kiosk.app")


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
