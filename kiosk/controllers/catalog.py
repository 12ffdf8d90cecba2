"""Turn catalog data (ISO 8601 time standards) into words a visitor reads."""

from __future__ import annotations

import re
from typing import Any

_DURATION = re.compile(r"^P(?:(?P<d>\d+)D)?(?:T(?:(?P<h>\d+(?:\.\d+)?)H)?(?:(?P<m>\d+)M)?)?$")
_UNITS = {"id": ("hari kerja", "jam", "menit"), "en": ("working days", "hours", "minutes")}


def duration_text(value: str | None, language: str = "id") -> str:
    """``PT2M`` → ``2 menit``, ``PT1H`` → ``1 jam``, ``P3D`` → ``3 hari kerja``; none → ''."""
    if not value:
        return ""
    match = _DURATION.match(value.strip().upper())
    if not match or not any(match.groupdict().values()):
        return ""
    days, hours, minutes = _UNITS.get(language, _UNITS["id"])
    parts = []
    if match["d"]:
        parts.append(f"{int(match['d'])} {days}")
    if match["h"]:
        h = float(match["h"])
        parts.append(f"{h:g} {hours}".replace(".", "," if language == "id" else "."))
    if match["m"]:
        parts.append(f"{int(match['m'])} {minutes}")
    return " ".join(parts)


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
