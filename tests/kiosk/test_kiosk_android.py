"""Android, up to the line these machines can reach: the build description is complete and
consistent, and the kiosk runs a whole visit with the Android facades swapped in (Xvfb)."""

from __future__ import annotations

import configparser
import re
import tomllib
from pathlib import Path

import pytest

from tests.kiosk.test_kiosk_ui import FLOWS, REPO, run_kiosk
from voice.audio import measure_wav


def _spec() -> configparser.SectionProxy:
    parser = configparser.ConfigParser()
    parser.read(REPO / "buildozer.spec")
    return parser["app"]


def _name(requirement: str) -> str:
    return re.split(r"[<>=\[; ]", requirement, maxsplit=1)[0].lower().replace("_", "-")


@pytest.mark.unit
def test_the_buildozer_spec_carries_every_kiosk_dependency_and_no_server():
    spec = _spec()
    wanted = {_name(r) for r in spec["requirements"].split(",")}
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    kiosk_deps = {_name(r) for r in project["optional-dependencies"]["kiosk"]}
    # The base install is what server and kiosk share; the kiosk needs all of it except the
    # server's settings loader, and the voice wheel that has no Android build (docs/kiosk.md).
    kiosk_deps |= {_name(r) for r in project["dependencies"]} - {
        "pydantic-settings", "python-dotenv", "espeakng-loader"}
    assert kiosk_deps - wanted == set()
    assert (REPO / spec["source.dir"] / "main.py").is_file()
    excluded = spec["source.exclude_dirs"].split(",")
    for server in ("queue_service", "workflow_service", "display", "console"):
        assert server in excluded
    for shared in ("kiosk/*", "voice/*", "sop/*"):
        assert shared in spec["source.include_patterns"].split(",")
    assert spec["orientation"] == "landscape" and "INTERNET" in spec["android.permissions"]


@pytest.mark.unit
def test_the_kiosk_imports_no_server_package():
    for path in (REPO / "kiosk").rglob("*.py"):
        text = path.read_text()
        for server in ("queue_service", "workflow_service", "display", "console"):
            assert not re.search(rf"^\s*(from|import) {server}\b", text, re.M), (path, server)


@pytest.mark.ui
def test_the_kiosk_runs_with_the_android_facades(tmp_path, xvfb_display, queue_api,
                                                 printer_listener):
    home = tmp_path / "android-home"
    home.mkdir()
    result = run_kiosk(
        tmp_path, xvfb_display, queue_api, {"flows": FLOWS[:1], "welcome_shot": False},
        LOKET_KIOSK_PLATFORM="android", LOKET_KIOSK_AUDIO="record",
        LOKET_KIOSK_PRINTER="network", LOKET_KIOSK_PRINTER_HOST="127.0.0.1",
        LOKET_KIOSK_PRINTER_PORT=str(printer_listener.port),
        XDG_CONFIG_HOME=str(home), HOME=str(home), LOKET_VOICE_CACHE_DIR="",
        PATH=str(tmp_path),
    )
    assert result["platform"] == "android"
    storage = Path(result["storage_dir"])
    assert storage.is_relative_to(home)  # the app's private folder, never the working dir
    (flow,) = result["flows"]
    assert flow["number_shown"].startswith("C") and flow["wiped"]
    # Printed over the network (ESC/POS over TCP works the same on a tablet).
    assert printer_listener.wait_for_jobs(1)[0]
    # Spoken through the same offline voice, cached and recorded in the app's storage.
    assert list((storage / "voice-cache").glob("*.wav"))
    recordings = sorted((storage / "kiosk-audio").glob("*-ticket.wav"))
    assert recordings and measure_wav(recordings[-1].read_bytes()).voiced_seconds > 2.0
