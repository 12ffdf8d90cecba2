"""The answer goes back through the reporter's own channel, from an outbox with retries.

When the pengaduan step whose output is the answer ("Tanggapan Jawaban") is completed, its
``output`` becomes a reply row (one per complaint). Delivery leases a row with a conditional
update, sends it — e-mail over ``LOKET_SMTP_URL``, WhatsApp/SMS as a JSON POST to
``LOKET_GATEWAY_URL`` — and retries with back-off, parking it after
``LOKET_NOTIFY_MAX_ATTEMPTS`` (shown with the other incidents' counts in the logs).

Gateway request (``POST LOKET_GATEWAY_URL``, ``Content-Type: application/json``)::

    {"channel": "whatsapp" | "sms", "to": "+6281234567890", "text": "...",
     "reference": "<tracking code>", "id": <reply id>}

Any 2xx answer is success; anything else is retried. ``id`` lets the gateway drop a duplicate.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import smtplib
import urllib.request
from collections.abc import Callable
from email.message import EmailMessage
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from loket.settings import Settings, get_settings
from workflow_service import outbox_delivery
from workflow_service.models import Case, Step
from workflow_service.models_complaints import Complaint, ComplaintReply
from workflow_service.usecases import reception_engine as engine
from workflow_service.usecases.complaints import reporter

logger = logging.getLogger(__name__)

ANSWER_OUTPUT = "Tanggapan"  # the step whose SOP output is the answer to the reporter


def answer_step_keys(content: dict[str, Any]) -> set[str]:
    return {str(s["id"]) for s in content["steps"]
            if any(ANSWER_OUTPUT.lower() in o.lower() for o in s.get("output") or [])}


def reply_text(case: Case, answer: str) -> str:
    office = getattr(engine.office(), "name", "Kecamatan")
    return (f"Tanggapan atas pengaduan Anda (kode pelacakan {case.tracking_code}):\n\n"
            f"{answer}\n\nTerima kasih.\n{office}")


def queue_replies(session: Session) -> int:
    """Create the reply of every answered complaint that has none yet (safe to run twice)."""
    rows = session.execute(
        select(Complaint, Case).join(Case, Case.id == Complaint.case_id)
        .outerjoin(ComplaintReply, ComplaintReply.complaint_id == Complaint.id)
        .where(Complaint.reply_channel.is_not(None), ComplaintReply.id.is_(None))
    ).all()
    created = 0
    for complaint, case in rows:
        keys = answer_step_keys(engine.content_of(session, case))
        answered = session.scalar(
            select(Step).where(Step.case_id == case.id, Step.step_key.in_(keys),
                               Step.state == "done").order_by(Step.seq.desc()).limit(1))
        if answered is None or not answered.output:
            continue
        assert complaint.reply_channel is not None
        try:
            with session.begin_nested():  # another worker may be queueing the same reply
                session.add(ComplaintReply(complaint_id=complaint.id,
                                           channel=complaint.reply_channel,
                                           body=reply_text(case, answered.output)))
        except IntegrityError:
            continue
        created += 1
    return created


def _send_email(settings: Settings, to: str, subject: str, body: str) -> None:
    if not settings.smtp_url:
        raise RuntimeError("LOKET_SMTP_URL is not set")
    parts = urlsplit(settings.smtp_url)
    message = EmailMessage()
    message["From"] = settings.smtp_from
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    with smtplib.SMTP(parts.hostname or "localhost", parts.port or 25, timeout=10) as smtp:
        if parts.username:
            smtp.login(parts.username, parts.password or "")
        smtp.send_message(message)


def _send_gateway(settings: Settings, payload: dict[str, Any]) -> None:
    if not settings.gateway_url:
        raise RuntimeError("LOKET_GATEWAY_URL is not set")
    request = urllib.request.Request(settings.gateway_url, data=json.dumps(payload).encode(),
                                     method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        if response.status >= 300:
            raise RuntimeError(f"gateway answered {response.status}")


def send(settings: Settings, reply: ComplaintReply, case: Case, complaint: Complaint) -> None:
    contact = reporter(complaint).get("contact")
    if not contact:
        raise RuntimeError("the complaint has no contact to answer")
    if reply.channel == "email":
        _send_email(settings, contact, f"Tanggapan pengaduan {case.tracking_code}", reply.body)
    else:
        _send_gateway(settings, {"channel": reply.channel, "to": contact, "text": reply.body,
                                 "reference": case.tracking_code, "id": reply.id})


def deliver_due(session_factory: Callable[[], Any], now: dt.datetime | None = None,
                settings: Settings | None = None, limit: int = 50) -> dict[str, int]:
    """Send the replies that are due; each is leased first so two workers never both send.

    The lease is one short write, the send (SMTP or the gateway, up to 10 s) runs with no
    session open, and the result is a second short write: on SQLite no kiosk or counter waits
    for a slow mail server.
    """
    settings = settings or get_settings()
    now = now or dt.datetime.now(dt.UTC)
    return outbox_delivery.deliver_due(
        session_factory, ComplaintReply, now, limit, load=_load,
        send=lambda job: send(settings, *job),
        record=lambda session, i, error: _record(session, i, error, settings, now))


def _load(session: Session, reply_id: int) -> tuple[ComplaintReply, Case, Complaint]:
    """What the send needs, read inside the lease's write (rows come detached)."""
    reply = session.get(ComplaintReply, reply_id)
    assert reply is not None
    complaint = session.get(Complaint, reply.complaint_id)
    assert complaint is not None
    case = session.get(Case, complaint.case_id)
    assert case is not None
    session.expunge_all()
    return reply, case, complaint


def _record(session: Session, reply_id: int, error: Exception | None, settings: Settings,
            now: dt.datetime) -> str:
    reply = session.get(ComplaintReply, reply_id)
    assert reply is not None
    reply.attempts += 1
    if error is not None:
        reply.last_error = f"{type(error).__name__}: {error}"[:500]
        if reply.attempts >= settings.notify_max_attempts:
            reply.status = "parked"
            logger.warning("complaint reply %s parked after %s attempts", reply.id,
                           reply.attempts)
            return "parked"
        reply.next_attempt_at = now + dt.timedelta(seconds=30 * 2 ** reply.attempts)
        return "failed"
    reply.status = "sent"
    reply.sent_at = now
    return "sent"
