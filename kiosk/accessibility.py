"""Heard and read by everyone: the kiosk's voice, large text and high contrast.

A mixin for the Kivy app (kept out of app.py so the screen registry stays short). The
prompts themselves are Kivy-free (kiosk/controllers/prompts.py); the voice is `voice`,
the same offline engine as the TV, rendered on the kiosk device.
"""

from __future__ import annotations

import dataclasses
import logging
import os
from typing import Any

from kiosk.controllers.prompts import screen_prompt
from kiosk.hardware.platform import detect
from kiosk.hardware.speech import Speaker
from voice import VoiceSettings, load_settings, say_wav

logger = logging.getLogger(__name__)

LARGE_FONT_SCALE = 1.3
NORMAL = {
    "ink": (0.07, 0.09, 0.13, 1),
    "paper": (0.957, 0.965, 0.98, 1),
    "grey": (0.42, 0.45, 0.5, 1),
    "lightgrey": (0.86, 0.88, 0.91, 1),
}
# Black on pure white, grey text made near-black: WCAG contrast above 15:1 for body text.
CONTRAST = {
    "ink": (0, 0, 0, 1),
    "paper": (1, 1, 1, 1),
    "grey": (0.12, 0.12, 0.12, 1),
    "lightgrey": (0.55, 0.57, 0.6, 1),
}


def kiosk_voice_settings(storage: Any) -> VoiceSettings:
    """LOKET_VOICE_* as on the server; the cache lives in the device's own storage."""
    settings = load_settings()
    if not os.environ.get("LOKET_VOICE_CACHE_DIR", "").strip():
        settings = dataclasses.replace(settings, cache_dir=storage / "voice-cache")
    return settings


class AccessibleApp:
    settings: Any
    flow: Any
    voice_on: bool
    large_text: bool

    def start_accessibility(self, clock: Any) -> None:
        self.platform = detect(self.settings.platform)
        voice = kiosk_voice_settings(self.platform.storage_dir())
        self.speaker = Speaker(
            lambda text: say_wav(text, voice),
            self.platform.audio(self.settings.audio),
            enabled=self.settings.voice,
            dispatch=lambda fn: clock.schedule_once(lambda _dt: fn()),
        )
        if self.settings.audio == "kivy":
            # Choose the audio provider (GStreamer, SDL2…) now, not in the middle of a visit.
            import kivy.core.audio  # noqa: F401
        self.voice_on = self.settings.voice
        self.set_large_text(self.settings.large_text)
        logger.info("kiosk on %s, voice %s, audio %s", self.platform.name,
                    "on" if self.voice_on else "off", self.settings.audio)

    def speak_screen(self, name: str) -> None:
        self.speaker.say(screen_prompt(name, self.flow), name)

    def toggle_voice(self) -> None:
        self.voice_on = not self.voice_on
        self.speaker.set_enabled(self.voice_on)
        if self.voice_on:
            self.speaker.repeat()

    def repeat_prompt(self) -> None:
        if not self.voice_on:
            self.toggle_voice()
            return
        self.speaker.repeat()

    def toggle_large_text(self) -> None:
        self.set_large_text(not self.large_text)

    def set_large_text(self, on: bool) -> None:
        from kivy.metrics import Metrics

        Metrics.fontscale = LARGE_FONT_SCALE if on else 1.0
        for name, color in (CONTRAST if on else NORMAL).items():
            setattr(self, name, color)
        self.large_text = on

    def on_stop(self) -> None:
        speaker = getattr(self, "speaker", None)
        if speaker is not None:
            speaker.close()
