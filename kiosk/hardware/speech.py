"""The kiosk's voice: prompts rendered offline by `voice`, played by an audio facade.

Rendering runs on a worker thread (the first prompt of a kind takes ~0.1 s, a cached one
~1 ms); only the newest request is spoken, so a visitor tapping quickly through screens does
not hear a backlog. Audio outputs, plyer-style: ``kivy`` (SoundLoader: Linux, Windows,
Android), ``record`` (keeps each WAV in a folder: tests, and a way to check a device without
speakers), ``none``.
"""

from __future__ import annotations

import functools
import itertools
import logging
import queue
import re
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

logger = logging.getLogger(__name__)
AUDIO_KINDS = ("kivy", "record", "none")


class AudioOut(Protocol):
    def play(self, wav: bytes, label: str) -> None: ...

    def stop(self) -> None: ...


class NullAudio:
    def play(self, wav: bytes, label: str) -> None:
        logger.debug("audio off: %s not played", label)

    def stop(self) -> None:
        pass


class RecordingAudio:
    """Keeps what would be played: ``<n>-<label>.wav`` files in `folder`, in order."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.played: list[tuple[str, bytes]] = []
        self._counter = itertools.count(1)

    def play(self, wav: bytes, label: str) -> None:
        self.played.append((label, wav))
        self.folder.mkdir(parents=True, exist_ok=True)
        safe = re.sub(r"[^a-z0-9_-]+", "-", label.lower())
        (self.folder / f"{next(self._counter):03d}-{safe}.wav").write_bytes(wav)

    def stop(self) -> None:
        pass


class KivyAudio:
    """Plays through Kivy's SoundLoader (SDL2/GStreamer on a PC, MediaPlayer on Android)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._sound: Any = None
        self._counter = itertools.count(1)

    def play(self, wav: bytes, label: str) -> None:
        from kivy.core.audio import SoundLoader

        self.stop()
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"now-{next(self._counter) % 2}.wav"  # never the one playing
        path.write_bytes(wav)
        sound = SoundLoader.load(str(path))
        if sound is None:
            logger.warning("no audio output can play %s", label)
            return
        self._sound = sound
        sound.play()

    def stop(self) -> None:
        if self._sound is not None:
            self._sound.stop()
            self._sound = None


def make_audio(kind: str, folder: Path) -> AudioOut:
    if kind == "record":
        return RecordingAudio(folder)
    if kind == "kivy":
        return KivyAudio(folder)
    return NullAudio()


class Speaker:
    """Speaks prompts when enabled; ``render(text) -> wav`` is the offline voice."""

    def __init__(self, render: Callable[[str], bytes], audio: AudioOut, *, enabled: bool = True,
                 dispatch: Callable[[Callable[[], None]], None] | None = None) -> None:
        self.render = render
        self.audio = audio
        self.enabled = enabled
        self.last: tuple[str, str] | None = None  # (label, text) for "Dengar lagi"
        self._dispatch = dispatch or (lambda fn: fn())
        self._requests: queue.Queue[tuple[str, str] | None] = queue.Queue()
        self._worker = threading.Thread(target=self._work, name="kiosk-speech", daemon=True)
        self._worker.start()

    def say(self, text: str, label: str) -> None:
        if not text:
            return
        self.last = (label, text)
        if self.enabled:
            self._requests.put((label, text))

    def repeat(self) -> None:
        if self.last is not None:
            self.say(self.last[1], self.last[0])

    def set_enabled(self, enabled: bool) -> None:
        self.enabled = enabled
        if not enabled:
            self._dispatch(self.audio.stop)

    def close(self) -> None:
        self._requests.put(None)

    def _work(self) -> None:
        while True:
            item = self._requests.get()
            while item is not None and not self._requests.empty():
                item = self._requests.get()  # only the newest prompt is worth saying
            if item is None:
                return
            label, text = item
            try:
                wav = self.render(text)
            except Exception:  # a voice failure must never stop the kiosk
                logger.exception("kiosk voice: could not render the %s prompt", label)
                continue
            if self.enabled:
                self._dispatch(functools.partial(self.audio.play, wav, label))
