"""The voice from the Python environment alone: no espeak-ng program on the PATH."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import time
import wave
from array import array
from pathlib import Path

import pytest

from tests.support import require_binary
from voice import VoiceSettings, VoiceSettingsError, call_wav, load_settings, say_wav
from voice.audio import measure_wav
from voice.engines import LibraryEngine, ProgramEngine, make_engine
from voice.source import SegmentSource

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def no_espeak_program(tmp_path, monkeypatch):
    """A PATH on which no espeak-ng (nor anything else) can be found."""
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    assert shutil.which("espeak-ng") is None
    return str(empty)


def test_a_call_is_spoken_without_the_espeak_program(no_espeak_program, tmp_path):
    settings = VoiceSettings(cache_dir=tmp_path / "cache")
    assert isinstance(make_engine(settings.engine), LibraryEngine)
    heard = measure_wav(call_wav("A001", 2, settings))
    # Chime (1 s), "nomor antrean a nol nol satu, silakan menuju loket dua", pauses: 5-10 s.
    assert 5.0 <= heard.seconds <= 10.0
    assert heard.voiced_seconds >= 3.5
    assert 1500 <= heard.rms <= 12000 and heard.peak < 32767
    # A listener hears the parts apart: a pause after the chime, short ones between the
    # digits, a longer one before "silakan menuju loket".
    assert len(heard.pauses) >= 4
    assert max(heard.pauses) >= 0.3


def test_the_cli_renders_say_and_call_without_the_espeak_program(no_espeak_program, tmp_path):
    env = {"PATH": no_espeak_program, "LOKET_VOICE_CACHE_DIR": str(tmp_path / "cache"),
           "HOME": str(tmp_path)}
    call = tmp_path / "call.wav"
    said = tmp_path / "say.wav"
    for args, out in ((["call", "A001", "2"], call), (["say", "Silakan ambil tiket Anda"], said)):
        result = subprocess.run(
            [sys.executable, "-m", "loket", "voice", *args, "--out", str(out)],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
        )
        assert result.returncode == 0, result.stderr
        assert out.name in result.stdout and "RMS" in result.stdout
    assert measure_wav(call.read_bytes()).voiced_seconds >= 3.5
    assert 1.0 <= measure_wav(said.read_bytes()).voiced_seconds <= 4.0
    with wave.open(io.BytesIO(said.read_bytes())) as w:
        assert (w.getframerate(), w.getnchannels(), w.getsampwidth()) == (22050, 1, 2)


def test_a_bad_call_on_the_cli_is_a_clear_error(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "loket", "voice", "call", "A1", "2", "--out", str(tmp_path / "x")],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=False,
    )
    assert result.returncode != 0
    assert "ticket number" in result.stderr
    assert not (tmp_path / "x").exists()


def test_a_repeated_call_costs_almost_nothing(tmp_path):
    source = SegmentSource(VoiceSettings(cache_dir=tmp_path / "cache"))
    from voice.segments import call_parts

    started = time.perf_counter()
    first = source.render(call_parts("B123", 4))
    first_seconds = time.perf_counter() - started
    runs = source.syntheses
    started = time.perf_counter()
    second = source.render(call_parts("B123", 4))
    cached_seconds = time.perf_counter() - started
    assert first == second
    assert source.syntheses == runs  # nothing synthesised again
    assert cached_seconds < max(first_seconds / 3, 0.05)

    # A fresh process (new memory) reads the segments from disk, still without synthesis.
    again = SegmentSource(VoiceSettings(cache_dir=tmp_path / "cache"))
    assert again.render(call_parts("B123", 4)) == first
    assert again.syntheses == 0


def test_warming_the_cache_makes_the_first_call_of_the_day_free(no_espeak_program, tmp_path):
    env = {"PATH": no_espeak_program, "LOKET_VOICE_CACHE_DIR": str(tmp_path / "cache"),
           "HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "loket", "voice", "warm", "--counters", "4"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "43 segments ready" in result.stdout
    fresh = SegmentSource(VoiceSettings(cache_dir=tmp_path / "cache"))
    from voice.segments import call_parts

    fresh.render(call_parts("QZ9870", 4))
    assert fresh.syntheses == 0


def test_the_disk_cache_stays_within_its_size(tmp_path):
    cache = tmp_path / "cache"
    settings = VoiceSettings(cache_dir=cache, cache_max_mb=1)
    for n in range(40):  # ~40 × 60 KB of distinct speech
        say_wav(f"Pengumuman nomor {n}, kantor kecamatan buka pukul delapan pagi", settings)
    size = sum(p.stat().st_size for p in cache.glob("*.wav"))
    assert 0 < size <= 1024 * 1024
    assert len(list(cache.glob("*.wav"))) < 40


def test_the_system_program_stays_an_option(tmp_path):
    require_binary("espeak-ng")
    settings = VoiceSettings(engine="program", cache_dir=tmp_path / "cache")
    assert isinstance(make_engine("program"), ProgramEngine)
    assert measure_wav(call_wav("C007", 1, settings)).voiced_seconds >= 3.0


class ToneVoice:
    """An office's own engine, plugged in by LOKET_VOICE_ENGINE=module:factory."""

    name = "tone"

    def synthesize(self, text: str, speed: int) -> bytes:
        return array("h", [8000, -8000] * 2205 * max(1, len(text.split()))).tobytes()


def make_tone_voice() -> ToneVoice:
    return ToneVoice()


def test_an_office_can_plug_in_its_own_engine(tmp_path, monkeypatch):
    monkeypatch.setenv("LOKET_VOICE_ENGINE", "tests.voice.test_voice_offline:make_tone_voice")
    monkeypatch.setenv("LOKET_VOICE_CACHE_DIR", str(tmp_path / "cache"))
    settings = load_settings()
    heard = measure_wav(say_wav("satu dua tiga", settings))
    assert heard.seconds == pytest.approx(0.6, abs=0.05)  # 3 words × 0.2 s of tone


@pytest.mark.parametrize(
    ("name", "value", "field"),
    [
        ("LOKET_VOICE_ENGINE", "festival", "LOKET_VOICE_ENGINE"),
        ("LOKET_VOICE_CACHE_MAX_MB", "0", "LOKET_VOICE_CACHE_MAX_MB"),
        ("LOKET_VOICE_CACHE_MAX_MB", "banyak", "LOKET_VOICE_CACHE_MAX_MB"),
        ("LOKET_VOICE_PACK_DIR", "/no/such/folder", "LOKET_VOICE_PACK_DIR"),
    ],
)
def test_voice_settings_are_strict(name, value, field):
    with pytest.raises(VoiceSettingsError, match=field):
        load_settings({name: value})
