"""Confirmation beep facade; the simulated implementation only logs."""

from __future__ import annotations

import logging
from typing import Protocol

logger = logging.getLogger(__name__)


class Beeper(Protocol):
    def beep(self) -> None: ...


class SimulatedBeeper:
    """Dev/CI: records beeps instead of making noise."""

    def __init__(self) -> None:
        self.count = 0

    def beep(self) -> None:
        self.count += 1
        logger.info("beep (simulated)")


class KivyBeeper:
    """Plays a short sound file through Kivy's SoundLoader when one is configured."""

    def __init__(self, path: str):
        self.path = path

    def beep(self) -> None:
        from kivy.core.audio import SoundLoader

        sound = SoundLoader.load(self.path)
        if sound is None:
            logger.info("beep sound %s not playable", self.path)
            return
        sound.play()


def make_beeper(path: str | None = None) -> Beeper:
    return KivyBeeper(path) if path else SimulatedBeeper()
