"""Text a caller sends, checked the same way in every service.

PostgreSQL refuses a NUL byte in any text value, and a value longer than its column; SQLite
stores both. Neither may reach the database: every text field is checked here first and a bad
one is a 422 naming the field, in Bahasa Indonesia, before anything is written.

- :func:`check_text` — one field: a string, no NUL or other control character (newline and tab
  allowed where ``multiline``), at most ``max_length`` characters.
- :func:`find_forbidden` — the first place in a parsed JSON document (keys included) where a
  NUL byte hides; ``loket.web.json_body`` refuses such a body whatever the endpoint.

Plain Python: no framework, so every ``validation`` module may use it.
"""

from __future__ import annotations

from typing import Any

from loket.errors import ValidationFailed

# The longest free text any form takes (a complaint, a step note); fields set their own bound.
MAX_LONG_TEXT = 5000
NUL = "\x00"


def has_control(value: str, multiline: bool = True) -> bool:
    """A NUL or another C0 control character (newline, tab and CR allowed if ``multiline``)."""
    allowed = "\n\t\r" if multiline else ""
    return any((ord(c) < 32 and c not in allowed) for c in value)


def check_text(value: Any, field: str, *, max_length: int, label: str | None = None,
               required: bool = False, multiline: bool = True, strip: bool = False,
               code: str = "invalid_text") -> str | None:
    """``value`` as a checked text, or None if absent and not ``required``.

    Refused with a 422 naming ``field``: not a string, a NUL or control character, longer than
    ``max_length``, or empty when ``required``.
    """
    name = label or field
    if value is None or (required and isinstance(value, str) and not value.strip()):
        if required:
            raise ValidationFailed(f"Kolom '{name}' wajib diisi.", field=field, code="required")
        return None
    if not isinstance(value, str):
        raise ValidationFailed(f"Kolom '{name}' harus berupa teks.", field=field, code=code)
    if strip:
        value = value.strip()
    if len(value) > max_length:
        raise ValidationFailed(
            f"Kolom '{name}' terlalu panjang (paling banyak {max_length} karakter).",
            field=field, code="too_long")
    if has_control(value, multiline):
        raise ValidationFailed(
            f"Kolom '{name}' berisi karakter yang tidak diizinkan (karakter kendali atau NUL).",
            field=field, code=code)
    return value


def find_forbidden(value: Any, path: str = "", depth: int = 0) -> str | None:
    """The dotted path of the first string or key holding a NUL byte in a JSON value, or None.

    ``body`` stands for the document itself. Lists are indexed (``answers.2``).
    """
    if depth > 64:  # json.loads bounds nesting already; this only keeps the walk finite
        return None
    if isinstance(value, str):
        return (path or "body") if NUL in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            if NUL in str(key):
                return path or "body"
            found = find_forbidden(item, where, depth + 1)
            if found is not None:
                return found
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found = find_forbidden(item, f"{path}.{index}" if path else str(index), depth + 1)
            if found is not None:
                return found
    return None
