"""Speech engines: text in, 22050 Hz mono 16-bit PCM out. Offline, pluggable.

- ``library`` (the default): libespeak-ng and its Indonesian data shipped inside the
  ``espeakng-loader`` wheel, driven through ctypes; nothing to install beyond ``pip``.
- ``program``: the system ``espeak-ng`` program (apt install espeak-ng) in a subprocess.
- ``package.module:factory``: an office's own offline voice; ``factory()`` returns an object
  with ``name`` and ``synthesize(text, speed) -> bytes`` (PCM in the house format).
"""

from __future__ import annotations

import ctypes
import importlib
import logging
import os
import shutil
import subprocess
import threading
from typing import Any, Protocol

from voice.audio import SAMPLE_RATE, read_wav, to_house_format

logger = logging.getLogger(__name__)

VOICE = "id"
TIMEOUT_SECONDS = 20
ENGINE_NAMES = ("auto", "library", "program")


class VoiceError(RuntimeError):
    """Speech could not be produced (engine missing, failed or timed out)."""


class Engine(Protocol):
    name: str

    def synthesize(self, text: str, speed: int) -> bytes: ...


# --- libespeak-ng through ctypes -----------------------------------------------------------

_AUDIO_OUTPUT_SYNCHRONOUS = 2
_POS_CHARACTER = 1
_CHARS_UTF8 = 1
_PARAM_RATE = 1
_CALLBACK = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p
)


class LibraryEngine:
    """libespeak-ng in this process; one synthesis at a time (the library keeps global state)."""

    name = "library"
    _lock = threading.Lock()
    _lib: Any = None
    _pid: int | None = None
    _chunks: list[bytes] = []
    _callback: Any = None

    def synthesize(self, text: str, speed: int) -> bytes:
        data = text.encode("utf-8")
        with self._lock:
            lib = self._load()
            LibraryEngine._chunks = []
            lib.espeak_SetParameter(_PARAM_RATE, int(speed), 0)
            status = lib.espeak_Synth(
                data, len(data) + 1, 0, _POS_CHARACTER, 0, _CHARS_UTF8, None, None
            )
            lib.espeak_Synchronize()
            pcm = b"".join(LibraryEngine._chunks)
            LibraryEngine._chunks = []
        if status != 0 or not pcm:
            raise VoiceError(f"libespeak-ng produced no speech (status {status})")
        return pcm

    @classmethod
    def _load(cls) -> Any:
        # A forked worker (gunicorn) must initialise its own copy of the library state.
        if cls._lib is not None and cls._pid == os.getpid():
            return cls._lib
        try:
            import espeakng_loader
        except ImportError as exc:
            raise VoiceError("the espeakng-loader package is not installed") from exc
        try:
            lib = ctypes.CDLL(espeakng_loader.get_library_path())
            data_path = espeakng_loader.get_data_path()
        except (OSError, RuntimeError) as exc:
            raise VoiceError(f"libespeak-ng could not be loaded: {exc}") from exc
        lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        lib.espeak_Synth.argtypes = [
            ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int,
            ctypes.c_uint, ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p,
        ]
        lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        rate = lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0, data_path.encode(), 0)
        if rate != SAMPLE_RATE:
            raise VoiceError(f"libespeak-ng initialised at {rate} Hz, expected {SAMPLE_RATE}")
        cls._callback = _CALLBACK(cls._collect)  # kept referenced for the library's lifetime
        lib.espeak_SetSynthCallback(cls._callback)
        if lib.espeak_SetVoiceByName(VOICE.encode()) != 0:
            raise VoiceError(f"libespeak-ng has no '{VOICE}' voice")
        cls._lib, cls._pid = lib, os.getpid()
        return lib

    @staticmethod
    def _collect(wav: Any, count: int, _events: Any) -> int:
        if count > 0:
            LibraryEngine._chunks.append(ctypes.string_at(wav, count * 2))
        return 0


# --- the espeak-ng program -----------------------------------------------------------------


class ProgramEngine:
    """The system espeak-ng in a subprocess (the round-1 engine, kept as an option)."""

    name = "program"
    binary = "espeak-ng"

    def synthesize(self, text: str, speed: int) -> bytes:
        path = shutil.which(self.binary)
        if path is None:
            raise VoiceError("espeak-ng is not installed (apt install espeak-ng)")
        cmd = [path, "-v", VOICE, "-s", str(speed), "-a", "100", "--stdout", text]
        try:
            result = subprocess.run(cmd, capture_output=True, timeout=TIMEOUT_SECONDS, check=False)
        except subprocess.TimeoutExpired:
            raise VoiceError(f"espeak-ng took longer than {TIMEOUT_SECONDS} s") from None
        except OSError as exc:
            raise VoiceError(f"espeak-ng could not be started: {exc}") from exc
        if result.returncode != 0 or not result.stdout:
            stderr = result.stderr.decode(errors="replace").strip()
            raise VoiceError(f"espeak-ng failed (exit {result.returncode}): {stderr}")
        _pcm, rate, channels, width = read_wav(result.stdout)
        if (rate, channels, width) == (SAMPLE_RATE, 1, 2):
            return _pcm
        return to_house_format(result.stdout)


# --- choosing ------------------------------------------------------------------------------


def library_available() -> bool:
    try:
        import espeakng_loader
    except ImportError:
        return False
    return os.path.exists(espeakng_loader.get_library_path())


def make_engine(name: str = "auto") -> Engine:
    """The engine LOKET_VOICE_ENGINE names; ``auto`` prefers the wheel, then the program."""
    if name == "library" or (name == "auto" and library_available()):
        return LibraryEngine()
    if name in ("program", "auto"):
        return ProgramEngine()
    module_name, _, attr = name.partition(":")
    if not module_name or not attr:
        raise ValueError(
            "LOKET_VOICE_ENGINE must be auto, library, program or package.module:factory, "
            f"got {name!r}"
        )
    try:
        factory = getattr(importlib.import_module(module_name), attr)
    except (ImportError, AttributeError) as exc:
        raise ValueError(f"LOKET_VOICE_ENGINE {name!r} cannot be loaded: {exc}") from exc
    engine: Engine = factory()
    return engine
