"""The privacy guard: an event payload never carries a person's name, NIK or phone."""

from __future__ import annotations

from typing import Any

# Keys that identify a person. An event payload carrying one is a bug; we refuse it.
FORBIDDEN_KEYS = frozenset({"nik", "phone", "visitor", "nik_masked", "email", "address",
                            "applicant", "contact"})
# "name" is a person's name except where it names a counter, a service or the office.
NAMED_THINGS = frozenset({"counter", "service", "office", "from_service", "to_service"})


class PersonalDataInEvent(ValueError):
    pass



def check_payload(value: Any, path: str = "", parent: str = "") -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if key in FORBIDDEN_KEYS or (key == "name" and parent not in NAMED_THINGS):
                raise PersonalDataInEvent(f"event payload carries personal data at {path}{key}")
            check_payload(item, f"{path}{key}.", key)
    elif isinstance(value, list):
        for item in value:
            check_payload(item, path, parent)


_check_payload = check_payload  # the name before the split
