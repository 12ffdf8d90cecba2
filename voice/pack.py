"""The recorded-voice pack: an office's own recordings of the call's segments, checked."""

from __future__ import annotations

import wave
from dataclasses import dataclass, field
from pathlib import Path

from voice import audio
from voice.segments import pack_segments

MAX_SEGMENT_SECONDS = 4.0
MIN_RMS = 300.0  # quieter than this is a recording that a hall will not hear


@dataclass
class PackReport:
    present: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # "<file>: <what is wrong>"
    unknown: list[str] = field(default_factory=list)  # files no call uses

    @property
    def ok(self) -> bool:
        return not self.problems


def check_pack(directory: Path, max_counter: int = 20) -> PackReport:
    """Which segments are recorded, which fall back to the engine, and which files are unusable."""
    report = PackReport()
    wanted = {seg.key for seg in pack_segments(max_counter)}
    for seg in pack_segments(max_counter):
        path = directory / f"{seg.key}.wav"
        if not path.is_file():
            report.missing.append(seg.key)
            continue
        problem = _problem(path)
        if problem:
            report.problems.append(f"{path.name}: {problem}")
        else:
            report.present.append(seg.key)
    report.unknown = sorted(p.name for p in directory.glob("*.wav") if p.stem not in wanted)
    return report


def _problem(path: Path) -> str | None:
    try:
        pcm = audio.to_house_format(path.read_bytes())
    except (wave.Error, EOFError, ValueError) as exc:
        return f"not a PCM WAV file ({exc})"
    m = audio.measure(audio.trim(pcm))
    if m.seconds == 0 or m.rms < MIN_RMS:
        return "silent or too quiet"
    if m.seconds > MAX_SEGMENT_SECONDS:
        return f"{m.seconds:.1f} s long (at most {MAX_SEGMENT_SECONDS:.0f} s)"
    return None
