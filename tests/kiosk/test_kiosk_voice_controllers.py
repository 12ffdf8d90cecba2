"""The kiosk's spoken prompts, speaker and accessibility settings, without Kivy."""

from __future__ import annotations

import threading
import time

import pytest

from kiosk.controllers.prompts import screen_prompt, spoken_number, ticket_prompt
from kiosk.hardware.speech import RecordingAudio, Speaker
from kiosk.settings import KioskSettings, SettingsError
from voice import VoiceSettings, say_wav
from voice.audio import measure_wav

pytestmark = pytest.mark.unit


class Flow:
    closed_message = None
    service = {"code": "ektp", "name": "Permohonan e-KTP"}
    ticket = None
    services = [
        {"code": "ektp", "prefix": "C", "name": "Permohonan e-KTP", "open": True},
        {"code": "kk", "prefix": "D", "name": "Permohonan Kartu Keluarga", "open": False},
    ]


def test_ticket_numbers_are_spoken_letter_and_digit_by_digit():
    assert spoken_number("C007") == "ce, nol, nol, tujuh"
    assert spoken_number("KK1234") == "ka, ka, satu, dua, tiga, empat"


def test_every_screen_has_an_indonesian_prompt():
    flow = Flow()
    for screen in ("welcome", "services", "requirements", "identity", "consent", "questions",
                   "confirm"):
        assert len(screen_prompt(screen, flow)) > 20, screen
    services = screen_prompt("services", flow)
    assert "Permohonan e-KTP, huruf ce." in services
    assert "Kartu Keluarga" not in services  # closed services are not offered
    assert "Permohonan e-KTP" in screen_prompt("requirements", flow)


def test_the_ticket_prompt_says_number_and_counter_never_a_name_or_nik():
    ticket = {"number": "C007", "people_ahead": 3, "counter": None,
              "nik_masked": "3510••••••••0001", "visitor": {"name": "Siti Aminah"}}
    said = ticket_prompt(ticket)
    assert said.startswith("Nomor antrean Anda, ce, nol, nol, tujuh.")
    assert "3 orang di depan Anda" in said
    assert "Siti" not in said and "3510" not in said
    ticket["counter"] = {"id": 4, "number": 12, "name": "Loket 12"}
    assert ticket_prompt(ticket).endswith("Silakan menuju loket dua belas.")


def test_the_speaker_renders_offline_and_can_be_silenced(tmp_path):
    voice = VoiceSettings(cache_dir=tmp_path / "cache")
    audio = RecordingAudio(tmp_path / "audio")
    speaker = Speaker(lambda text: say_wav(text, voice), audio)
    try:
        speaker.say("Pilih layanan yang Anda perlukan.", "services")
        _wait(lambda: len(audio.played) == 1)
        heard = measure_wav(audio.played[0][1])
        assert heard.voiced_seconds > 1.0 and heard.rms > 800
        assert (tmp_path / "audio" / "001-services.wav").exists()

        speaker.set_enabled(False)
        speaker.say("Periksa data Anda.", "confirm")
        time.sleep(0.5)
        assert len(audio.played) == 1  # silenced: nothing played
        speaker.set_enabled(True)
        speaker.repeat()  # "Dengar lagi" says the current screen's prompt
        _wait(lambda: len(audio.played) == 2)
        assert audio.played[1][0] == "confirm"
    finally:
        speaker.close()


def test_a_voice_failure_never_stops_the_kiosk(tmp_path):
    audio = RecordingAudio(tmp_path / "audio")
    calls = threading.Event()

    def broken(text: str) -> bytes:
        calls.set()
        raise RuntimeError("no voice")

    speaker = Speaker(broken, audio)
    speaker.say("Halo", "welcome")
    assert calls.wait(5)
    speaker.close()
    assert audio.played == []


def test_accessibility_settings_are_parsed_strictly():
    default = KioskSettings.from_env({})
    assert (default.voice, default.audio, default.dpi, default.large_text) == (
        True, "kivy", 96.0, False)
    tablet = KioskSettings.from_env({"LOKET_KIOSK_PLATFORM": "android", "LOKET_KIOSK_DPI": "160"})
    assert (tablet.platform, tablet.printer, tablet.dpi) == ("android", "none", 160.0)
    for env, name in (
        ({"LOKET_KIOSK_VOICE": "kadang"}, "LOKET_KIOSK_VOICE"),
        ({"LOKET_KIOSK_DPI": "10"}, "LOKET_KIOSK_DPI"),
        ({"LOKET_KIOSK_DPI": "besar"}, "LOKET_KIOSK_DPI"),
        ({"LOKET_KIOSK_AUDIO": "bluetooth"}, "LOKET_KIOSK_AUDIO"),
        ({"LOKET_KIOSK_PLATFORM": "ios"}, "LOKET_KIOSK_PLATFORM"),
        ({"LOKET_KIOSK_PLATFORM": "android", "LOKET_KIOSK_PRINTER": "usb"}, "Android"),
    ):
        with pytest.raises(SettingsError, match=name):
            KioskSettings.from_env(env)


def _wait(predicate, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)
