"""Notification outbox delivery with pluggable senders: e-mail over SMTP, a webhook.

A notification is retried with exponential back-off; after ``LOKET_NOTIFY_MAX_ATTEMPTS`` it is
parked as an incident that an admin can retry from the API.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import smtplib
import urllib.request
from email.message import EmailMessage
from typing import Protocol
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from loket.settings import Settings, get_settings
from workflow_service import outbox_delivery
from workflow_service.models import Notification

logger = logging.getLogger(__name__)



class Sender(Protocol):
    def send(self, notification: Notification) -> None: ...


class WebhookSender:
    """POSTs JSON to a gateway (e.g. a WhatsApp gateway run by the regency)."""

    def __init__(self, url: str, timeout: float = 10.0) -> None:
        self.url = url
        self.timeout = timeout

    def send(self, notification: Notification) -> None:
        body = json.dumps({"role": notification.recipient_role, "subject": notification.subject,
                           "text": notification.body, "id": notification.id}).encode()
        request = urllib.request.Request(self.url, data=body, method="POST",
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
            if response.status >= 300:
                raise RuntimeError(f"webhook answered {response.status}")


class SmtpSender:
    def __init__(self, url: str, sender: str, addresses: dict[str, str]) -> None:
        parts = urlsplit(url)
        self.host = parts.hostname or "localhost"
        self.port = parts.port or 25
        self.username = parts.username
        self.password = parts.password
        self.sender = sender
        self.addresses = addresses

    def send(self, notification: Notification) -> None:
        address = self.addresses.get(notification.recipient_role)
        if not address:
            raise RuntimeError(f"no e-mail address for role {notification.recipient_role}")
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = address
        message["Subject"] = notification.subject
        message.set_content(notification.body)
        with smtplib.SMTP(self.host, self.port, timeout=10) as smtp:
            if self.username:
                smtp.login(self.username, self.password or "")
            smtp.send_message(message)


def senders(settings: Settings | None = None) -> dict[str, Sender]:
    settings = settings or get_settings()
    result: dict[str, Sender] = {}
    if settings.notify_webhook_url:
        result["webhook"] = WebhookSender(settings.notify_webhook_url)
    if settings.smtp_url and settings.notify_email_map:
        result["email"] = SmtpSender(settings.smtp_url, settings.smtp_from,
                                     settings.notify_email_map)
    return result


def configured_channels() -> list[str]:
    return sorted(senders())


def deliver_due(session_factory, now: dt.datetime | None = None,  # type: ignore[no-untyped-def]
                settings: Settings | None = None, limit: int = 100) -> dict[str, int]:
    """Send what is due. Each notification is leased by a conditional update first, so two
    workers never send the same one; a worker that dies mid-send leaves a lease that expires.

    No network I/O while a write session is open (on SQLite that is the one write lock every
    kiosk and counter waits for): the lease is one short write, the send runs with no session,
    and its result is recorded in a second short write.
    """
    settings = settings or get_settings()
    now = now or dt.datetime.now(dt.UTC)
    available = senders(settings)

    def load(session: Session, notification_id: int) -> Notification:
        item = session.get(Notification, notification_id)
        assert item is not None
        session.expunge(item)  # read, not to change
        return item

    def send(item: Notification) -> None:
        sender = available.get(item.channel)
        if sender is None:
            raise RuntimeError(f"channel {item.channel} is not configured")
        sender.send(item)

    return outbox_delivery.deliver_due(
        session_factory, Notification, now, limit, load=load, send=send,
        record=lambda session, i, error: _record(session, i, error, settings, now))


def _record(session: Session, notification_id: int, error: Exception | None,
            settings: Settings, now: dt.datetime) -> str:
    item = session.get(Notification, notification_id)
    assert item is not None
    item.attempts += 1
    if error is None:
        item.status = "sent"
        item.sent_at = now
        return "sent"
    item.last_error = f"{type(error).__name__}: {error}"[:500]
    if item.attempts >= settings.notify_max_attempts:
        item.status = "parked"
        logger.warning("notification %s parked after %s attempts", item.id, item.attempts)
        return "parked"
    item.next_attempt_at = now + dt.timedelta(seconds=30 * 2 ** item.attempts)
    return "failed"


def retry_incident(session: Session, notification_id: int) -> Notification | None:
    item = session.get(Notification, notification_id)
    if item is None or item.status != "parked":
        return item
    item.status = "pending"
    item.attempts = 0
    item.next_attempt_at = dt.datetime.now(dt.UTC)
    return item
