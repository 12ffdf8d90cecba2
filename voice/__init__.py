"""Offline spoken calls and prompts, shared by the TV display and the kiosk.

Imports no service (queue, workflow, display, console) and no Flask or Kivy, so the kiosk
device and the server use the same voice. See docs/display.md, "Voice, offline".
"""

from __future__ import annotations

from voice import audio
from voice.engines import VoiceError, make_engine
from voice.segments import (
    MAX_COUNTER,
    TICKET_NUMBER_RE,
    call_parts,
    call_phrase,
    pack_segments,
)
from voice.settings import VoiceSettings, VoiceSettingsError, load_settings
from voice.source import SegmentSource, source_for

MAX_REPEAT_WITH_RECALL = 4  # LOKET_VOICE_REPEAT (max 3) plus one for a recall

__all__ = [
    "MAX_COUNTER",
    "TICKET_NUMBER_RE",
    "VoiceError",
    "VoiceSettings",
    "VoiceSettingsError",
    "call_phrase",
    "call_wav",
    "load_settings",
    "make_engine",
    "pack_segments",
    "say_wav",
    "source_for",
    "SegmentSource",
]


def call_wav(
    number: str, counter_number: int, settings: VoiceSettings, *, recall: bool = False
) -> bytes:
    """Chime + 'Nomor antrean …, silakan menuju loket …' as one WAV (22050 Hz mono 16-bit)."""
    repeat = settings.repeat + (1 if recall else 0)
    parts = call_parts(number, counter_number, repeat)
    return audio.pcm_to_wav(source_for(settings).render(parts))


def say_wav(text: str, settings: VoiceSettings) -> bytes:
    """Any Indonesian text (a kiosk prompt) as one WAV, cached by text."""
    text = " ".join(text.split())
    if not text:
        raise ValueError("nothing to say")
    return audio.pcm_to_wav(audio.scale(source_for(settings).text(text), settings.volume))
