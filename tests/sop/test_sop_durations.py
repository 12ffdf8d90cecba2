"""SOP "Waktu" cells become ISO 8601 durations."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sop import iso_to_timedelta, parse_iso_duration, parse_time_standard
from sop.durations import DurationError, describe, format_duration_id, iso_to_minutes

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("5 menit", "PT5M"),
        ("2 menit", "PT2M"),
        ("10 menit", "PT10M"),
        ("0,5 jam", "PT30M"),
        ("0,5jam", "PT30M"),
        ("1 jam", "PT1H"),
        ("8 jam", "PT8H"),
        ("1,5 jam", "PT1H30M"),
        ("60 menit", "PT1H"),
        ("3 hari", "P3D"),
        ("3 hari kerja", "P3D"),
        ("  5   Menit ", "PT5M"),
        ("PT30M", "PT30M"),
        ("seperlunya", None),
        ("-", None),
        ("", None),
        (None, None),
    ],
)
def test_time_standard_text_to_iso(text: str | None, iso: str | None) -> None:
    assert parse_time_standard(text) == iso


@pytest.mark.parametrize("text", ["sebentar", "5 minggu", "0,5 hari", "lima menit", "P1M", "5"])
def test_unreadable_time_standard_is_refused(text: str) -> None:
    with pytest.raises(DurationError):
        parse_time_standard(text)


@pytest.mark.parametrize(
    ("iso", "delta"),
    [
        ("PT5M", timedelta(minutes=5)),
        ("PT30M", timedelta(minutes=30)),
        ("PT8H", timedelta(hours=8)),
        ("P3D", timedelta(days=3)),
        ("P1DT2H", timedelta(days=1, hours=2)),
        ("PT0.5H", timedelta(minutes=30)),
        ("PT1,5M", timedelta(seconds=90)),
    ],
)
def test_iso_to_timedelta(iso: str, delta: timedelta) -> None:
    assert iso_to_timedelta(iso) == delta


@pytest.mark.parametrize("iso", ["P", "PT", "P1Y", "P2W", "PT5X", "30M", "", "P0.5D",
                                 "PT0.0001H", "PT1.5S"])
def test_bad_iso_duration(iso: str) -> None:
    with pytest.raises(DurationError):
        parse_iso_duration(iso)


def test_helpers() -> None:
    assert iso_to_minutes("PT1H30M") == 90
    assert iso_to_minutes(None) is None
    assert format_duration_id("P3D") == "3 hari kerja"
    assert format_duration_id("PT1H30M") == "1 jam 30 menit"
    assert format_duration_id(None) == "seperlunya"
    assert describe(parse_iso_duration("P1DT2H5S"), "en") == "1 working day 2 hours 5 seconds"
