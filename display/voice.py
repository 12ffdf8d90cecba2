"""Offline spoken calls for the waiting-room TV: phrase, chime, espeak-ng speech, WAV cache.

Plain Python (no Flask). Every sound is made on this machine: the chime is synthesised from
sine tones, the speech by espeak-ng's Indonesian voice in a subprocess. Nothing is downloaded.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import math
import os
import shutil
import subprocess
import tempfile
import wave
from array import array
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from num2words import num2words

logger = logging.getLogger(__name__)

SAMPLE_RATE = 22050
SAMPLE_WIDTH = 2  # bytes, signed 16-bit little-endian
CHANNELS = 1

ESPEAK_BINARY = "espeak-ng"
ESPEAK_VOICE = "id"
ESPEAK_TIMEOUT_SECONDS = 20

# Bump when the audio layout changes so stale cache entries are never served.
CACHE_FORMAT_VERSION = 1

DEFAULT_CACHE_DIR = "var/voice-cache"
DEFAULT_VOLUME = 1.0
DEFAULT_REPEAT = 1
MAX_REPEAT_WITH_RECALL = 4  # LOKET_VOICE_REPEAT (max 3) plus one for a recall
DEFAULT_SPEED = 140  # words per minute; slower than espeak's 175 so a hall can follow it


class VoiceError(RuntimeError):
    """Speech could not be produced (espeak-ng missing, failed or timed out)."""


class VoiceSettingsError(ValueError):
    """A LOKET_VOICE_* setting has a value outside its allowed range."""


@dataclass(frozen=True)
class VoiceSettings:
    volume: float = DEFAULT_VOLUME
    repeat: int = DEFAULT_REPEAT
    cache_dir: Path = Path(DEFAULT_CACHE_DIR)
    speed: int = DEFAULT_SPEED

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


def load_settings(environ: Mapping[str, str] | None = None) -> VoiceSettings:
    """Read LOKET_VOICE_VOLUME, _REPEAT, _SPEED and _CACHE_DIR strictly; bad values raise."""
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

    for name, key in (("LOKET_VOICE_REPEAT", "repeat"), ("LOKET_VOICE_SPEED", "speed")):
        raw = env.get(name, "").strip()
        if raw:
            try:
                kwargs[key] = int(raw)
            except ValueError:
                raise VoiceSettingsError(f"{name} must be a whole number, got {raw!r}") from None

    raw = env.get("LOKET_VOICE_CACHE_DIR", "").strip()
    if raw:
        kwargs["cache_dir"] = Path(raw)

    return VoiceSettings(**kwargs)  # type: ignore[arg-type]


# --- the phrase ----------------------------------------------------------------------------


def call_phrase(number: str, counter_number: int) -> str:
    """'Nomor antrean C nol nol tujuh, silakan menuju loket dua' (never a visitor's name)."""
    if not number or not number.isalnum() or not number.isascii():
        raise ValueError(f"ticket number must be letters and digits, got {number!r}")
    if isinstance(counter_number, bool) or not isinstance(counter_number, int):
        raise ValueError(f"counter number must be an integer, got {counter_number!r}")
    if counter_number < 1:
        raise ValueError(f"counter number must be positive, got {counter_number!r}")
    spoken = [num2words(int(ch), lang="id") if ch.isdigit() else ch.upper() for ch in number]
    counter = num2words(counter_number, lang="id")
    return f"Nomor antrean {' '.join(spoken)}, silakan menuju loket {counter}"


# --- PCM helpers ---------------------------------------------------------------------------


def _pcm_to_wav(pcm: bytes) -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(CHANNELS)
        w.setsampwidth(SAMPLE_WIDTH)
        w.setframerate(SAMPLE_RATE)
        w.writeframes(pcm)
    return buf.getvalue()


def _silence(seconds: float) -> bytes:
    return bytes(int(SAMPLE_RATE * seconds) * SAMPLE_WIDTH)


def _scale(pcm: bytes, factor: float) -> bytes:
    if factor == 1.0:
        return pcm
    samples = array("h")
    samples.frombytes(pcm)
    for i, s in enumerate(samples):
        samples[i] = max(-32768, min(32767, int(s * factor)))
    return samples.tobytes()


def _read_wav_pcm(data: bytes) -> tuple[bytes, int, int, int]:
    """PCM frames and (rate, channels, width) of a WAV; tolerates espeak's streaming header."""
    with wave.open(io.BytesIO(data), "rb") as w:
        rate, channels, width = w.getframerate(), w.getnchannels(), w.getsampwidth()
        # espeak-ng --stdout cannot seek back, so its header claims ~2**30 frames;
        # reading "all" frames returns what is really there.
        pcm = w.readframes(w.getnframes())
    return pcm, rate, channels, width


# --- the chime -----------------------------------------------------------------------------


def chime_pcm(volume: float = 1.0) -> bytes:
    """A three-note 'ding-dong-dong' (G5, E5, C5) of about one second, as raw PCM."""
    notes = ((783.99, 0.0), (659.25, 0.30), (523.25, 0.60))
    length = 1.0
    note_seconds = 0.55
    total = int(SAMPLE_RATE * length)
    mix = [0.0] * total
    for freq, start in notes:
        first = int(start * SAMPLE_RATE)
        for n in range(int(note_seconds * SAMPLE_RATE)):
            i = first + n
            if i >= total:
                break
            t = n / SAMPLE_RATE
            attack = min(1.0, t / 0.008)  # no click at the onset
            decay = math.exp(-t * 6.0)
            tone = math.sin(2 * math.pi * freq * t) + 0.25 * math.sin(4 * math.pi * freq * t)
            mix[i] += tone * attack * decay
    peak = max(abs(v) for v in mix) or 1.0
    gain = 0.6 * 32767 * volume / peak
    return array("h", (int(v * gain) for v in mix)).tobytes()


def chime_wav(volume: float = 1.0) -> bytes:
    """The chime as a WAV file: 22050 Hz, mono, 16-bit."""
    return _pcm_to_wav(chime_pcm(volume))


# --- speech --------------------------------------------------------------------------------


def espeak_command(text: str, *, speed: int = DEFAULT_SPEED, amplitude: int = 100) -> list[str]:
    binary = shutil.which(ESPEAK_BINARY)
    if binary is None:
        raise VoiceError("espeak-ng is not installed (apt install espeak-ng)")
    return [
        binary,
        "-v",
        ESPEAK_VOICE,
        "-s",
        str(speed),
        "-a",
        str(amplitude),
        "--stdout",
        text,
    ]


def _convert_with_sox(data: bytes) -> bytes:
    sox = shutil.which("sox")
    if sox is None:
        raise VoiceError("espeak-ng output is not 22050 Hz mono 16-bit and sox is not installed")
    result = subprocess.run(
        [sox, "-t", "wav", "-", "-t", "wav", "-r", str(SAMPLE_RATE), "-c", "1", "-b", "16", "-"],
        input=data,
        capture_output=True,
        timeout=ESPEAK_TIMEOUT_SECONDS,
        check=False,
    )
    if result.returncode != 0:
        raise VoiceError(f"sox failed: {result.stderr.decode(errors='replace').strip()}")
    return result.stdout


def synthesize(text: str, *, speed: int = DEFAULT_SPEED, amplitude: int = 100) -> bytes:
    """Speak `text` with espeak-ng's Indonesian voice; a WAV at 22050 Hz mono 16-bit."""
    cmd = espeak_command(text, speed=speed, amplitude=amplitude)
    try:
        result = subprocess.run(
            cmd, capture_output=True, timeout=ESPEAK_TIMEOUT_SECONDS, check=False
        )
    except subprocess.TimeoutExpired:
        raise VoiceError(f"espeak-ng took longer than {ESPEAK_TIMEOUT_SECONDS} s") from None
    except OSError as exc:
        raise VoiceError(f"espeak-ng could not be started: {exc}") from exc
    if result.returncode != 0 or not result.stdout:
        stderr = result.stderr.decode(errors="replace").strip()
        raise VoiceError(f"espeak-ng failed (exit {result.returncode}): {stderr}")
    data = result.stdout
    pcm, rate, channels, width = _read_wav_pcm(data)
    if (rate, channels, width) != (SAMPLE_RATE, CHANNELS, SAMPLE_WIDTH):
        pcm, *_ = _read_wav_pcm(_convert_with_sox(data))
    return _pcm_to_wav(pcm)


# --- the announcement ----------------------------------------------------------------------


def _cache_key(phrase: str, repeat: int, volume: float, speed: int) -> str:
    payload = json.dumps(
        {
            "v": CACHE_FORMAT_VERSION,
            "phrase": phrase,
            "repeat": repeat,
            "volume": round(volume, 3),
            "speed": speed,
            "voice": ESPEAK_VOICE,
            "rate": SAMPLE_RATE,
        },
        sort_keys=True,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def announcement_wav(
    number: str,
    counter_number: int,
    *,
    repeat: int = 1,
    volume: float = 1.0,
    speed: int = DEFAULT_SPEED,
    cache_dir: str | os.PathLike[str] | None = None,
) -> bytes:
    """Chime, then the call phrase `repeat` times with a pause; one WAV, cached on disk.

    A second call with the same phrase and settings reads the cache and runs no synthesis.
    """
    # Validate through the settings type so the API and the env share one set of limits.
    VoiceSettings(volume=volume, speed=speed)
    if not 1 <= repeat <= MAX_REPEAT_WITH_RECALL:
        raise ValueError(f"repeat must be 1 to {MAX_REPEAT_WITH_RECALL}, got {repeat!r}")
    phrase = call_phrase(number, counter_number)
    directory = Path(cache_dir if cache_dir is not None else DEFAULT_CACHE_DIR)
    path = directory / f"{_cache_key(phrase, repeat, volume, speed)}.wav"
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass

    speech_pcm, *_ = _read_wav_pcm(synthesize(phrase, speed=speed, amplitude=100))
    speech_pcm = _scale(speech_pcm, volume)
    parts = [chime_pcm(volume), _silence(0.3)]
    for i in range(repeat):
        if i:
            parts.append(_silence(0.8))
        parts.append(speech_pcm)
    parts.append(_silence(0.4))
    data = _pcm_to_wav(b"".join(parts))

    directory.mkdir(parents=True, exist_ok=True)
    # Write-then-rename so a concurrent reader never sees half a file.
    fd, tmp = tempfile.mkstemp(dir=directory, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    logger.info("voice: synthesised announcement %s for counter %s", number, counter_number)
    return data
