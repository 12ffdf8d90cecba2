"""Android entry point (python-for-android starts main.py): the kiosk, nothing else.

A tablet has no shell to set LOKET_KIOSK_* variables in, so the build carries them in
`kiosk.env` (KEY=VALUE lines, written next to buildozer.spec before `buildozer android
debug`; see docs/kiosk.md, "Android tablet"). Variables already set win. On a PC use
`loket kiosk`.
"""

import os
from pathlib import Path


def load_env_file(path: Path) -> None:
    if not path.is_file():
        return
    for line in path.read_text(encoding="utf-8").splitlines():
        key, sep, value = line.strip().partition("=")
        if sep and key and not key.startswith("#"):
            os.environ.setdefault(key.strip(), value.strip())


if __name__ == "__main__":
    load_env_file(Path(__file__).with_name("kiosk.env"))
    from kiosk.app import run

    run()
