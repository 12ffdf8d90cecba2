"""Turn catalog data (ISO 8601 time standards) into words a visitor reads."""

from __future__ import annotations

from typing import Any

from sop.durations import DurationError, describe, parse_iso_duration


def duration_text(value: str | None, language: str = "id") -> str:
    """``PT2M`` → ``2 menit``, ``PT1H`` → ``1 jam``, ``P3D`` → ``3 hari kerja``; none → ''.

    Read with the SOP catalog's own parser (``sop.durations``); what it cannot read is left out.
    """
    if not value:
        return ""
    try:
        duration = parse_iso_duration(value)
    except DurationError:
        return ""
    return describe(duration, language)


def steps_lines(service: dict[str, Any], language: str = "id", limit: int = 6) -> list[str]:
    """Numbered service steps with their time standard, for the requirements screen."""
    lines = []
    for number, step in enumerate(service.get("steps") or [], start=1):
        # SOP activities carry the source document's line breaks: one paragraph per step
        activity = " ".join(str(step.get("activity") or "").split())
        if not activity:
            continue
        duration = duration_text(step.get("time_standard"), language)
        lines.append(f"{number}. {activity}" + (f" ({duration})" if duration else ""))
    return lines[:limit]
