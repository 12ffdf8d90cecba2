"""Showing a guest the way and telling the host (issue #19, "Penerimaan tamu").

The rooms come from the office profile the administrator keeps in the queue (``rooms`` in
``GET /api/queue/office``), read through the queue's API before any write session opens. The
host's notification is a row in the ordinary notification outbox (``notify.deliver_due`` sends
it outside any write session, retried with back-off, parked after
``LOKET_NOTIFY_MAX_ATTEMPTS``): one per configured channel — the webhook gateway, and e-mail when
``LOKET_NOTIFY_EMAILS`` holds an address for the host's key (``pemerintahan=kasi.pem@...``,
``camat=...``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from loket.settings import get_settings
from workflow_service.adapters.queue_office import QueueOffice
from workflow_service.domain.guest_way import host_key, host_notice, way_text
from workflow_service.models import Notification
from workflow_service.usecases.context import WorkflowContext, office


def rooms(ctx: WorkflowContext) -> dict[str, dict[str, Any]]:
    """The office's rooms; empty when the queue cannot say (the guest is still received)."""
    reader = QueueOffice(f"{ctx.settings.base_url}/api/queue", ctx.settings.secret("secret_key"),
                         wsgi_app=ctx.queue_wsgi)
    return reader.rooms() or {}


def desk_of(host: str) -> str | None:
    """The host's key: a section code of the office file, ``camat`` or ``sekcam``."""
    return host_key(host, getattr(office(), "sections", {}) or {})


def way_for(host: str, office_rooms: dict[str, dict[str, Any]]) -> str | None:
    key = desk_of(host)
    return way_text(office_rooms.get(key)) if key else None


def notify_host(session: Session, key: str | None, host: str, purpose: str, group_size: int,
                visitor_card: int | None, way: str | None) -> list[str]:
    """Queue the host's notification in the outbox (in the caller's write session; nothing is
    sent here). Returns the channels used."""
    if key is None:
        return []
    settings = get_settings()
    from workflow_service.notify import configured_channels

    channels = [c for c in configured_channels()
                if c != "email" or key in settings.notify_email_map]
    subject, body = host_notice(host, purpose, group_size, visitor_card, way)
    for channel in channels:
        session.add(Notification(channel=channel, recipient_role=key, subject=subject,
                                 body=body))
    return channels
