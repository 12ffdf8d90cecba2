"""Administration of the office itself: its profile, its services and its counters.

Every change is one transaction with its audit row (``admin_audit.record``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from loket.auth import Principal
from loket.errors import Conflict, NotFound
from loket.settings import Settings
from queue_service import sop_services
from queue_service.domain.errors import CounterNotFound, UnknownService
from queue_service.models import Counter, Office, Service
from queue_service.usecases import admin_audit
from queue_service.usecases.context import QueueContext
from queue_service.validation import service_code

OFFICE_FIELDS = ("name", "kabupaten", "address", "phone", "logo_url", "opening_hours",
                 "timezone", "officials", "rooms")
DEFAULT_FEE = "gratis"


class NotInitialised(Conflict):
    code = "office_not_initialised"


def stored_office(session: Session, settings: Settings) -> Office:
    """The office of this deployment; 409 until ``loket init`` created it."""
    office = session.scalar(select(Office).where(Office.slug == settings.office))
    if office is None:
        office = session.scalar(select(Office).order_by(Office.id).limit(1))
    if office is None:
        raise NotInitialised("Kantor belum disiapkan: jalankan `loket init` terlebih dahulu.")
    return office


# -- office ------------------------------------------------------------------------------------

def office_json(office: Office) -> dict[str, Any]:
    return {"id": office.id, **{f: getattr(office, f) for f in OFFICE_FIELDS},
            "officials": office.officials or {}, "opening_hours": office.opening_hours or {},
            "rooms": office.rooms or {}}


def get_office(ctx: QueueContext) -> dict[str, Any]:
    with ctx.db.read_session() as session:
        return office_json(stored_office(session, ctx.settings))


def update_office(ctx: QueueContext, changes: dict[str, Any], actor: Principal) -> dict[str, Any]:
    with ctx.db.session() as session:
        office = stored_office(session, ctx.settings)
        before = office_json(office)
        for key, value in changes.items():
            setattr(office, key, value)
        session.flush()
        after = office_json(office)
        admin_audit.record(session, office, actor, "update", "office", office.id, before, after)
        return after


# -- services ----------------------------------------------------------------------------------

def service_json(service: Service) -> dict[str, Any]:
    info = sop_services.by_code().get(service.code)
    bring = service.bring if service.bring is not None else list(info.bring if info else ())
    return {"id": service.id, "code": service.code, "sop": service.code, "name": service.name,
            "prefix": service.prefix, "open": service.is_open, "bring": bring,
            "bring_is_demo": service.bring is None and (info.bring_is_demo if info else True),
            "fee": service.fee or DEFAULT_FEE, "product": service.product,
            "daily_quota": service.daily_quota, "position": service.position}


def list_services(ctx: QueueContext) -> list[dict[str, Any]]:
    with ctx.db.read_session() as session:
        return [service_json(s) for s in session.scalars(
            select(Service).order_by(Service.position, Service.id))]


def _check_prefix_free(session: Session, prefix: str, service_id: int | None) -> None:
    other = session.scalar(select(Service).where(Service.prefix == prefix))
    if other is not None and other.id != service_id:
        raise Conflict(f"Huruf awalan '{prefix}' sudah dipakai layanan {other.name}.",
                       field="prefix", code="prefix_taken")


def create_service(ctx: QueueContext, data: dict[str, Any], actor: Principal) -> dict[str, Any]:
    info = sop_services.by_code().get(data["sop"])
    if info is None:
        raise UnknownService("SOP tidak dikenal: pilih salah satu SOP katalog.", field="sop")
    with ctx.db.session() as session:
        office = stored_office(session, ctx.settings)
        if session.scalar(select(Service).where(Service.code == info.code)) is not None:
            raise Conflict(f"Layanan {info.name} sudah ada.", field="sop", code="service_exists")
        _check_prefix_free(session, data["prefix"], None)
        position = (session.scalar(select(func.max(Service.position))) or 0) + 1
        service = Service(code=info.code, name=data.get("name") or info.name,
                          prefix=data["prefix"], is_open=data.get("is_open", True),
                          position=position, office_id=office.id, bring=data.get("bring"),
                          fee=data.get("fee"), product=data.get("product"),
                          daily_quota=data.get("daily_quota"))
        session.add(service)
        session.flush()
        after = service_json(service)
        admin_audit.record(session, office, actor, "create", "service", service.code, None, after)
        return after


def update_service(ctx: QueueContext, code: str, changes: dict[str, Any],
                   actor: Principal) -> dict[str, Any]:
    code = service_code(code, "code")
    with ctx.db.session() as session:
        office = stored_office(session, ctx.settings)
        service = session.scalar(select(Service).where(Service.code == code))
        if service is None:
            raise NotFound("Layanan tidak ditemukan.", field="code", code="service_not_found")
        if "prefix" in changes:
            _check_prefix_free(session, changes["prefix"], service.id)
        before = service_json(service)
        for key, value in changes.items():
            setattr(service, key, value)
        session.flush()
        after = service_json(service)
        admin_audit.record(session, office, actor, "update", "service", code, before, after)
        return after


# -- counters ----------------------------------------------------------------------------------

def counter_json(counter: Counter) -> dict[str, Any]:
    return {"id": counter.id, "number": counter.number, "name": counter.name,
            "services": [s.code for s in counter.services], "tv_order": counter.tv_order,
            "status": counter.status}


def list_counters(ctx: QueueContext) -> list[dict[str, Any]]:
    with ctx.db.read_session() as session:
        return [counter_json(c) for c in session.scalars(
            select(Counter).order_by(Counter.tv_order, Counter.number)
            .options(selectinload(Counter.services)))]


def _services_for(session: Session, codes: list[str]) -> list[Service]:
    found = {s.code: s for s in session.scalars(select(Service).where(Service.code.in_(codes)))}
    for code in codes:
        if code not in found:
            raise UnknownService(f"Layanan '{code}' tidak dikenal.", field="services")
    return [found[c] for c in codes]


def _check_name_free(session: Session, name: str, counter_id: int | None) -> None:
    other = session.scalar(select(Counter).where(func.lower(Counter.name) == name.lower()))
    if other is not None and other.id != counter_id:
        raise Conflict(f"Nama loket '{name}' sudah dipakai.", field="name",
                       code="counter_name_taken")


def create_counter(ctx: QueueContext, data: dict[str, Any], actor: Principal) -> dict[str, Any]:
    with ctx.db.session() as session:
        office = stored_office(session, ctx.settings)
        _check_name_free(session, data["name"], None)
        services = _services_for(session, data["services"])
        number = (session.scalar(select(func.max(Counter.number))) or 0) + 1
        counter = Counter(number=number, name=data["name"], status="closed",
                          office_id=office.id, tv_order=data.get("tv_order", number),
                          services=services)
        session.add(counter)
        session.flush()
        after = counter_json(counter)
        admin_audit.record(session, office, actor, "create", "counter", counter.id, None, after)
        return after


def update_counter(ctx: QueueContext, counter_id: int, changes: dict[str, Any],
                   actor: Principal) -> dict[str, Any]:
    with ctx.db.session() as session:
        office = stored_office(session, ctx.settings)
        counter = session.get(Counter, counter_id) if 0 < counter_id < 2**31 else None
        if counter is None:
            raise CounterNotFound("Loket tidak ditemukan.", field="counter_id")
        before = counter_json(counter)
        if "name" in changes:
            _check_name_free(session, changes["name"], counter.id)
            counter.name = changes["name"]
        if "services" in changes:
            counter.services = _services_for(session, changes["services"])
        if "tv_order" in changes:
            counter.tv_order = changes["tv_order"]
        session.flush()
        after = counter_json(counter)
        admin_audit.record(session, office, actor, "update", "counter", counter.id, before, after)
        return after
