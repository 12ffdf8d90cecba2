"""A complaint's classification and its lembar disposisi decide whose desk the disposisi step is on.

Pengaduan step 2b: the petugas reports the complaint "ke masing-masing seksi, Sekretaris Camat
dan Camat sesuai klasifikasi pengaduan"; step 2c (approve and order the answer) then belongs to
the desk chosen: a section's Kasi, the Sekcam or the Camat. The topic chosen at classification
routes it (``complaint_routing`` in the office file); the Camat or Sekcam may forward it with a
lembar disposisi (to whom, instruction, date), which routes it again and is printed.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from sqlalchemy import select

from loket import events
from loket.auth import Principal
from loket.errors import Conflict, Forbidden, ValidationFailed
from workflow_service import documents as pdf
from workflow_service.domain import can_act, thresholds_for
from workflow_service.domain.permissions import CAMAT, KASI, PETUGAS, SEKCAM
from workflow_service.models import Case, Escalation, Step
from workflow_service.models_complaints import Complaint
from workflow_service.models_routing import Classification, Disposition
from workflow_service.usecases import steps
from workflow_service.usecases.context import (
    UnitOfWork,
    WorkflowContext,
    business_calendar,
    office,
    unit_of_work,
)
from workflow_service.usecases.serializers import case_json

SOP = "pengaduan"
# The row "Memberikan persetujuan dan memerintahkan memberikan tanggapan / jawaban".
DISPOSISI_STEP = "2c"
# Classification happens at these steps (recording, verification and classification).
CLASSIFY_AT = ("1", "1b", "2", "2b")
KINDS = {"pengaduan": "Pengaduan", "aspirasi": "Aspirasi",
         "permintaan_informasi": "Permintaan informasi"}
URGENCIES = {"biasa": "Biasa", "segera": "Segera", "sangat_segera": "Sangat segera"}
WRITERS = (CAMAT, SEKCAM)


def targets() -> dict[str, str]:
    """Who a complaint may go to: every section (its Kasi), the Sekcam, the Camat."""
    sections = getattr(office(), "sections", {}) or {}
    return {**{code: f"Kasi {name}" for code, name in sections.items()},
            SEKCAM: "Sekretaris Camat", CAMAT: "Camat"}


def topics() -> dict[str, str]:
    """Topic -> default target, from the office file."""
    return dict(getattr(office(), "complaint_routing", {}) or {})


def _choice(data: dict[str, Any], name: str, allowed: dict[str, str], label: str,
            required: bool = True) -> str | None:
    value = data.get(name)
    if value in (None, "") and not required:
        return None
    if not isinstance(value, str) or value not in allowed:
        raise ValidationFailed(f"{label} harus dipilih dari: {', '.join(allowed)}.", field=name)
    return value


def _text(data: dict[str, Any], name: str, label: str, max_length: int,
          required: bool = True) -> str | None:
    value = data.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ValidationFailed(f"{label} wajib diisi.", field=name)
        return None
    if not isinstance(value, str) or len(value) > max_length:
        raise ValidationFailed(f"{label} berupa teks, paling banyak {max_length} karakter.",
                               field=name)
    return value.strip()


def _disposisi_step(case: Case) -> Step:
    if case.sop_code != SOP:
        raise ValidationFailed("Klasifikasi dan disposisi hanya untuk kasus pengaduan.",
                               field="id", code="not_a_complaint")
    step = next((s for s in sorted(case.steps, key=lambda s: -s.seq)
                 if s.step_key == DISPOSISI_STEP), None)
    if case.status != "open" or step is None or step.state not in ("pending", "active"):
        raise Conflict("Langkah disposisi pengaduan ini sudah selesai; tujuan tidak dapat "
                       "diubah lagi.", code="disposisi_done")
    return step


def route_step(step: Step, target: str) -> None:
    """Put the step on ``target``'s desk: a section's Kasi, the Sekcam or the Camat."""
    if target in (SEKCAM, CAMAT):
        step.role, step.section = target, None
    else:
        step.role, step.section = KASI, target
    step.assignee = None


def _renotify(session: Any, step: Step) -> None:
    """A running step that changed desks: its rungs not yet fired notify its new role."""
    clock = steps.clock_of(step, business_calendar(session)) if step.state == "active" else None
    if clock is None:
        return
    targets_by_level = {t.level.key: sorted(t.level.notify_roles)
                        for t in thresholds_for(clock, step_roles={step.role})}
    for row in session.scalars(select(Escalation).where(Escalation.step_id == step.id,
                                                        Escalation.fired_at.is_(None))):
        row.target_roles = targets_by_level.get(row.level, row.target_roles)


def _stamp(uow: UnitOfWork, case: Case, step: Step, actor: Principal, action: str,
           note: str, now: dt.datetime) -> None:
    _renotify(uow.session, step)
    role = next(iter(sorted(actor.roles)), None)
    steps.log(uow, case, step, actor.username, role, action, step.state, step.state, note, now)
    steps.record(uow, events.STEP_REASSIGNED, case, step)


def classify(ctx: WorkflowContext, case_id: int, actor: Principal,
             data: dict[str, Any]) -> dict[str, Any]:
    """``PUT /cases/{id}/classification``: kind, topic, and (optionally) whom it goes to."""
    if not can_act(set(actor.roles), {PETUGAS}, "complete"):
        raise Forbidden("Klasifikasi pengaduan dilakukan petugas (atau atasannya).",
                        code="role_not_allowed")
    kind = str(_choice(data, "kind", KINDS, "Jenis (klasifikasi)"))
    topic = str(_choice(data, "topic", {t: t for t in topics()}, "Topik pengaduan"))
    route = _choice(data, "route", targets(), "Diteruskan kepada", required=False) or \
        topics()[topic]
    now = dt.datetime.now(dt.UTC)
    with unit_of_work(ctx.db, ctx.redis) as uow:
        case = steps.get_case(uow.session, case_id, lock=True)
        step = _disposisi_step(case)
        current = steps.current_step(case)
        if current is None or current.step_key not in CLASSIFY_AT:
            raise Conflict("Klasifikasi dilakukan pada langkah pencatatan dan verifikasi "
                           "(langkah 1–2b).", code="not_classifying")
        row = uow.session.scalar(select(Classification).where(Classification.case_id == case.id))
        if row is None:
            row = Classification(case_id=case.id, kind=kind, topic=topic, route=route,
                                 by=actor.username, at=now)
            uow.session.add(row)
        else:
            row.kind, row.topic, row.route, row.by, row.at = kind, topic, route, actor.username, now
        route_step(step, route)
        _stamp(uow, case, step, actor, "classify",
               f"{KINDS[kind]} · {topic} → {targets()[route]}", now)
        return case_json(uow.session, case, detail=True)


def _agenda_number(session: Any, now: dt.datetime) -> str:
    year = now.astimezone(zoneinfo.ZoneInfo("Asia/Jakarta")).year
    serial = pdf.next_number(session, "agenda_disposisi", year)
    return f"{serial:03d}/{pdf.OFFICE_CODE}/{year}"


def _parse_date(value: Any, now: dt.datetime) -> dt.date:
    if value in (None, ""):
        return now.astimezone(zoneinfo.ZoneInfo("Asia/Jakarta")).date()
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValidationFailed("Tanggal disposisi harus berformat YYYY-MM-DD.",
                               field="date") from None


def dispose(ctx: WorkflowContext, case_id: int, actor: Principal,
            data: dict[str, Any]) -> dict[str, Any]:
    """``POST /cases/{id}/disposisi``: the Camat or Sekcam forwards the complaint."""
    if not set(actor.roles) & set(WRITERS):
        raise Forbidden("Lembar disposisi ditulis oleh Camat atau Sekretaris Camat.",
                        code="role_not_allowed")
    forward_to = str(_choice(data, "forward_to", targets(), "Diteruskan kepada"))
    instruction = str(_text(data, "instruction", "Isi disposisi (instruksi)", 2000))
    urgency = _choice(data, "urgency", URGENCIES, "Sifat", required=False) or "biasa"
    notes = _text(data, "notes", "Catatan", 2000, required=False)
    now = dt.datetime.now(dt.UTC)
    dated = _parse_date(data.get("date"), now)
    with unit_of_work(ctx.db, ctx.redis) as uow:
        case = steps.get_case(uow.session, case_id, lock=True)
        step = _disposisi_step(case)
        sender = _text(data, "sender", "Asal/pengirim", 200, required=False) or \
            f"Pelapor melalui {case.channel}"
        subject = _text(data, "subject", "Perihal", 300, required=False) or \
            (case.subject or "Pengaduan pelayanan publik")[:300]
        role = next(r for r in WRITERS if r in actor.roles)
        uow.session.add(Disposition(
            case_id=case.id, step_id=step.id, agenda_number=_agenda_number(uow.session, now),
            sender=sender, urgency=urgency, subject=subject, forward_to=forward_to,
            instruction=instruction, notes=notes, dated=dated, written_by=actor.username,
            written_role=role, written_at=now))
        route_step(step, forward_to)
        _stamp(uow, case, step, actor, "disposisi", f"→ {targets()[forward_to]}: {instruction}",
               now)
        return case_json(uow.session, case, detail=True)


def disposition_json(row: Disposition) -> dict[str, Any]:
    return {"id": row.id, "agenda_number": row.agenda_number, "sender": row.sender,
            "urgency": row.urgency, "urgency_label": URGENCIES.get(row.urgency, row.urgency),
            "subject": row.subject, "forward_to": row.forward_to,
            "forward_to_label": targets().get(row.forward_to, row.forward_to),
            "instruction": row.instruction, "notes": row.notes, "date": row.dated.isoformat(),
            "written_by": row.written_by, "written_role": row.written_role,
            "written_at": steps.iso(row.written_at)}


def complaint_routing(session: Any, case: Case) -> dict[str, Any]:
    """What the staff JSON of a complaint case adds: its classification and dispositions."""
    if case.sop_code != SOP:
        return {}
    row = session.scalar(select(Classification).where(Classification.case_id == case.id))
    category = session.scalar(select(Complaint.category).where(Complaint.case_id == case.id))
    dispositions = session.scalars(select(Disposition).where(Disposition.case_id == case.id)
                                   .order_by(Disposition.id))
    return {
        "classification": None if row is None else {
            "kind": row.kind, "kind_label": KINDS.get(row.kind, row.kind), "topic": row.topic,
            "route": row.route, "route_label": targets().get(row.route, row.route),
            "by": row.by, "at": steps.iso(row.at)},
        "dispositions": [disposition_json(d) for d in dispositions],
        "routing_options": {"kinds": KINDS, "topics": topics(), "targets": targets(),
                            "urgencies": URGENCIES,
                            # The reporter's own category (kiosk, public form), if it is a topic.
                            "suggested_topic": category if category in topics() else None},
    }


def latest_disposition(session: Any, case: Case) -> dict[str, Any] | None:
    """The last lembar disposisi written for the case (printed on its PDF)."""
    row = session.scalars(select(Disposition).where(Disposition.case_id == case.id)
                          .order_by(Disposition.id.desc())).first()
    return disposition_json(row) if row is not None else None
