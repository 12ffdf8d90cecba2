"""Kiosk settings, read from the environment and parsed strictly."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

PRINTER_KINDS = ("file", "network", "usb", "none")
AUDIO_KINDS = ("kivy", "record", "none")
PLATFORMS = ("auto", "desktop", "android")
ANDROID_PRINTERS = ("network", "none")
LANGUAGES = ("id", "en")
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


class SettingsError(ValueError):
    """A kiosk environment variable holds a value the kiosk cannot use."""


@dataclass(frozen=True)
class KioskSettings:
    server_url: str = "http://127.0.0.1:8000"
    token: str = ""
    printer: str = "file"
    printer_host: str = ""
    printer_port: int = 9100
    printer_file: Path = Path("var/kiosk-printer.bin")
    idle_seconds: float = 60.0
    fullscreen: bool = False
    language: str = "id"
    voice: bool = True  # speak each screen's prompt; the visitor can silence it
    audio: str = "kivy"
    dpi: float = 96.0  # of the kiosk's screen: touch targets are checked at >= 15 mm here
    large_text: bool = False  # start in large text + high contrast
    platform: str = "auto"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> KioskSettings:
        env = os.environ if environ is None else environ

        def get(name: str) -> str | None:
            value = env.get(name)
            return None if value is None or value.strip() == "" else value.strip()

        defaults = cls()
        server_url = get("LOKET_KIOSK_SERVER_URL") or defaults.server_url
        parsed = urlparse(server_url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise SettingsError(
                f"LOKET_KIOSK_SERVER_URL must be an http(s) URL, got {server_url!r}"
            )
        printer = (get("LOKET_KIOSK_PRINTER") or defaults.printer).lower()
        if printer not in PRINTER_KINDS:
            raise SettingsError(
                f"LOKET_KIOSK_PRINTER must be one of {', '.join(PRINTER_KINDS)}, got {printer!r}"
            )
        host = get("LOKET_KIOSK_PRINTER_HOST") or ""
        if printer == "network" and not host:
            raise SettingsError(
                "LOKET_KIOSK_PRINTER_HOST is required when LOKET_KIOSK_PRINTER=network"
            )
        port = _int(get("LOKET_KIOSK_PRINTER_PORT"), "LOKET_KIOSK_PRINTER_PORT", 9100)
        if not 1 <= port <= 65535:
            raise SettingsError(f"LOKET_KIOSK_PRINTER_PORT must be 1-65535, got {port}")
        idle = _float(get("LOKET_KIOSK_IDLE_SECONDS"), "LOKET_KIOSK_IDLE_SECONDS", 60.0)
        if idle <= 0:
            raise SettingsError(f"LOKET_KIOSK_IDLE_SECONDS must be positive, got {idle}")
        language = (get("LOKET_KIOSK_LANGUAGE") or defaults.language).lower()
        if language not in LANGUAGES:
            raise SettingsError(f"LOKET_KIOSK_LANGUAGE must be 'id' or 'en', got {language!r}")
        extra = _accessibility(get)
        if extra["platform"] == "android" and get("LOKET_KIOSK_PRINTER") is None:
            printer = "none"  # a tablet has no file printer; a network one must be named
        if extra["platform"] == "android" and printer not in ANDROID_PRINTERS:
            raise SettingsError(
                f"LOKET_KIOSK_PRINTER={printer} is not available on Android: use network or none"
            )
        return cls(
            server_url=server_url.rstrip("/"),
            token=get("LOKET_KIOSK_TOKEN") or "",
            printer=printer,
            printer_host=host,
            printer_port=port,
            printer_file=Path(get("LOKET_KIOSK_PRINTER_FILE") or defaults.printer_file),
            idle_seconds=idle,
            fullscreen=_bool(get("LOKET_KIOSK_FULLSCREEN"), "LOKET_KIOSK_FULLSCREEN", False),
            language=language,
            **extra,
        )


def _accessibility(get: Any) -> dict[str, Any]:
    """LOKET_KIOSK_VOICE, _AUDIO, _DPI, _LARGE_TEXT and _PLATFORM, parsed strictly."""
    audio = (get("LOKET_KIOSK_AUDIO") or "kivy").lower()
    if audio not in AUDIO_KINDS:
        raise SettingsError(f"LOKET_KIOSK_AUDIO must be one of {', '.join(AUDIO_KINDS)}, "
                            f"got {audio!r}")
    platform = (get("LOKET_KIOSK_PLATFORM") or "auto").lower()
    if platform not in PLATFORMS:
        raise SettingsError(f"LOKET_KIOSK_PLATFORM must be one of {', '.join(PLATFORMS)}, "
                            f"got {platform!r}")
    if platform == "auto" and "ANDROID_ARGUMENT" in os.environ:
        platform = "android"
    try:
        dpi = float(get("LOKET_KIOSK_DPI") or 96.0)
    except ValueError:
        raise SettingsError(f"LOKET_KIOSK_DPI must be a number, got {get('LOKET_KIOSK_DPI')!r}")\
            from None
    if not 50 <= dpi <= 600:
        raise SettingsError(f"LOKET_KIOSK_DPI must be between 50 and 600, got {dpi}")
    return {
        "voice": _bool(get("LOKET_KIOSK_VOICE"), "LOKET_KIOSK_VOICE", True),
        "audio": audio,
        "dpi": dpi,
        "large_text": _bool(get("LOKET_KIOSK_LARGE_TEXT"), "LOKET_KIOSK_LARGE_TEXT", False),
        "platform": platform,
    }


def _bool(raw: str | None, name: str, default: bool) -> bool:
    if raw is None:
        return default
    if raw.lower() in _TRUE:
        return True
    if raw.lower() in _FALSE:
        return False
    raise SettingsError(f"{name} must be a boolean (true/false, 1/0, yes/no), got {raw!r}")


def _int(raw: str | None, name: str, default: int) -> int:
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be an integer, got {raw!r}") from None


def _float(raw: str | None, name: str, default: float) -> float:
    if raw is None:
        return default
    try:
        return float(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number of seconds, got {raw!r}") from None
