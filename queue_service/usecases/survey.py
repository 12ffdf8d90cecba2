"""SKM: a visitor answers the survey for their served ticket; the IKM report for a period."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from loket.db import utcnow
from loket.errors import Conflict
from queue_service.domain import skm, states
from queue_service.domain.errors import TicketNotFound
from queue_service.domain.numbering import is_tracking_code, normalize_tracking_code
from queue_service.models import Office, Service, SurveyResponse, Ticket
from queue_service.usecases import queries
from queue_service.usecases.context import QueueContext, unit_of_work
from queue_service.validation_survey import SurveyInput


class SurveyNotOpen(Conflict):
    code = "survey_not_open"


class SurveyAlreadyAnswered(Conflict):
    code = "survey_already_answered"


def _ticket_by_code(session: Any, tracking_code: str, lock: bool = False) -> Ticket:
    code = normalize_tracking_code(tracking_code)
    if not is_tracking_code(code):
        raise TicketNotFound("Kode antrean tidak ditemukan.", field="tracking_code")
    query = select(Ticket).where(Ticket.tracking_code == code)
    ticket = session.scalar(query.with_for_update() if lock else query)
    if ticket is None:
        raise TicketNotFound("Kode antrean tidak ditemukan.", field="tracking_code")
    return ticket


def survey_state(ctx: QueueContext, tracking_code: str) -> str:
    """``open`` (served, not answered), ``answered``, or ``not_yet``."""
    with ctx.db.read_session() as session:
        ticket = _ticket_by_code(session, tracking_code)
        answered = session.scalar(select(SurveyResponse.id)
                                  .where(SurveyResponse.ticket_id == ticket.id))
        if answered is not None:
            return "answered"
        return "open" if ticket.status == states.DONE else "not_yet"


def submit(ctx: QueueContext, tracking_code: str, data: SurveyInput) -> dict[str, Any]:
    """Record the one response of a served ticket."""
    try:
        with unit_of_work(ctx) as uow:
            session = uow.session
            ticket = _ticket_by_code(session, tracking_code, lock=True)
            if ticket.status != states.DONE:
                raise SurveyNotOpen("Survei dapat diisi setelah pelayanan Anda selesai.",
                                    field="tracking_code")
            if session.scalar(select(SurveyResponse.id)
                              .where(SurveyResponse.ticket_id == ticket.id)) is not None:
                raise SurveyAlreadyAnswered("Terima kasih, survei untuk tiket ini sudah diisi.",
                                            field="tracking_code")
            session.add(SurveyResponse(
                ticket_id=ticket.id, service_id=ticket.service_id,
                service_day=ticket.service_day, answers=data.answers, age=data.age,
                gender=data.gender, education=data.education, occupation=data.occupation,
                comment=data.comment, created_at=utcnow()))
            session.flush()
    except IntegrityError:  # a second submission raced the first one
        raise SurveyAlreadyAnswered("Terima kasih, survei untuk tiket ini sudah diisi.",
                                    field="tracking_code") from None
    return {"status": "recorded", "message": "Terima kasih atas penilaian Anda."}


def report(ctx: QueueContext, first: dt.date, last: dt.date,
           service_code: str | None) -> dict[str, Any]:
    """The IKM of a period (and service), with the respondent profile and comments; anonymous."""
    with ctx.db.read_session() as session:
        service = queries.service_by_code(session, service_code) if service_code else None
        office = queries.get_office(session, ctx.settings)
        served = select(func.count()).select_from(Ticket).where(
            Ticket.status == states.DONE, Ticket.service_day.between(first, last))
        rows = select(SurveyResponse).where(SurveyResponse.service_day.between(first, last))
        if service is not None:
            served = served.where(Ticket.service_id == service.id)
            rows = rows.where(SurveyResponse.service_id == service.id)
        population = int(session.scalar(served) or 0)
        responses = list(session.scalars(rows.order_by(SurveyResponse.id)))
        result = skm.compute_ikm((r.answers for r in responses), population)
        return _report_json(result, responses, first, last, service, office)


def _count(values: list[str | None], labels: dict[str, str]) -> list[dict[str, Any]]:
    rows: list[tuple[str | None, str]] = [*labels.items(), (None, "Tidak diisi")]
    return [{"code": code, "label": label, "count": values.count(code)} for code, label in rows]


def _age_bands(ages: list[int | None]) -> list[dict[str, Any]]:
    bands = (("< 20", 0, 19), ("20–29", 20, 29), ("30–39", 30, 39), ("40–49", 40, 49),
             ("50–59", 50, 59), ("≥ 60", 60, 200))
    out = [{"code": label, "label": label,
            "count": sum(1 for a in ages if a is not None and low <= a <= high)}
           for label, low, high in bands]
    out.append({"code": None, "label": "Tidak diisi", "count": ages.count(None)})
    return out


def _report_json(result: skm.IkmResult, responses: list[SurveyResponse], first: dt.date,
                 last: dt.date, service: Service | None, office: Office) -> dict[str, Any]:
    lowest = result.lowest
    return {
        "office": office.name,
        "from": first.isoformat(), "to": last.isoformat(),
        "service": None if service is None else {"code": service.code, "name": service.name},
        "respondents": result.respondents,
        "population": result.population,
        "unsur": [{"code": u.code, "name": u.name, "answered": u.answered, "total": u.total,
                   "nrr": None if u.nrr is None else float(skm.round3(u.nrr)),
                   "nrr_weighted": None if u.nrr is None else float(skm.round3(u.nrr * skm.WEIGHT)),
                   "converted": None if u.converted is None else float(u.converted),
                   "priority": lowest is not None and u.code == lowest.code}
                  for u in result.unsur],
        "ikm": None if result.ikm is None else float(result.ikm),
        "mutu": result.mutu, "kinerja": result.kinerja,
        "priority": None if lowest is None else {"code": lowest.code, "name": lowest.name},
        "sample_needed": result.sample_needed,
        "sample_reached": result.sample_reached,
        "profile": {
            "age": _age_bands([r.age for r in responses]),
            "gender": _count([r.gender for r in responses], skm.GENDERS),
            "education": _count([r.education for r in responses], skm.EDUCATIONS),
            "occupation": _count([r.occupation for r in responses], skm.OCCUPATIONS),
        },
        "comments": [r.comment for r in responses if r.comment],
    }
