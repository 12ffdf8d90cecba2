"""The office's rooms (issue #19, "the guest is shown the way"): where each section or official
sits, as the administrator records it in the office profile.

``{"rooms": {"pemerintahan": {"room": "Ruang Kasi Pemerintahan", "floor": "1"}, "camat": ...}}``
Keys are the office file's section codes or the officials a guest may come to see (``camat``,
``sekcam``); anything else is refused with the field named, so a typo never hides a room.
"""

from __future__ import annotations

from typing import Any

from queue_service.domain.errors import InvalidInput
from queue_service.validation import _text, require_object

# Officials a guest may ask for by title (besides the sections).
ROOM_OFFICIALS = ("camat", "sekcam")
MAX_ROOMS = 40


def room_keys() -> list[str]:
    from queue_service.sop_services import sections

    return [*sections(), *ROOM_OFFICIALS]


def parse_rooms(value: Any) -> dict[str, dict[str, str | None]]:
    data = require_object(value, "rooms")
    if len(data) > MAX_ROOMS:
        raise InvalidInput(f"Paling banyak {MAX_ROOMS} ruang.", field="rooms")
    known = room_keys()
    result: dict[str, dict[str, str | None]] = {}
    for key, entry in data.items():
        if key not in known:
            raise InvalidInput(f"Ruang untuk \u201c{str(key)[:40]}\u201d tidak dikenal: pilih "
                               f"seksi atau pejabat kantor ({', '.join(known)}).",
                               field=f"rooms.{str(key)[:40]}", code="unknown_section")
        if entry is None:
            continue
        entry = require_object(entry, f"rooms.{key}")
        unknown = set(entry) - {"room", "floor"}
        if unknown:
            raise InvalidInput(f"Isian ruang hanya nama ruang (room) dan lantai (floor); "
                               f"{', '.join(sorted(unknown))} tidak dikenal.",
                               field=f"rooms.{key}")
        floor = entry.get("floor")
        if isinstance(floor, int) and not isinstance(floor, bool):
            floor = str(floor)
        result[key] = {
            "room": _text(entry.get("room"), f"rooms.{key}.room", required=True, max_len=80,
                          label="Nama ruang"),
            "floor": _text(floor, f"rooms.{key}.floor", max_len=20, label="Lantai"),
        }
    return result
