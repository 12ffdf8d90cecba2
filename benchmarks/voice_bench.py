"""Voice: how long until a call can be played, first time and cached.

Each "first call" runs in a fresh Python process with an empty cache folder, so it includes
loading libespeak-ng (or starting espeak-ng) and synthesising every segment of
"Nomor antrean A nol nol satu, silakan menuju loket dua". "From disk" is a fresh process whose
cache folder already holds the segments (the server after a restart). "Cached" is the same
call again in a warm process (memory), and "next number" is A002 to counter 2 right after
(a new call whose segments are all known: the hall's steady state). Times are wall-clock around
`voice.call_wav` only (imports excluded; they are reported apart).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import REPO, summary, table

CHILD = """
import json, sys, time
t0 = time.perf_counter()
from voice import VoiceSettings, call_wav
from pathlib import Path
t1 = time.perf_counter()
s = VoiceSettings(cache_dir=Path(sys.argv[1]), engine=sys.argv[2])
t2 = time.perf_counter(); call_wav("A001", 2, s); t3 = time.perf_counter()
hot = []
for _ in range(int(sys.argv[3])):
    a = time.perf_counter(); call_wav("A001", 2, s); hot.append(time.perf_counter() - a)
a = time.perf_counter(); call_wav("A002", 2, s); nxt = time.perf_counter() - a
print(json.dumps({"import": t1 - t0, "first": t3 - t2, "hot": hot, "next": nxt}))
"""


def _child(cache: Path, engine: str, hot: int) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(cache), engine, str(hot)],
        cwd=REPO, capture_output=True, text=True, timeout=300, check=True,
    ).stdout
    result: dict[str, object] = json.loads(out.strip().splitlines()[-1])
    return result


def run(engine: str, repeats: int, hot: int) -> list[list[object]]:
    cold, disk, cached, nxt, imports = [], [], [], [], []
    for _ in range(repeats):
        folder = Path(tempfile.mkdtemp(prefix="loket-voice-bench-"))
        try:
            first = _child(folder, engine, hot)  # empty cache
            again = _child(folder, engine, 0)  # segments on disk
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        cold.append(float(first["first"]) * 1000)  # type: ignore[arg-type]
        disk.append(float(again["first"]) * 1000)  # type: ignore[arg-type]
        cached += [float(h) * 1000 for h in first["hot"]]  # type: ignore[attr-defined]
        nxt.append(float(first["next"]) * 1000)  # type: ignore[arg-type]
        imports.append(float(first["import"]) * 1000)  # type: ignore[arg-type]
    rows = []
    for label, values in (("first call, empty cache", cold), ("first call, segments on disk",
                          disk), ("same call again (memory)", cached),
                          ("next number A002 → loket 2", nxt), ("import voice", imports)):
        s = summary(values)
        rows.append([engine, label, s["n"], s["p50"], s["p95"], s["max"]])
    return rows


def main(repeats: int = 10, hot: int = 50) -> str:
    engines = ["library"] + (["program"] if shutil.which("espeak-ng") else [])
    rows: list[list[object]] = []
    started = time.perf_counter()
    for engine in engines:
        rows += run(engine, repeats, hot)
    return table(["engine", "what", "n", "p50 ms", "p95 ms", "max ms"], rows) + (
        f"\n\n({repeats} fresh processes per engine, {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    print(main(repeats=2, hot=5))
