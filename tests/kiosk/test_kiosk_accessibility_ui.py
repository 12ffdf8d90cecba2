"""The kiosk heard and read by everyone, under Xvfb against the real queue service: each
screen's prompt is spoken (recorded) by the offline voice, large text + high contrast from
the bar on every screen and back, every touch target at least 15 mm at the configured DPI."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.kiosk.test_kiosk_ui import SCREENSHOTS, run_kiosk
from voice.audio import measure_wav

pytestmark = pytest.mark.ui

SCREENS = ("welcome", "services", "requirements", "identity", "consent", "confirm", "ticket")
DPI = 96.0  # LOKET_KIOSK_DPI default: a 23-inch full-HD touch monitor
MIN_PX = 15 / 25.4 * DPI


def test_every_screen_is_spoken_large_and_easy_to_touch(tmp_path, xvfb_display, queue_api):
    data_dir = tmp_path / "kiosk-data"
    result = run_kiosk(
        tmp_path, xvfb_display, queue_api, {"a11y": True, "screenshots": str(SCREENSHOTS)},
        LOKET_KIOSK_PRINTER="none", LOKET_KIOSK_AUDIO="record",
        LOKET_KIOSK_DATA_DIR=str(data_dir), LOKET_KIOSK_DPI=str(DPI),
        PATH=str(Path(tmp_path)),  # no espeak-ng program: the voice comes from the wheel
    )
    # A prompt for every screen, in order, each real speech (duration and energy).
    recordings = sorted((data_dir / "kiosk-audio").glob("*.wav"))
    labels = [path.stem.split("-", 1)[1] for path in recordings]
    assert list(dict.fromkeys(labels)) == list(SCREENS)
    for path in recordings:
        heard = measure_wav(path.read_bytes())
        assert heard.voiced_seconds >= 1.0 and heard.rms > 800, path.name
    ticket_prompt = measure_wav(recordings[-1].read_bytes())
    assert ticket_prompt.seconds >= 4.0  # number, people ahead, where to wait

    # Silenced on the consent screen: the confirm prompt was only heard after turning it on.
    assert result["voice_after_mute"] is False
    assert result["heard_confirm_while_muted"] is False

    # Large text and high contrast, then back.
    assert result["large_fontscale"] == pytest.approx(1.3)
    assert result["large_paper"] == [1, 1, 1, 1]
    assert result["normal_fontscale"] == pytest.approx(1.0)
    assert result["normal_paper"] != [1, 1, 1, 1]
    for screen in SCREENS:
        assert (SCREENSHOTS / f"kiosk-{screen}-large.png").exists()

    # Every touch target >= 15 mm both ways, in both text sizes.
    small = [
        (screen, kind, target)
        for screen, record in result["a11y"].items()
        for kind in ("targets", "targets_large")
        for target in record.get(kind, [])
        if min(target["width"], target["height"]) < MIN_PX
    ]
    assert small == [], small
    smallest = min(min(t["width"], t["height"]) for r in result["a11y"].values()
                   for kind in ("targets", "targets_large") for t in r.get(kind, []))
    print(f"smallest touch target: {smallest:.0f} px = {smallest / DPI * 25.4:.1f} mm")
    assert all(result["a11y"][s].get("targets_large") for s in SCREENS)
