"""Word to the citizen that the file is ready: "berkas Anda siap diambil" (issue #20).

When a case reaches its hand-over step (``domain/handover.py``) and its applicant can be reached
(a ``contact`` — e-mail address and/or phone number — recorded by staff with the citizen's
consent, or the phone number the visitor gave at the kiosk or counter; see
``domain.handover.applicant_routes``), :func:`queue_notices` puts one message per route in the
``wf_ready_notice`` outbox and notes it in the case log. :func:`deliver_due` sends them —
e-mail over ``LOKET_SMTP_URL``, WhatsApp/SMS as the gateway request of the complaint answers
(``usecases/replies.py``) to ``LOKET_GATEWAY_URL`` — and retries with back-off, parking a message
after ``LOKET_NOTIFY_MAX_ATTEMPTS``; parked messages are listed for the admin. A route whose
channel the office has not configured gets no message (the case log says so once). No message
carries the NIK or the name: only the service, the tracking code and the office.

Sending happens outside any write transaction: a message is leased (a conditional update,
committed), sent, then its outcome is recorded in a second short transaction.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from loket.settings import Settings, get_settings
from workflow_service import outbox_delivery
from workflow_service.domain.handover import (
    READY_SUBJECT,
    applicant_routes,
    handover_step_keys,
    ready_text,
)
from workflow_service.models import Case, CaseLog, Step
from workflow_service.models_citizen import ReadyNotice
from workflow_service.privacy import applicant_for_letters
from workflow_service.usecases import replies, steps
from workflow_service.usecases.context import office

logger = logging.getLogger(__name__)

ACTOR = "sistem"
CHANNEL_NAMES = {"email": "e-mail", "whatsapp": "WhatsApp/SMS"}


def configured(settings: Settings, channel: str) -> bool:
    return bool(settings.smtp_url if channel == "email" else settings.gateway_url)


def _log(session: Session, case: Case, step: Step | None, note: str) -> None:
    session.add(CaseLog(case_id=case.id, step_id=step.id if step else None,
                        step_key=step.step_key if step else None, actor=ACTOR,
                        actor_role=None, action="notice", note=note,
                        at=dt.datetime.now(dt.UTC)))


def queue_notices(session: Session, settings: Settings | None = None) -> int:
    """Queue the message of every open case now at its hand-over step (safe to run twice)."""
    settings = settings or get_settings()
    rows = session.execute(
        select(Case, Step).join(Step, Step.id == Case.current_step_id)
        .where(Case.status == "open", Case.applicant_enc.is_not(None))).all()
    created = 0
    for case, step in rows:
        content = steps.content_of(session, case)
        if step.step_key not in handover_step_keys(content):
            continue
        routes = applicant_routes(applicant_for_letters(case.applicant_enc))
        have = set(session.scalars(select(ReadyNotice.channel)
                                   .where(ReadyNotice.case_id == case.id)))
        for channel in routes:
            if channel in have:
                continue
            name = CHANNEL_NAMES[channel]
            if not configured(settings, channel):
                note = f"berkas siap diambil: {name} belum diatur kantor, tidak dikirim"
                if session.scalar(select(CaseLog.id).where(CaseLog.case_id == case.id,
                                                           CaseLog.note == note)) is None:
                    _log(session, case, step, note)
                continue
            body = ready_text(content["name"], case.tracking_code, office().name)
            try:
                with session.begin_nested():  # another worker may queue the same message
                    session.add(ReadyNotice(case_id=case.id, step_id=step.id, channel=channel,
                                            body=body))
            except IntegrityError:
                continue
            _log(session, case, step, f"berkas siap diambil: pesan {name} diantrekan")
            created += 1
    return created


def _send(settings: Settings, notice_id: int, channel: str, body: str, code: str,
          applicant: dict[str, Any]) -> None:
    address = applicant_routes(applicant).get(channel)
    if address is None:
        raise RuntimeError("the applicant's contact no longer has this route")
    if channel == "email":
        replies._send_email(settings, address, READY_SUBJECT.format(code=code), body)
    else:
        replies._send_gateway(settings, {"channel": channel, "to": address, "text": body,
                                         "reference": code, "id": f"ready-{notice_id}",
                                         "kind": "berkas_siap"})


def deliver_due(session_factory: Callable[[], Any], now: dt.datetime | None = None,
                settings: Settings | None = None, limit: int = 50) -> dict[str, int]:
    """Send the messages that are due; each is leased first so two workers never both send."""
    settings = settings or get_settings()
    now = now or dt.datetime.now(dt.UTC)

    def load(session: Session, notice_id: int) -> tuple[int, str, str, str, dict[str, Any]]:
        notice = session.get(ReadyNotice, notice_id)
        case = session.get(Case, notice.case_id) if notice else None
        assert notice is not None and case is not None
        return (notice_id, notice.channel, notice.body, case.tracking_code,
                applicant_for_letters(case.applicant_enc))

    def record(session: Session, notice_id: int, error: Exception | None) -> str:
        text = None if error is None else f"{type(error).__name__}: {error}"[:500]
        return _record(session, notice_id, text, settings, now)

    return outbox_delivery.deliver_due(
        session_factory, ReadyNotice, now, limit, load=load,
        send=lambda job: _send(settings, *job), record=record)


def _record(session: Session, notice_id: int, error: str | None, settings: Settings,
            now: dt.datetime) -> str:
    notice = session.get(ReadyNotice, notice_id)
    assert notice is not None
    case = session.get(Case, notice.case_id)
    step = session.get(Step, notice.step_id)
    assert case is not None
    notice.attempts += 1
    name = CHANNEL_NAMES[notice.channel]
    if error is None:
        notice.status, notice.sent_at, notice.last_error = "sent", now, None
        _log(session, case, step, f"berkas siap diambil: pesan {name} terkirim")
        return "sent"
    notice.last_error = error
    if notice.attempts >= settings.notify_max_attempts:
        notice.status = "parked"
        _log(session, case, step, f"berkas siap diambil: pesan {name} gagal "
                                  f"{notice.attempts} kali, ditahan untuk admin")
        logger.warning("ready notice %s parked after %s attempts", notice.id, notice.attempts)
        return "parked"
    notice.next_attempt_at = now + dt.timedelta(seconds=30 * 2 ** notice.attempts)
    return "failed"


def parked(session: Session) -> list[dict[str, Any]]:
    """Messages that kept failing, for the admin (no contact, no message text)."""
    rows = session.execute(
        select(ReadyNotice, Case.tracking_code, Case.sop_code)
        .join(Case, Case.id == ReadyNotice.case_id)
        .where(ReadyNotice.status == "parked").order_by(ReadyNotice.id)).all()
    return [{"id": n.id, "case_id": n.case_id, "tracking_code": code, "sop": sop,
             "channel": n.channel, "attempts": n.attempts, "last_error": n.last_error,
             "created_at": n.created_at.isoformat()} for n, code, sop in rows]


def retry(session: Session, notice_id: int, now: dt.datetime | None = None) -> bool:
    """Put a parked message back in the queue; False if there is no such parked message."""
    notice = session.get(ReadyNotice, notice_id)
    if notice is None or notice.status != "parked":
        return False
    notice.status, notice.attempts = "pending", 0
    notice.next_attempt_at = now or dt.datetime.now(dt.UTC)
    return True


READY_NOW = "Berkas Anda siap diambil. Silakan datang ke loket pada jam pelayanan."
WORD_ON = ("Bila Anda meninggalkan e-mail atau nomor HP/WhatsApp kepada petugas, kami mengabari "
           "Anda saat berkas siap diambil.")
WORD_OFF = ("Kantor ini belum mengaktifkan pemberitahuan otomatis: pantau halaman ini untuk "
            "mengetahui kapan berkas siap diambil.")


def tracking_words(status: dict[str, Any], settings: Settings) -> dict[str, str] | None:
    """What the public tracking page says about the hand-over (no personal data): the file is
    ready now, and whether the office sends word at all. None for an SOP without a hand-over."""
    from workflow_service.domain.handover import is_handover

    steps = status.get("steps") or []
    if not any(is_handover([s["activity"]]) for s in steps):
        return None
    current = status.get("current_step")
    ready = (status.get("status") == "open" and current is not None
             and is_handover([current["activity"]]))
    on = configured(settings, "email") or configured(settings, "whatsapp")
    return {"ready": READY_NOW if ready else "", "word": WORD_ON if on else WORD_OFF}
