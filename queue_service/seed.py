"""Demo data for the hall: office, services, counters, staff of every role, device tokens.

Idempotent: a second run changes nothing and returns the same data. Passwords and device tokens
are derived from the secret key (HMAC), so re-running prints the same values. Refused in
production.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from loket.db import Database
from loket.settings import Settings
from queue_service import sop_services
from queue_service.models import Counter, Device, Office, Service, Staff
from queue_service.security import (
    DEVICE_TOKEN_PREFIX,
    derived_secret,
    hash_device_token,
    password_hasher,
    verify_password,
)

OFFICE = {"slug": "genteng", "name": "Kecamatan Genteng", "timezone": "Asia/Jakarta",
          "opening_hours": {"mon-thu": "07:30-15:30", "fri": "07:30-14:30"}}
COUNTERS = (
    (1, "Loket 1", ("penerimaan-tamu", "pengaduan")),
    (2, "Loket 2", ("ektp", "kk")),
    (3, "Loket 3", ("ektp", "kk", "rekomendasi")),
    (4, "Loket 4", ("penerimaan-tamu", "pengaduan", "ektp", "kk", "rekomendasi")),
)
# username, display name, roles, section, counter number
STAFF = (
    ("petugas1", "Petugas Loket 1", ["petugas"], None, 1),
    ("petugas2", "Petugas Loket 2", ["petugas"], None, 2),
    ("petugas3", "Petugas Loket 3", ["petugas"], None, 3),
    ("petugas4", "Petugas Loket 4", ["petugas"], None, 4),
    ("operator1", "Operator", ["operator"], None, None),
    ("kasi_pem", "Kasi Pemerintahan", ["kasi"], "Tata Pemerintahan dan Ketertiban Umum", None),
    ("kasi_pm", "Kasi Pelayanan Masyarakat", ["kasi"], "Pelayanan Masyarakat", None),
    ("kasi_kesra", "Kasi Kesejahteraan Rakyat", ["kasi"],
     "Pemberdayaan Masyarakat dan Kesejahteraan Rakyat", None),
    ("sekcam", "Sekretaris Camat", ["sekcam"], None, None),
    ("camat", "Camat Genteng", ["camat"], None, None),
    ("admin", "Administrator", ["admin"], None, None),
)
OFFICE_DEFAULTS = {**{k: v for k, v in OFFICE.items() if k != "slug"},
                   "max_regular_wait_minutes": 30, "recalls_before_no_show": 3,
                   "end_of_day_policy": "close"}
DEVICES = (("kiosk", "Kiosk Pintu Masuk"), ("display", "TV Ruang Tunggu"))


class SeedRefused(RuntimeError):
    pass


def demo_password(secret_key: str, username: str) -> str:
    return "genteng-" + derived_secret(secret_key, f"demo-password:{username}", 10)


def demo_device_token(secret_key: str, kind: str) -> str:
    return DEVICE_TOKEN_PREFIX + derived_secret(secret_key, f"demo-device:{kind}", 40)


def seed_base(session: Any, settings: Settings,
              profile: dict[str, Any] | None = None) -> Office:
    """The office and the five services (what the queue needs to run at all).

    ``profile`` (name, kabupaten, timezone) names a new office; ``loket init`` passes it.
    """
    office = session.scalar(select(Office).where(Office.slug == settings.office))
    if office is None:
        office = Office(slug=settings.office, **{**OFFICE_DEFAULTS, **(profile or {})})
        session.add(office)
        session.flush()
    for info in sop_services.services():
        service = session.scalar(select(Service).where(Service.code == info.code))
        if service is None:
            session.add(Service(code=info.code, name=info.name, prefix=info.prefix,
                                is_open=True, position=info.order, office_id=office.id))
        else:
            if service.name != info.name:
                service.name = info.name
            if service.position != info.order:
                service.position = info.order
    session.flush()
    return office


def seed_demo(settings: Settings) -> dict[str, Any]:
    """Create (or confirm) the demo hall and return what a person needs to try it."""
    if settings.env == "production":
        raise SeedRefused("seed-demo is refused in production (demo passwords are predictable)")
    secret = settings.secret("secret_key")
    hasher = password_hasher(settings)
    db = Database.for_url(settings.effective_database_url)
    with db.session() as session:
        office = seed_base(session, settings)
        services = {s.code: s for s in session.scalars(select(Service))}
        counters: dict[int, Counter] = {}
        for number, name, codes in COUNTERS:
            counter = session.scalar(select(Counter).where(Counter.number == number))
            if counter is None:
                session.add(counter := Counter(number=number, name=name, office_id=office.id))
            wanted = [services[c] for c in codes]
            if {s.id for s in counter.services} != {s.id for s in wanted}:
                counter.services = wanted
            counters[number] = counter
        session.flush()
        staff_out = []
        for username, display, roles, section, counter_no in STAFF:
            password = demo_password(secret, username)
            counter_id = counters[counter_no].id if counter_no else None
            staff = session.scalar(select(Staff).where(Staff.username == username))
            if staff is None:
                staff = Staff(username=username, password_hash=hasher.hash(password),
                              display_name=display, roles=roles, section=section,
                              counter_id=counter_id, active=True, office_id=office.id)
                session.add(staff)
            else:
                if not verify_password(hasher, staff.password_hash, password):
                    staff.password_hash = hasher.hash(password)
                for attr, value in (("display_name", display), ("roles", roles),
                                    ("section", section), ("counter_id", counter_id)):
                    if getattr(staff, attr) != value:
                        setattr(staff, attr, value)
            staff_out.append({"username": username, "password": password, "roles": roles,
                              "section": section, "counter": counter_no})
        devices_out = {}
        for kind, label in DEVICES:
            token = demo_device_token(secret, kind)
            digest = hash_device_token(token)
            if session.scalar(select(Device).where(Device.token_hash == digest)) is None:
                session.add(Device(kind=kind, label=label, token_hash=digest, office_id=office.id))
            devices_out[kind] = token
        session.flush()
        return {
            "office": {"name": office.name, "timezone": office.timezone,
                       "max_regular_wait_minutes": office.max_regular_wait_minutes,
                       "recalls_before_no_show": office.recalls_before_no_show,
                       "end_of_day_policy": office.end_of_day_policy},
            "staff": staff_out,
            "devices": devices_out,
            "counters": [{"id": counters[n].id, "number": n, "name": name,
                          "services": list(codes)} for n, name, codes in COUNTERS],
            "services": [{"code": s.code, "name": s.name, "prefix": s.prefix}
                         for s in sorted(services.values(), key=lambda s: s.position)],
        }
