"""The five services as the queue sees them, read from the SOP catalog (``sop``).

When the ``sop`` package cannot be imported or loaded, a built-in minimal table is used instead
(FALLBACK below): codes, names and prefixes only, no steps or questions.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import re
from typing import Any

logger = logging.getLogger(__name__)


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
    from_catalog: bool = False


# FALLBACK: used only while the SOP catalog is not available. Names follow the SOP titles.
FALLBACK: tuple[ServiceInfo, ...] = (
    ServiceInfo("penerimaan-tamu", "Penerimaan Tamu", "A", 1),
    ServiceInfo("pengaduan", "Pengaduan Pelayanan Publik", "B", 2),
    ServiceInfo("ektp", "Permohonan e-KTP", "C", 3),
    ServiceInfo("kk", "Permohonan Kartu Keluarga", "D", 4),
    ServiceInfo("rekomendasi", "Permohonan Rekomendasi", "E", 5),
)
PREFIXES = {s.code: s.prefix for s in FALLBACK}
# Roles whose steps happen at the counter, with the visitor present.
COUNTER_ROLES = {"petugas", "petugas-loket", "petugas_loket", "tamu", "pemohon", "pengadu",
                 "masyarakat", "operator"}

_MINUTES = re.compile(r"^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$")


def iso_minutes(value: str | None) -> float | None:
    """Minutes of a time-of-day ISO duration (``PT5M``, ``PT1H30M``); None for days or none."""
    if not value:
        return None
    match = _MINUTES.match(value)
    if not match or not any(match.groups()):
        return None
    hours, minutes, seconds = (int(g or 0) for g in match.groups())
    return hours * 60 + minutes + seconds / 60


def _text(value: Any) -> str:
    if isinstance(value, list | tuple):
        return " ".join(str(v) for v in value)
    return str(value) if value is not None else ""


def _plain(value: Any) -> Any:
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _get(obj: Any, name: str, default: Any = None) -> Any:
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)


def _office_services(office: Any) -> dict[str, Any]:
    services = _get(office, "services", None)
    if services is None:
        return {}
    if isinstance(services, dict):
        return dict(services)
    return {str(_get(s, "code")): s for s in services}


def _from_sop() -> tuple[ServiceInfo, ...]:
    from sop import load_catalog, load_office  # type: ignore[attr-defined]

    catalog = load_catalog()
    try:
        office_services = _office_services(load_office())
    except Exception as exc:  # the office file is optional for the queue
        logger.warning("office data not available (%s); bring/questions left empty",
                       type(exc).__name__)
        office_services = {}
    result = []
    for fallback in FALLBACK:
        try:
            sop = catalog.get(fallback.code)
        except Exception:
            sop = None
        extra = office_services.get(fallback.code)
        steps: list[dict[str, Any]] = []
        counter_minutes = 0.0
        any_counter = False
        for step in _get(sop, "steps", None) or ():
            standard = _get(step, "time_standard")
            standard = str(standard) if standard is not None else None
            steps.append({"activity": _text(_get(step, "activity")), "time_standard": standard})
            roles = {str(r) for r in (_get(step, "roles", None) or ())}
            minutes = iso_minutes(standard)
            if minutes is not None and (not roles or roles & COUNTER_ROLES):
                counter_minutes += minutes
                any_counter = True
        own = getattr(sop, "service_minutes", None)
        if callable(own):  # the catalog's definition: leading steps with the visitor present
            value = own()
            counter_minutes, any_counter = float(value or 0), value is not None
        bring = tuple(str(b) for b in (_get(extra, "bring", None) or ()))
        result.append(ServiceInfo(
            code=fallback.code,
            name=str(_get(sop, "name", None) or fallback.name),
            prefix=str(_get(extra, "prefix", None) or fallback.prefix),
            order=fallback.order,
            steps=tuple(steps),
            service_minutes=counter_minutes if any_counter else None,
            bring=bring,
            bring_is_demo=bool(_get(extra, "bring_is_demo", True)),
            questions=tuple(_plain(q) for q in (_get(extra, "questions", None) or ())),
            from_catalog=sop is not None,
        ))
    return tuple(result)


@functools.cache
def services() -> tuple[ServiceInfo, ...]:
    """The services, from ``sop`` when it loads, otherwise the FALLBACK table."""
    try:
        return _from_sop()
    except Exception as exc:
        logger.warning("SOP catalog not available (%s: %s); using the built-in service table",
                       type(exc).__name__, exc)
        return FALLBACK


def by_code() -> dict[str, ServiceInfo]:
    return {s.code: s for s in services()}
