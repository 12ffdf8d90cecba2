"""The TV's spoken calls: a thin face on `voice`, which the kiosk shares.

The engine, segments, pauses, caches and the recorded-voice pack live in `voice/`
(imports no service), so the kiosk device speaks with the same voice as the TV.
"""

from __future__ import annotations

from voice import (
    MAX_COUNTER,
    MAX_REPEAT_WITH_RECALL,
    TICKET_NUMBER_RE,
    VoiceError,
    VoiceSettings,
    VoiceSettingsError,
    call_phrase,
    call_wav,
    load_settings,
)
from voice.audio import chime_pcm, pcm_to_wav

__all__ = [
    "MAX_COUNTER",
    "MAX_REPEAT_WITH_RECALL",
    "TICKET_NUMBER_RE",
    "VoiceError",
    "VoiceSettings",
    "VoiceSettingsError",
    "call_phrase",
    "call_wav",
    "chime_pcm",
    "chime_wav",
    "load_settings",
]


def chime_wav(volume: float = 1.0) -> bytes:
    """The chime alone as a WAV file: 22050 Hz, mono, 16-bit."""
    return pcm_to_wav(chime_pcm(volume))
