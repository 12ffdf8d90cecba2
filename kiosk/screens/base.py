"""Shared screen base: access to the app, its flow and its translations."""

from __future__ import annotations

from typing import Any

from kivy.app import App
from kivy.properties import BooleanProperty, ColorProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.button import Button
from kivy.uix.screenmanager import Screen
from kivy.uix.togglebutton import ToggleButton


class KioskScreen(Screen):
    @property
    def app(self) -> Any:
        return App.get_running_app()

    @property
    def flow(self) -> Any:
        return self.app.flow

    def refresh(self) -> None:
        """Copy the flow's state into this screen's widgets (called on every enter)."""

    def on_pre_enter(self, *args: Any) -> None:
        self.refresh()


class BigButton(Button):
    """A large flat touch target; colours come from ``bg`` / ``fg`` (see theme.kv)."""

    bg = ColorProperty((0.043, 0.145, 0.271, 1))
    fg = ColorProperty((1, 1, 1, 1))


class ChoiceButton(ToggleButton):
    """One option of a single-choice group; ``value`` is what the flow stores."""

    value = StringProperty("")


class ServiceCard(ButtonBehavior, BoxLayout):
    """A service in the catalog: letter, name, people waiting, estimated wait."""

    code = StringProperty("")
    letter = StringProperty("")
    name = StringProperty("")
    waiting_text = StringProperty("")
    wait_text = StringProperty("")
    is_open = BooleanProperty(True)


class SummaryRow(BoxLayout):
    key = StringProperty("")
    value = StringProperty("")
