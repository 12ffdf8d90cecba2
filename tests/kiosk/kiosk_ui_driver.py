"""Drive the real kiosk app with touches through whole flows; run as a subprocess.

Usage: python tests/kiosk/kiosk_ui_driver.py SCENARIO.json RESULT.json
Kivy creates its window once per process, so each UI test runs this script in its own process.
The scenario lists the flows to walk; the result records what the visitor saw and timings.
"""

from __future__ import annotations

import gc
import json
import sys
import time
import traceback
from pathlib import Path
from typing import Any

T0 = time.perf_counter()
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from kiosk.app import configure_kivy  # noqa: E402
from kiosk.settings import KioskSettings  # noqa: E402

SETTINGS = KioskSettings.from_env()
configure_kivy(SETTINGS)

from kivy.clock import Clock  # noqa: E402
from kivy.core.window import Window  # noqa: E402
from kivy.tests.common import UnitTestTouch  # noqa: E402

from kiosk.app import KioskApp  # noqa: E402

WAIT_TIMEOUT = 15.0


class Driver:
    def __init__(self, app: Any, scenario: dict[str, Any], result_path: Path):
        self.app = app
        self.scenario = scenario
        self.result_path = result_path
        self.shots_dir = Path(scenario["screenshots"]) if scenario.get("screenshots") else None
        self.result: dict[str, Any] = {"flows": [], "screens": [], "errors": []}
        self.steps = self.run()
        self.waiting: Any = None
        self.wait_started = 0.0

    # -- scheduling ------------------------------------------------------------------------
    def tick(self, _dt: float) -> None:
        try:
            if self.waiting is not None:
                if callable(self.waiting):
                    if not self.waiting():
                        if time.perf_counter() - self.wait_started > WAIT_TIMEOUT:
                            raise TimeoutError(f"timed out waiting on screen {self.screen}")
                        return
                elif time.perf_counter() - self.wait_started < self.waiting:
                    return
            self.waiting = next(self.steps)
            self.wait_started = time.perf_counter()
        except StopIteration:
            self.finish()
        except Exception:  # report any failure to the test instead of hanging
            self.result["errors"].append(traceback.format_exc())
            self.finish()

    def finish(self) -> None:
        self.result_path.write_text(json.dumps(self.result, indent=2, ensure_ascii=False))
        Clock.unschedule(self.tick)
        self.app.stop()

    # -- helpers ---------------------------------------------------------------------------
    @property
    def screen(self) -> str:
        return self.app.sm.current

    def on(self, name: str):  # noqa: ANN201
        return lambda: self.app.sm.current == name and not self.app.sm.transition.is_active

    def ids(self, name: str | None = None) -> Any:
        return self.app.sm.get_screen(name or self.screen).ids

    def tap(self, widget: Any) -> None:
        assert widget.get_root_window() is not None, f"{widget} is not on screen"
        x, y = widget.to_window(*widget.center)
        touch = UnitTestTouch(x, y)
        touch.touch_down()
        touch.touch_up()

    def find(self, parent: Any, **attrs: Any) -> Any:
        for widget in parent.walk(restrict=True):
            if all(getattr(widget, k, None) == v for k, v in attrs.items()):
                return widget
        raise LookupError(f"no widget with {attrs} under {parent}")

    def shot(self, name: str) -> None:
        self.result["screens"].append(name)
        if not self.shots_dir:
            return
        self.shots_dir.mkdir(parents=True, exist_ok=True)
        target = self.shots_dir / f"kiosk-{name}.png"
        saved = Window.screenshot(name=str(self.shots_dir / f"tmp-{name}.png"))
        if saved:
            Path(saved).replace(target)

    # -- accessibility ---------------------------------------------------------------------
    def touch_targets(self) -> list[dict[str, Any]]:
        """Every widget a finger can use on the current screen and the accessibility bar."""
        from kivy.uix.behaviors import ButtonBehavior
        from kivy.uix.textinput import TextInput

        targets = []
        for widget in self.app.root.walk(restrict=True):
            if not isinstance(widget, (ButtonBehavior, TextInput)):
                continue
            if widget.get_root_window() is None or widget.opacity == 0 or widget.disabled:
                continue
            label = getattr(widget, "text", "") or getattr(widget, "code", "") or type(
                widget).__name__
            targets.append({"what": str(label)[:40], "width": round(widget.width, 1),
                            "height": round(widget.height, 1)})
        return targets

    def heard(self, screen: str):  # noqa: ANN201
        return lambda: any(label == screen for label, _ in self.app.speaker.audio.played)

    def visit(self, screen: str, large: bool):  # noqa: ANN201 - generator
        yield self.on(screen)
        yield self.heard(screen)
        yield 0.1
        record = self.result.setdefault("a11y", {}).setdefault(screen, {})
        record["targets_large" if large else "targets"] = self.touch_targets()
        if large:
            self.shot(f"{screen}-large")

    def run_a11y(self):  # noqa: ANN201 - generator of wait conditions
        app = self.app
        yield lambda: self.screen == "welcome" and bool(app.flow.services)
        yield from self.visit("welcome", False)
        bar = app.root.ids.a11y.ids
        self.tap(bar.large)
        yield 0.2
        self.result["large_fontscale"] = __import__("kivy.metrics").metrics.Metrics.fontscale
        self.result["large_paper"] = list(app.paper)
        yield from self.visit("welcome", True)
        self.tap(self.ids("welcome").start)
        yield lambda: self.on("services")() and len(self.ids("services").cards.children) == 5
        yield from self.visit("services", True)
        self.tap(self.find(self.ids("services").cards, code="ektp"))
        yield from self.visit("requirements", True)
        self.tap(self.ids().next)
        yield from self.visit("identity", True)
        ids = self.ids()
        self.tap(ids.name)
        ids.name.text = "Siti Aminah"
        self.tap(ids.nik)
        for digit in "3510255508900001":
            self.tap(self.find(ids.keypad, text=digit))
        ids.name.focus = False
        self.tap(ids.next)
        yield from self.visit("consent", True)
        # Silence the kiosk: the next screen says nothing until the visitor turns it on.
        self.tap(bar.voice)
        yield 0.1
        self.result["voice_after_mute"] = app.voice_on
        self.tap(self.ids().consent)
        self.tap(self.ids().next)
        yield self.on("confirm")
        yield 1.0
        self.result["heard_confirm_while_muted"] = any(
            label == "confirm" for label, _ in app.speaker.audio.played)
        self.tap(bar.voice)  # on again: it says this screen's prompt
        yield from self.visit("confirm", True)
        self.tap(self.ids().take_ticket)
        yield lambda: self.on("ticket")() and bool(app.flow.ticket)
        yield from self.visit("ticket", True)
        self.result["ticket_number"] = app.flow.ticket["number"]
        self.tap(bar.large)  # and back to normal
        yield 0.2
        self.result["normal_fontscale"] = __import__("kivy.metrics").metrics.Metrics.fontscale
        self.result["normal_paper"] = list(app.paper)
        self.result.setdefault("a11y", {})["ticket"]["targets"] = self.touch_targets()
        self.result["played"] = [label for label, _ in app.speaker.audio.played]

    # -- the flow --------------------------------------------------------------------------
    def run(self):  # noqa: ANN201 - generator of wait conditions
        app = self.app
        if self.scenario.get("a11y"):
            yield from self.run_a11y()
            return
        if self.scenario.get("offline_marker"):
            yield lambda: bool(app.offline_message)
            yield 0.3
            self.result["offline_message"] = app.offline_message
            self.shot("offline")
            offline_seen = time.perf_counter()
            Path(self.scenario["offline_marker"]).write_text("offline seen")
            yield lambda: not app.offline_message and bool(app.flow.services)
            self.result["recovered_after_seconds"] = round(time.perf_counter() - offline_seen, 2)
        yield lambda: self.screen == "welcome" and bool(app.flow.services)
        yield 0.3  # first frames drawn
        self.result["startup_seconds"] = round(time.perf_counter() - T0, 3)
        self.result["platform"] = app.platform.name
        self.result["storage_dir"] = str(app.platform.storage_dir())
        self.result["printer_kind"] = app.settings.printer
        if self.scenario.get("welcome_shot", True):
            self.shot("welcome")
        if self.scenario.get("english_shot"):
            self.tap(self.ids("welcome").language)
            yield 0.2
            self.shot("welcome-en")
            self.tap(self.ids("welcome").language)
            yield 0.2
        for index, flow in enumerate(self.scenario["flows"]):
            first = index == 0 and flow.get("shots", True)
            record: dict[str, Any] = {"service": flow["service"]}
            gc.collect()  # widgets only weakly held (kv ids) must not vanish between visitors
            started = time.perf_counter()
            self.tap(self.ids("welcome").start)
            yield lambda: self.on("services")() and len(self.ids("services").cards.children) == 5
            yield 0.1
            if first or flow.get("services_shot"):
                self.shot(flow.get("services_shot", "services"))
            self.tap(self.find(self.ids("services").cards, code=flow["service"]))
            yield self.on("requirements")
            if first:
                self.shot("requirements")
            self.tap(self.ids().next)
            yield self.on("identity")
            ids = self.ids()
            self.tap(ids.name)
            ids.name.text = flow["name"]
            self.tap(ids.nik)
            typed = flow["nik"]
            keypad = ids.keypad
            for i, digit in enumerate(typed):
                self.tap(self.find(keypad, text=digit))
                if i == len(typed) - 5:
                    yield 0.05
                    record["nik_feedback_partial"] = self.app.sm.get_screen("identity").nik_message
                    if first:
                        self.shot("identity-typing")
            yield 0.05
            record["nik_feedback"] = self.app.sm.get_screen("identity").nik_message
            if flow.get("phone"):
                self.tap(ids.phone)
                for digit in flow["phone"]:
                    self.tap(self.find(keypad, text=digit))
            yield 0.05
            if first:
                self.shot("identity")
            self.tap(ids.next)
            yield self.on("consent")
            ids = self.ids()
            if flow.get("priority"):
                self.tap(self.find(ids.priorities, value=flow["priority"]))
            self.tap(ids.next)  # without consent: the visitor is told why
            yield 0.1
            record["consent_error"] = "\n".join(self.app.sm.get_screen("consent").errors.values())
            self.tap(ids.consent)
            yield 0.05
            if first:
                self.shot("consent")
            self.tap(ids.next)
            if flow["service"] in ("penerimaan-tamu", "pengaduan"):
                yield self.on("questions")
                ids = self.ids()
                answers = flow["details"]
                if flow["service"] == "penerimaan-tamu":
                    self.tap(self.find(ids.purpose, value=answers["purpose"]))
                    self.tap(self.find(ids.meet, value=answers["meet"]))
                    self.tap(ids.institution)
                    ids.institution.text = answers.get("institution", "")
                    for _ in range(answers.get("group_size", 1) - 1):
                        self.tap(ids.group_plus)
                else:
                    self.tap(self.find(ids.category, value=answers["category"]))
                    self.tap(ids.description)
                    ids.description.text = answers["description"]
                # drop the keyboard focus (only this service's text field is still alive;
                # the other service's field is gone, its id a dead weak reference)
                ids["institution" if flow["service"] == "penerimaan-tamu"
                    else "description"].focus = False
                yield 0.1
                if flow.get("shots", True):
                    self.shot(f"questions-{flow['service']}")
                self.tap(ids.next)
            yield self.on("confirm")
            yield 0.05
            if first:
                self.shot("confirm")
            button = self.ids().take_ticket
            tapped = time.perf_counter()
            self.tap(button)
            self.tap(button)  # an impatient double tap
            yield self.on("ticket")
            record["tap_to_ticket_seconds"] = round(time.perf_counter() - tapped, 3)
            yield lambda: self.app.flow.print_state not in (None, "printing")
            yield 0.1
            record["flow_seconds"] = round(time.perf_counter() - started, 3)
            ticket_screen = self.app.sm.get_screen("ticket")
            record["number_shown"] = ticket_screen.ids.number.text
            record["printer_message"] = ticket_screen.printer_message
            record["printer_fault"] = ticket_screen.printer_fault
            record["nik_shown"] = ticket_screen.nik_masked
            record["qr_shown"] = ticket_screen.qr_texture is not None
            if first or flow.get("ticket_shot"):
                self.shot(flow.get("ticket_shot", "ticket"))
            self.tap(self.ids().done)
            yield self.on("welcome")
            record["wiped"] = app.flow.is_empty()
            self.result["flows"].append(record)
        if self.scenario.get("idle_check"):
            self.tap(self.ids("welcome").start)
            yield self.on("services")
            self.tap(self.find(self.ids("services").cards, code="ektp"))
            yield self.on("requirements")
            self.tap(self.ids().next)
            yield self.on("identity")
            self.tap(self.find(self.ids().keypad, text="3"))
            idle_started = time.perf_counter()
            yield lambda: self.on("welcome")() and self.app.flow.is_empty()
            self.result["idle_reset_seconds"] = round(time.perf_counter() - idle_started, 2)
            self.result["idle_wiped"] = self.app.flow.is_empty()
        if self.scenario.get("requirements_check"):  # the office's own bring-list (#15)
            self.tap(self.ids("welcome").start)
            yield lambda: self.on("services")() and len(self.ids("services").cards.children) == 5
            code = self.scenario["requirements_check"]
            self.tap(self.find(self.ids("services").cards, code=code))
            yield self.on("requirements")
            yield 0.2
            screen = self.app.sm.get_screen("requirements")
            self.result["bring_text"] = screen.bring_text
            self.result["bring_is_demo"] = screen.bring_is_demo
            self.result["standard_url"] = screen.standard_url  # its QR code (#20)
            self.result["standard_qr"] = (list(screen.standard_qr.size)
                                          if screen.standard_qr is not None else None)
            self.result["standard_hint"] = screen.ids.standard_hint.text
            self.shot("requirements-office")
        if self.scenario.get("closed_check"):  # the office hands out no numbers now
            self.tap(self.ids("welcome").start)
            yield lambda: self.on("services")() and len(self.ids("services").cards.children) == 5
            yield 0.1
            self.shot("services-office-closed")
            screen = self.app.sm.get_screen("services")
            self.result["closed_message"] = screen.error
            self.result["cards_open"] = [card.is_open for card in screen.ids.cards.children]
            self.tap(self.find(screen.ids.cards, code="ektp"))
            yield 0.5
            self.result["screen_after_tap"] = self.screen
            self.result["message_after_tap"] = screen.error


def main() -> None:
    scenario = json.loads(Path(sys.argv[1]).read_text())
    result_path = Path(sys.argv[2])
    app = KioskApp(SETTINGS)
    driver = Driver(app, scenario, result_path)
    Clock.schedule_interval(driver.tick, 0)
    app.run()


if __name__ == "__main__":
    main()
