"""LOKET_VOICE_* settings, parsed strictly: a bad value stops the service with a clear error."""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

DEFAULT_CACHE_DIR = "var/voice-cache"
DEFAULT_SPEED = 140  # words per minute; slower than espeak's 175 so a hall can follow it
DEFAULT_CACHE_MAX_MB = 64


class VoiceSettingsError(ValueError):
    """A LOKET_VOICE_* setting has a value outside its allowed range."""


@dataclass(frozen=True)
class VoiceSettings:
    volume: float = 1.0
    repeat: int = 1
    cache_dir: Path = Path(DEFAULT_CACHE_DIR)
    speed: int = DEFAULT_SPEED
    engine: str = "auto"
    pack_dir: Path | None = None
    cache_max_mb: int = DEFAULT_CACHE_MAX_MB

    def __post_init__(self) -> None:
        if not 0.0 <= self.volume <= 1.0:
            raise VoiceSettingsError(
                f"LOKET_VOICE_VOLUME must be between 0.0 and 1.0, got {self.volume!r}"
            )
        if not 1 <= self.repeat <= 3:
            raise VoiceSettingsError(f"LOKET_VOICE_REPEAT must be 1, 2 or 3, got {self.repeat!r}")
        if not 80 <= self.speed <= 300:
            raise VoiceSettingsError(
                f"LOKET_VOICE_SPEED must be between 80 and 300, got {self.speed!r}"
            )
        if not 1 <= self.cache_max_mb <= 10_000:
            raise VoiceSettingsError(
                f"LOKET_VOICE_CACHE_MAX_MB must be between 1 and 10000, got {self.cache_max_mb!r}"
            )
        name = self.engine
        if name not in ("auto", "library", "program") and ":" not in name:
            raise VoiceSettingsError(
                "LOKET_VOICE_ENGINE must be auto, library, program or package.module:factory, "
                f"got {name!r}"
            )


def load_settings(environ: Mapping[str, str] | None = None) -> VoiceSettings:
    """Read LOKET_VOICE_VOLUME, _REPEAT, _SPEED, _CACHE_DIR, _CACHE_MAX_MB, _ENGINE, _PACK_DIR."""
    env = os.environ if environ is None else environ
    kwargs: dict[str, object] = {}

    raw = env.get("LOKET_VOICE_VOLUME", "").strip()
    if raw:
        try:
            volume = float(raw)
        except ValueError:
            raise VoiceSettingsError(
                f"LOKET_VOICE_VOLUME must be a number between 0.0 and 1.0, got {raw!r}"
            ) from None
        if math.isnan(volume):
            raise VoiceSettingsError("LOKET_VOICE_VOLUME must not be NaN")
        kwargs["volume"] = volume

    for name, key in (
        ("LOKET_VOICE_REPEAT", "repeat"),
        ("LOKET_VOICE_SPEED", "speed"),
        ("LOKET_VOICE_CACHE_MAX_MB", "cache_max_mb"),
    ):
        raw = env.get(name, "").strip()
        if raw:
            try:
                kwargs[key] = int(raw)
            except ValueError:
                raise VoiceSettingsError(f"{name} must be a whole number, got {raw!r}") from None

    raw = env.get("LOKET_VOICE_CACHE_DIR", "").strip()
    if raw:
        kwargs["cache_dir"] = Path(raw)
    raw = env.get("LOKET_VOICE_ENGINE", "").strip()
    if raw:
        kwargs["engine"] = raw
    raw = env.get("LOKET_VOICE_PACK_DIR", "").strip()
    if raw:
        pack = Path(raw)
        if not pack.is_dir():
            raise VoiceSettingsError(f"LOKET_VOICE_PACK_DIR {raw!r} is not a folder")
        kwargs["pack_dir"] = pack

    return VoiceSettings(**kwargs)  # type: ignore[arg-type]
