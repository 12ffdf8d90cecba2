"""The audit log of administrative changes: who, when, what, before and after."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from loket.auth import Principal
from queue_service.models import AuditEntry, Office
from queue_service.usecases.context import QueueContext

ENTITIES = ("office", "service", "counter", "staff", "device")
SECRET_KEYS = ("password", "password_hash", "token", "token_hash")


def _clean(value: dict[str, Any] | None) -> dict[str, Any] | None:
    if value is None:
        return None
    return {k: v for k, v in value.items() if k not in SECRET_KEYS}


def record(session: Session, office: Office | None, actor: Principal, action: str, entity: str,
           entity_id: Any, before: dict[str, Any] | None,
           after: dict[str, Any] | None) -> AuditEntry | None:
    """Write one audit row in the caller's transaction; an update that changed nothing, none."""
    before, after = _clean(before), _clean(after)
    if action == "update" and before == after:
        return None
    entry = AuditEntry(office_id=office.id if office else None, actor_id=actor.id,
                       actor=actor.username, action=action, entity=entity,
                       entity_id=None if entity_id is None else str(entity_id),
                       before=before, after=after)
    session.add(entry)
    return entry


def entry_json(entry: AuditEntry) -> dict[str, Any]:
    return {"id": entry.id, "at": entry.at.isoformat(), "actor": entry.actor,
            "action": entry.action, "entity": entry.entity, "entity_id": entry.entity_id,
            "before": entry.before, "after": entry.after}


def list_audit(ctx: QueueContext, actor: str | None = None, entity: str | None = None,
               since: dt.date | None = None, limit: int = 100) -> list[dict[str, Any]]:
    """Newest first, filtered by who (username) and what (entity)."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if actor:
        query = query.where(AuditEntry.actor == actor)
    if entity:
        query = query.where(AuditEntry.entity == entity)
    if since:
        query = query.where(AuditEntry.at >= dt.datetime.combine(since, dt.time(),
                                                                  tzinfo=dt.UTC))
    with ctx.db.read_session() as session:
        return [entry_json(e) for e in session.scalars(query)]
