"""The five services as the queue sees them: the SOP catalog (``sop``) and the office file."""

from __future__ import annotations

import dataclasses
import functools
from typing import Any


@dataclasses.dataclass(frozen=True)
class ServiceInfo:
    code: str
    name: str
    prefix: str
    order: int
    steps: tuple[dict[str, Any], ...] = ()
    service_minutes: float | None = None
    bring: tuple[str, ...] = ()
    bring_is_demo: bool = True
    questions: tuple[Any, ...] = ()


@functools.cache
def services() -> tuple[ServiceInfo, ...]:
    """Every SOP of the catalog with the office's prefix, bring list and kiosk questions.

    A catalog or office file that does not load, or whose services do not match, stops the
    service with the loader's precise error: a hall must not run on half a configuration.
    """
    from loket.settings import get_settings
    from sop import load_catalog, load_office

    catalog = load_catalog()
    office = load_office(get_settings().office_file)
    office.check_catalog(catalog)
    result = []
    for order, sop in enumerate(catalog.all(), start=1):
        config = office.service(sop.code)
        minutes = sop.service_minutes()
        result.append(ServiceInfo(
            code=sop.code,
            name=sop.name,
            prefix=config.prefix,
            order=order,
            steps=tuple({"activity": " ".join(step.activity_lines),
                         "time_standard": step.time_standard} for step in sop.steps),
            service_minutes=float(minutes) if minutes is not None else None,
            bring=tuple(config.bring),
            bring_is_demo=config.bring_is_demo,
            questions=tuple(q.model_dump(mode="json") for q in config.questions),
        ))
    return tuple(result)


def by_code() -> dict[str, ServiceInfo]:
    return {s.code: s for s in services()}


@functools.cache
def sections() -> dict[str, str]:
    """The office's sections (code -> name), the one list the admin picks a staff section from
    and the workflow's section-owned steps use (``sections`` in the office file)."""
    from loket.settings import get_settings
    from sop import load_office

    return dict(load_office(get_settings().office_file).sections)


def section_name(value: str | None) -> str | None:
    """The section's name for its code or its name; None when the office has no such section."""
    if not value:
        return None
    known = sections()
    if value in known:
        return known[value]
    return value if value in known.values() else None


@functools.cache
def regency() -> str | None:
    """The office file's regency (``Kabupaten Banyuwangi``), shown beside the office name."""
    from loket.settings import get_settings
    from sop import load_office

    return getattr(load_office(get_settings().office_file), "regency", None)
