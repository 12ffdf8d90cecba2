"""First start of a real office: the office, its services from the SOP catalog, one admin.

Idempotent: once an office exists nothing is changed (not the admin's password either).
"""

from __future__ import annotations

import dataclasses

from sqlalchemy import select

from loket.db import Database
from loket.settings import Settings
from queue_service.models import Office, Service, Staff
from queue_service.security import password_hasher
from queue_service.seed import seed_base


@dataclasses.dataclass(frozen=True)
class InitResult:
    created: bool
    office: str
    admin: str
    services: tuple[str, ...]


def office_exists(settings: Settings) -> str | None:
    """The name of the office already set up, if any."""
    db = Database.for_url(settings.effective_database_url)
    with db.read_session() as session:
        return session.scalar(select(Office.name).order_by(Office.id).limit(1))


def init_office(settings: Settings, office: str, kabupaten: str, admin: str, timezone: str,
                password: str) -> InitResult:
    """Create the office, its services and its first administrator, in one transaction."""
    db = Database.for_url(settings.effective_database_url)
    with db.session() as session:
        existing = session.scalar(select(Office).order_by(Office.id).limit(1))
        if existing is not None:
            return InitResult(False, existing.name, "", ())
        row = seed_base(session, settings, {"name": office, "kabupaten": kabupaten,
                                            "timezone": timezone, "opening_hours": {}})
        session.add(Staff(username=admin, password_hash=password_hasher(settings).hash(password),
                          display_name="Administrator", roles=["admin"], active=True,
                          office_id=row.id, must_change_password=False))
        session.flush()
        codes = tuple(session.scalars(select(Service.code).order_by(Service.position)))
        return InitResult(True, row.name, admin, codes)
