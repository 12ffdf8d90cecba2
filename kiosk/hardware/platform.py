"""Where the kiosk runs, plyer-style: storage paths, the audio output, the printers it can use.

The same kiosk code runs on a Linux or Windows PC (``desktop``) and on an Android tablet
(``android``); only this facade differs. ``LOKET_KIOSK_PLATFORM=auto`` picks Android when
Kivy reports it (python-for-android sets ``ANDROID_ARGUMENT``), else the desktop.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from kiosk.hardware.speech import AudioOut, make_audio

logger = logging.getLogger(__name__)
PLATFORMS = ("auto", "desktop", "android")


class DesktopPlatform:
    """A kiosk PC: files under the working folder's var/ (as the server), every printer kind."""

    name = "desktop"
    printers = ("file", "network", "usb", "none")

    def storage_dir(self) -> Path:
        return Path(os.environ.get("LOKET_KIOSK_DATA_DIR", "var")).resolve()

    def audio(self, kind: str) -> AudioOut:
        return make_audio(kind, self.storage_dir() / "kiosk-audio")


class AndroidPlatform:
    """An Android tablet: app-private storage; network ESC/POS printers (Wi-Fi or Ethernet).

    USB printing needs libusb, which Android apps cannot reach without a USB-host bridge, and
    python-escpos has no Android Bluetooth transport: those kinds are refused at start-up
    with a clear message instead of failing at the first ticket.
    """

    name = "android"
    printers = ("network", "none")

    def storage_dir(self) -> Path:
        try:
            from android.storage import app_storage_path  # python-for-android only

            return Path(app_storage_path())
        except ImportError:
            # Off-device (tests under Xvfb): Kivy's per-user data folder, as on a device.
            from kivy.app import App

            app = App.get_running_app()
            base = app.user_data_dir if app is not None else os.environ.get("KIVY_HOME", ".")
            return Path(base)

    def audio(self, kind: str) -> AudioOut:
        return make_audio(kind, self.storage_dir() / "kiosk-audio")


def detect(name: str = "auto") -> Any:
    if name == "android" or (name == "auto" and "ANDROID_ARGUMENT" in os.environ):
        return AndroidPlatform()
    return DesktopPlatform()
