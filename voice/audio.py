"""PCM arithmetic for spoken calls: one format (22050 Hz, mono, 16-bit), plain stdlib.

Everything here is deterministic and dependency-free, so the kiosk, the TV display, the tests
and the benchmarks measure sound the same way (duration, energy, pauses).
"""

from __future__ import annotations

import io
import math
import wave
from array import array
from dataclasses import dataclass

SAMPLE_RATE = 22050
SAMPLE_WIDTH = 2  # bytes, signed 16-bit little-endian
CHANNELS = 1


def pcm_to_wav(pcm: bytes, rate: int = SAMPLE_RATE) -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(CHANNELS)
        w.setsampwidth(SAMPLE_WIDTH)
        w.setframerate(rate)
        w.writeframes(pcm)
    return buf.getvalue()


def read_wav(data: bytes) -> tuple[bytes, int, int, int]:
    """PCM frames and (rate, channels, width); tolerates espeak's streaming header."""
    with wave.open(io.BytesIO(data), "rb") as w:
        rate, channels, width = w.getframerate(), w.getnchannels(), w.getsampwidth()
        # espeak-ng --stdout cannot seek back, so its header may claim ~2**30 frames;
        # reading "all" frames returns what is really there.
        pcm = w.readframes(w.getnframes())
    return pcm, rate, channels, width


def to_house_format(data: bytes) -> bytes:
    """Any PCM WAV (8/16/24/32-bit, mono/stereo, any rate) as 22050 Hz mono 16-bit PCM."""
    pcm, rate, channels, width = read_wav(data)
    samples = _to_int16(pcm, width)
    if channels > 1:
        samples = array(
            "h",
            (sum(samples[i : i + channels]) // channels for i in range(0, len(samples), channels)),
        )
    if rate != SAMPLE_RATE:
        samples = _resample(samples, rate, SAMPLE_RATE)
    return samples.tobytes()


def _to_int16(pcm: bytes, width: int) -> array:
    if width == 2:
        out = array("h")
        out.frombytes(pcm[: len(pcm) - len(pcm) % 2])
        return out
    if width == 1:  # unsigned 8-bit
        return array("h", ((b - 128) << 8 for b in pcm))
    if width in (3, 4):
        step = width
        return array(
            "h",
            (
                int.from_bytes(pcm[i + step - 2 : i + step], "little", signed=True)
                for i in range(0, len(pcm) - step + 1, step)
            ),
        )
    raise ValueError(f"unsupported sample width {width}")


def _resample(samples: array, source: int, target: int) -> array:
    """Linear interpolation: enough for speech recorded at 44.1/48 kHz played at 22.05 kHz."""
    if not samples:
        return array("h")
    count = max(1, int(len(samples) * target / source))
    ratio = source / target
    last = len(samples) - 1
    out = array("h", bytes(2 * count))
    for i in range(count):
        pos = i * ratio
        j = int(pos)
        if j >= last:
            out[i] = samples[last]
            continue
        frac = pos - j
        out[i] = int(samples[j] * (1 - frac) + samples[j + 1] * frac)
    return out


def silence(seconds: float) -> bytes:
    return bytes(int(SAMPLE_RATE * seconds) * SAMPLE_WIDTH)


def scale(pcm: bytes, factor: float) -> bytes:
    if factor == 1.0:
        return pcm
    samples = array("h")
    samples.frombytes(pcm)
    return array("h", (max(-32768, min(32767, int(s * factor))) for s in samples)).tobytes()


def trim(pcm: bytes, threshold: int = 300, keep_seconds: float = 0.02) -> bytes:
    """Cut leading and trailing near-silence so the call's own pauses set the pacing."""
    samples = array("h")
    samples.frombytes(pcm[: len(pcm) - len(pcm) % 2])
    block = 256  # scan in blocks with C builtins: this runs on the kiosk's UI machine too

    def loud(i: int) -> bool:
        chunk = samples[i : i + block]
        return max(chunk) > threshold or min(chunk) < -threshold

    blocks = range(0, len(samples), block)
    first = next((i for i in blocks if loud(i)), None)
    if first is None:
        return b""
    last = next(i for i in reversed(blocks) if loud(i))
    head, tail = samples[first : first + block], samples[last : last + block]
    start = first + next(j for j, s in enumerate(head) if abs(s) > threshold)
    end = last + max(j for j, s in enumerate(tail) if abs(s) > threshold)
    keep = int(SAMPLE_RATE * keep_seconds)
    start, end = max(0, start - keep), min(len(samples), end + 1 + keep)
    return samples[start:end].tobytes()


# --- the chime -----------------------------------------------------------------------------


def chime_pcm(volume: float = 1.0) -> bytes:
    """A three-note 'ding-dong-dong' (G5, E5, C5) of about one second, as raw PCM."""
    notes = ((783.99, 0.0), (659.25, 0.30), (523.25, 0.60))
    total = int(SAMPLE_RATE * 1.0)
    note_samples = int(0.55 * SAMPLE_RATE)
    mix = [0.0] * total
    for freq, start in notes:
        first = int(start * SAMPLE_RATE)
        for n in range(min(note_samples, total - first)):
            t = n / SAMPLE_RATE
            attack = min(1.0, t / 0.008)  # no click at the onset
            decay = math.exp(-t * 6.0)
            tone = math.sin(2 * math.pi * freq * t) + 0.25 * math.sin(4 * math.pi * freq * t)
            mix[first + n] += tone * attack * decay
    peak = max(abs(v) for v in mix) or 1.0
    gain = 0.6 * 32767 * volume / peak
    return array("h", (int(v * gain) for v in mix)).tobytes()


# --- listening by measuring ----------------------------------------------------------------


@dataclass(frozen=True)
class Measure:
    """What a listener would notice, in numbers: length, loudness, and where the pauses are."""

    seconds: float
    rms: float  # root mean square over the whole clip, 0..32767
    peak: int
    voiced_seconds: float  # time in 20 ms windows louder than the threshold
    pauses: tuple[float, ...]  # lengths of quiet gaps >= 0.1 s between sounds


def measure(pcm: bytes, window_seconds: float = 0.02, threshold: float = 500.0) -> Measure:
    samples = array("h")
    samples.frombytes(pcm)
    n = len(samples)
    if n == 0:
        return Measure(0.0, 0.0, 0, 0.0, ())
    rms = math.sqrt(sum(s * s for s in samples) / n)
    peak = max(abs(s) for s in samples)
    window = max(1, int(SAMPLE_RATE * window_seconds))
    loud: list[bool] = []
    for i in range(0, n, window):
        chunk = samples[i : i + window]
        loud.append(math.sqrt(sum(s * s for s in chunk) / len(chunk)) > threshold)
    pauses: list[float] = []
    gap = 0
    seen_sound = False
    for is_loud in loud:
        if is_loud:
            if seen_sound and gap * window_seconds >= 0.1:
                pauses.append(round(gap * window_seconds, 2))
            seen_sound, gap = True, 0
        else:
            gap += 1
    return Measure(
        seconds=n / SAMPLE_RATE,
        rms=rms,
        peak=peak,
        voiced_seconds=sum(loud) * window_seconds,
        pauses=tuple(pauses),
    )


def measure_wav(data: bytes) -> Measure:
    return measure(to_house_format(data))
