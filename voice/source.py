"""Where segment audio comes from: a recorded pack, an in-memory cache, a bounded disk cache,
and only then the speech engine. A repeated call is a few dictionary look-ups and a join."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import threading
import wave
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

from voice import audio
from voice.engines import Engine, VoiceError, make_engine
from voice.segments import CHIME, Part, Segment
from voice.settings import VoiceSettings

logger = logging.getLogger(__name__)

# Bump when the audio layout changes so stale cache entries are never served.
CACHE_FORMAT_VERSION = 2
MEMORY_ENTRIES = 512


class SegmentSource:
    """PCM for segments under one VoiceSettings; safe to share between threads."""

    def __init__(self, settings: VoiceSettings, engine: Engine | None = None) -> None:
        self.settings = settings
        self._engine = engine
        self._memory: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()
        self.syntheses = 0  # how many times the engine actually ran (tests, benchmarks)

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = make_engine(self.settings.engine)
        return self._engine

    # -- public ----------------------------------------------------------------------------
    def render(self, parts: list[Part]) -> bytes:
        """The parts as one PCM stream at the settings' volume."""
        chunks = [
            audio.silence(p) if isinstance(p, float) else self.segment(p) for p in parts
        ]
        return audio.scale(b"".join(chunks), self.settings.volume)

    def segment(self, seg: Segment) -> bytes:
        recorded = self._from_pack(seg)
        if recorded is not None:
            return recorded
        if seg == CHIME:
            key = f"chime-v{CACHE_FORMAT_VERSION}"
            return self._remember(key, lambda: self._from_disk_or(key, audio.chime_pcm))
        return self.text(seg.text)

    def text(self, text: str) -> bytes:
        """Speech for `text`, trimmed of leading/trailing silence, cached by text."""
        key = self._key(text)
        return self._remember(key, lambda: self._from_disk_or(key, lambda: self._speak(text)))

    # -- the layers ------------------------------------------------------------------------
    def _remember(self, key: str, make: Callable[[], bytes]) -> bytes:
        with self._lock:
            if key in self._memory:
                self._memory.move_to_end(key)
                return self._memory[key]
        pcm = make()
        with self._lock:
            self._memory[key] = pcm
            while len(self._memory) > MEMORY_ENTRIES:
                self._memory.popitem(last=False)
        return pcm

    def _from_pack(self, seg: Segment) -> bytes | None:
        if self.settings.pack_dir is None:
            return None
        path = Path(self.settings.pack_dir) / f"{seg.key}.wav"
        try:
            stamp = path.stat().st_mtime_ns
        except OSError:
            return None
        return self._remember(
            f"pack:{path}:{stamp}", lambda: audio.trim(audio.to_house_format(path.read_bytes()))
        )

    def _from_disk_or(self, key: str, make: Callable[[], bytes]) -> bytes:
        path = Path(self.settings.cache_dir) / f"{key}.wav"
        try:
            pcm, *_ = audio.read_wav(path.read_bytes())
            os.utime(path)  # recently used: pruned last
            return pcm
        except (OSError, EOFError, wave.Error):
            pass
        pcm = make()
        self._store(path, audio.pcm_to_wav(pcm))
        return pcm

    def _speak(self, text: str) -> bytes:
        try:
            raw = self.engine.synthesize(text, self.settings.speed)
        except VoiceError:
            raise
        except Exception as exc:  # an office's own engine must not take the service down
            raise VoiceError(f"voice engine failed: {exc}") from exc
        self.syntheses += 1
        pcm = audio.trim(raw)
        if not pcm:
            raise VoiceError(f"the voice engine produced silence for {text!r}")
        return pcm

    def _key(self, text: str) -> str:
        payload = json.dumps(
            {
                "v": CACHE_FORMAT_VERSION,
                "engine": getattr(self.engine, "name", "custom"),
                "speed": self.settings.speed,
                "text": text,
                "rate": audio.SAMPLE_RATE,
            },
            sort_keys=True,
        )
        return hashlib.sha256(payload.encode()).hexdigest()

    def _store(self, path: Path, data: bytes) -> None:
        directory = path.parent
        try:
            directory.mkdir(parents=True, exist_ok=True)
            # Write-then-rename so a concurrent reader never sees half a file.
            fd, tmp = tempfile.mkstemp(dir=directory, suffix=".tmp")
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except OSError:
            logger.warning("voice: cache dir %s not writable; speaking uncached", directory)
            return
        prune(directory, self.settings.cache_max_mb * 1024 * 1024)


def prune(directory: Path, max_bytes: int) -> int:
    """Delete least recently used cache files until the folder holds at most `max_bytes`."""
    entries = []
    for entry in directory.glob("*.wav"):
        try:
            st = entry.stat()
        except OSError:
            continue
        entries.append((st.st_mtime, st.st_size, entry))
    total = sum(size for _, size, _ in entries)
    removed = 0
    for _mtime, size, entry in sorted(entries):
        if total <= max_bytes:
            break
        entry.unlink(missing_ok=True)
        total -= size
        removed += 1
    return removed


_sources: dict[VoiceSettings, SegmentSource] = {}
_sources_lock = threading.Lock()


def source_for(settings: VoiceSettings) -> SegmentSource:
    """One shared source per settings, so every request of a process shares the memory cache."""
    with _sources_lock:
        if settings not in _sources:
            _sources[settings] = SegmentSource(settings)
        return _sources[settings]
