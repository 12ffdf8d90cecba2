"""Whom a guest came to see, in plain Python: the host's key (a section code, or ``camat`` /
``sekcam``) read from the free text the receptionist typed, and the way to their room.

The key links three things: the office profile's rooms (``rooms`` in ``GET /api/queue/office``),
the host's notification (its ``recipient_role``, so ``LOKET_NOTIFY_EMAILS`` may hold an address
per section or official) and the desk event.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

OFFICIALS = {"camat": ("camat",), "sekcam": ("sekcam", "sekretaris camat", "sekretaris kecamatan")}
_WORD = re.compile(r"[a-z]+")


def host_key(host: str, sections: Mapping[str, str]) -> str | None:
    """``"Seksi Kesra"`` -> ``kesra``; ``"Kasi Tata Pemerintahan dan Ketertiban Umum"`` ->
    ``pemerintahan``; ``"Bapak Camat"`` -> ``camat``; None when nothing matches."""
    text = " ".join(_WORD.findall(host.lower()))
    words = set(text.split())
    for key, names in OFFICIALS.items():
        if any(re.search(rf"\b{name}\b", text) for name in names):
            return key
    for code, name in sections.items():
        if code.lower() in words or " ".join(_WORD.findall(name.lower())) in text:
            return code
    return None


def way_text(entry: Mapping[str, Any] | None) -> str | None:
    """``{"room": "Ruang Kasi Pemerintahan", "floor": "1"}`` -> ``Ruang Kasi Pemerintahan,
    lantai 1``."""
    if not entry or not entry.get("room"):
        return None
    floor = entry.get("floor")
    return f"{entry['room']}, lantai {floor}" if floor else str(entry["room"])


def host_notice(host: str, purpose: str, group_size: int, visitor_card: int | None,
                way: str | None) -> tuple[str, str]:
    """Subject and text for the host. No guest name or identity card: only what the host needs
    to expect the visit (the receptionist has the buku tamu)."""
    who = "Seorang tamu" if group_size == 1 else f"Rombongan tamu {group_size} orang"
    card = f" dengan kartu tamu nomor {visitor_card}" if visitor_card else ""
    lines = [f"{who}{card} datang untuk {host}.", f"Keperluan: {purpose}."]
    if way:
        lines.append(f"Tamu diarahkan ke {way}.")
    return "[Loket] Tamu untuk Anda", "\n".join(lines)
