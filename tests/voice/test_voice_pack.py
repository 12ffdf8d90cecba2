"""A recorded-voice pack: used when present, checked by `loket voice check-pack`."""

from __future__ import annotations

import io
import subprocess
import sys
import wave
from array import array
from pathlib import Path

import pytest

from voice import VoiceSettings, call_wav, say_wav
from voice.audio import read_wav
from voice.engines import LibraryEngine
from voice.pack import check_pack

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]


def recording(pcm_22k: bytes, rate: int = 44100) -> bytes:
    """What an office records: 44.1 kHz stereo, with a little silence around the words."""
    mono = array("h")
    mono.frombytes(pcm_22k)
    quiet = [0] * 4410
    up = [s for s in mono for _ in range(2)]  # 22050 → 44100
    frames = array("h", [v for s in quiet + up + quiet for v in (s, s)])
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(frames.tobytes())
    return buf.getvalue()


@pytest.fixture
def pack(tmp_path) -> Path:
    folder = tmp_path / "pack"
    folder.mkdir()
    # The "office" records two segments (here: said slower by the engine, then resampled).
    slow = VoiceSettings(speed=100, cache_dir=tmp_path / "rec-cache")
    for key, text in (("nomor_antrean", "Nomor antrean"), ("loket_2", "dua")):
        pcm, *_ = read_wav(say_wav(text, slow))
        (folder / f"{key}.wav").write_bytes(recording(pcm))
    return folder


def test_recorded_segments_replace_the_engine_when_present(pack, tmp_path, monkeypatch):
    asked: list[str] = []
    real = LibraryEngine.synthesize
    monkeypatch.setattr(
        LibraryEngine, "synthesize", lambda self, text, speed: asked.append(text) or real(
            self, text, speed)
    )
    plain = call_wav("A001", 2, VoiceSettings(cache_dir=tmp_path / "c1"))
    packed = call_wav("A001", 2, VoiceSettings(cache_dir=tmp_path / "c2", pack_dir=pack))
    assert "Nomor antrean" in asked and asked.count("dua") == 1  # only the plain call asked
    assert asked.count("Nomor antrean") == 1
    assert packed != plain
    # The slower recording makes the call longer.
    assert len(read_wav(packed)[0]) > len(read_wav(plain)[0])


def test_the_checker_lists_recorded_missing_and_unusable_files(pack):
    (pack / "huruf_b.wav").write_bytes(recording(bytes(22050 * 2)))  # silent
    (pack / "huruf_c.wav").write_bytes(b"not a wav")
    (pack / "musik.wav").write_bytes(recording(bytes(200)))
    report = check_pack(pack, max_counter=5)
    assert report.present == ["nomor_antrean", "loket_2"]
    assert "silakan_menuju_loket" in report.missing and "angka_0" in report.missing
    assert any(p.startswith("huruf_b.wav: silent") for p in report.problems)
    assert any(p.startswith("huruf_c.wav: not a PCM WAV") for p in report.problems)
    assert report.unknown == ["musik.wav"]
    assert not report.ok

    result = subprocess.run(
        [sys.executable, "-m", "loket", "voice", "check-pack", str(pack), "--counters", "5"],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=False,
    )
    assert result.returncode == 1
    assert "recorded: 2" in result.stdout and "UNUSABLE huruf_c.wav" in result.stderr


def test_a_clean_pack_passes_the_checker(pack):
    result = subprocess.run(
        [sys.executable, "-m", "loket", "voice", "check-pack", str(pack)],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "missing (engine speaks it): chime.wav" in result.stdout


def test_the_segment_list_is_documented_by_the_cli():
    result = subprocess.run(
        [sys.executable, "-m", "loket", "voice", "segments", "--counters", "12"],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=True,
    )
    lines = result.stdout.splitlines()
    assert "nomor_antrean.wav\tNomor antrean" in lines
    assert "huruf_q.wav\tki" in lines and "angka_0.wav\tnol" in lines
    assert "loket_12.wav\tdua belas" in lines and len(lines) == 3 + 26 + 10 + 12
