"""`loket demo-history`: a plausible past for a development database (never production).

A composition-level command (like the CLI it belongs to): it writes the queue's past and
walks cases through the workflow, so it may import both services.

The hall is played day by day with a seeded random generator, so the same ``--seed`` gives
the same history:

- Visitors arrive Monday to Friday, 08:00–15:00 office time, as a Poisson stream per service
  whose rate peaks in the morning and on Mondays.
- Each service's line is served first come, first served by the counters the demo hall
  assigns to it (a visitor takes whichever counter frees first); service times are
  exponential around the SOP's standard for the visit. 6 % do not come when called and 2 %
  cancel before their call.
- The planned day is then played through the queue's use cases, each at its simulated moment
  (``loket.db.simulated_now``: the use cases read the clock from ``utcnow()``): the officers
  open their counters, the kiosk issues each number, the counter calls the next (the queue
  decides whom, by its calling rules), starts and finishes or marks a no-show; a visitor still
  waiting when the counters are done goes home (cancelled). The counters get back the status
  they had. Events go to the outbox as they do in the hall, stamped with the simulated moment.
  15 % of the served answer the SKM survey (the survey use case) a few minutes later.
- A share of the served visitors (``--cases``) have their case walked through the real
  workflow use cases (open, complete each step, sometimes a return to the applicant), with
  step times around the SOP's time standard, a fifth of them late. Complaints also come by
  telephone and WhatsApp.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import random
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from loket.auth import Principal
from loket.db import Database, simulated_now
from loket.settings import Settings

logger = logging.getLogger(__name__)

OPEN_HOUR, CLOSE_HOUR = 8, 15
# Visitors per hour at the morning peak on an ordinary day, per service.
PEAK_RATE = {"ektp": 9.0, "kk": 6.0, "rekomendasi": 2.5, "penerimaan-tamu": 2.0,
             "pengaduan": 0.8}
HOUR_SHAPE = {8: 0.9, 9: 1.0, 10: 0.85, 11: 0.6, 12: 0.35, 13: 0.5, 14: 0.35}
WEEKDAY_SHAPE = {0: 1.3, 1: 1.05, 2: 1.0, 3: 0.95, 4: 0.75}
NO_SHOW, CANCEL = 0.06, 0.02
SURVEY_SHARE = 0.15  # of the served visitors answer the SKM survey
ACTOR = Principal(kind="staff", id=0, username="demo-history",
                  roles=frozenset({"petugas", "operator", "kasi", "sekcam", "camat"}))


class HistoryRefused(RuntimeError):
    pass


@dataclasses.dataclass
class Visit:
    service: str
    arrival: dt.datetime
    counter: int | None = None
    called: dt.datetime | None = None
    serving: dt.datetime | None = None
    finished: dt.datetime | None = None
    status: str = "done"


def _poisson_times(rng: random.Random, day: dt.date, zone: ZoneInfo,
                   rate_for: dict[int, float]) -> list[dt.datetime]:
    times: list[dt.datetime] = []
    for hour in range(OPEN_HOUR, CLOSE_HOUR):
        rate = rate_for.get(hour, 0.0)
        at = 0.0
        while rate > 0:
            at += rng.expovariate(rate / 60.0)
            if at >= 60:
                break
            start = dt.datetime.combine(day, dt.time(hour), zone)
            times.append((start + dt.timedelta(minutes=at)).astimezone(dt.UTC))
    return times


def play_day(rng: random.Random, day: dt.date, zone: ZoneInfo, minutes: dict[str, float],
             counters_of: dict[str, list[int]], scale: float = 1.0) -> list[Visit]:
    """One day of the hall: arrivals, first come first served over each service's counters.
    ``scale`` multiplies every arrival rate (a busier office)."""
    visits: list[Visit] = []
    for service, peak in PEAK_RATE.items():
        rates = {h: peak * scale * s * WEEKDAY_SHAPE[day.weekday()]
                 for h, s in HOUR_SHAPE.items()}
        visits.extend(Visit(service, t) for t in _poisson_times(rng, day, zone, rates))
    visits.sort(key=lambda v: v.arrival)
    free: dict[int, dt.datetime] = {}
    for visit in visits:
        if rng.random() < CANCEL:
            visit.status = "cancelled"
            continue
        choices = [(free.get(c, visit.arrival), c) for c in counters_of[visit.service]]
        ready, counter = min(choices)
        visit.counter = counter
        visit.called = max(visit.arrival, ready)
        if rng.random() < NO_SHOW:
            visit.status = "no_show"
            free[counter] = visit.called + dt.timedelta(minutes=2)
            continue
        visit.serving = visit.called + dt.timedelta(minutes=rng.uniform(0.3, 1.5))
        length = max(0.5, rng.expovariate(1.0 / minutes[visit.service]))
        visit.finished = visit.serving + dt.timedelta(minutes=length)
        free[counter] = visit.finished
    return visits


@dataclasses.dataclass
class Served:
    """A ticket the queue's use cases served: what a case opened at the counter refers to."""
    ticket_id: int
    number: str
    service: str
    serving: dt.datetime


# Order of moments that fall on the same instant: a counter finishes before it calls again, and
# a visitor has a number before anyone calls it.
_FINISH, _ISSUE, _CANCEL, _CALL, _START = range(5)


def _moments(visits: list[Visit], rng: random.Random) -> list[tuple[Any, ...]]:
    """The day's planned moments (time, order, visit index), earliest first."""
    moments: list[tuple[Any, ...]] = []
    for index, visit in enumerate(visits):
        moments.append((visit.arrival, _ISSUE, index))
        if visit.status == "cancelled":
            moments.append((visit.arrival + dt.timedelta(minutes=rng.uniform(2, 20)),
                            _CANCEL, index))
        elif visit.called is not None:
            moments.append((visit.called, _CALL, index))
    moments.sort(key=lambda m: (m[0], m[1], m[2]))
    return moments


class HallPlayer:
    """Plays the planned day through the queue's use cases, each at its simulated moment:
    issue at the kiosk, call-next at the counter (the queue picks whom), start, finish or
    no-show. The plan decides when a counter calls and how long its visitor takes."""

    def __init__(self, ctx: Any, ids: dict[str, Any]) -> None:
        self.ctx = ctx
        self.ids = ids
        self.issued = 0  # tickets issued on the day played last
        self.codes: dict[int, str] = {}  # ticket id -> tracking code (for the SKM survey)

    def _officer(self, counter: int) -> Principal:
        return Principal(kind="staff", id=self.ids["officers"][counter],
                         username=f"petugas{counter}", roles=frozenset({"petugas"}))

    def set_counters(self, status: str, when: dt.datetime) -> None:
        from queue_service.usecases.counters import set_counter_status

        with simulated_now(when):
            for number, counter_id in self.ids["counters"].items():
                who = self._officer(number) if number in self.ids["officers"] else ACTOR
                set_counter_status(self.ctx, counter_id, status, who)

    def restore_counters(self, statuses: dict[int, str]) -> None:
        """Back to the statuses the counters had before the history was played (now)."""
        from queue_service.usecases.counters import set_counter_status

        for number, counter_id in self.ids["counters"].items():
            if statuses.get(number, "closed") != "closed":
                set_counter_status(self.ctx, counter_id, statuses[number], ACTOR)

    def play(self, visits: list[Visit], rng: random.Random) -> list[Served]:
        from queue_service.domain.errors import OfficeClosed
        from queue_service.usecases.calling import call_next
        from queue_service.usecases.issuing import issue_ticket
        from queue_service.usecases.tickets import act
        from queue_service.validation import IssueInput

        moments = _moments(visits, rng)
        ticket_of: dict[int, int] = {}
        served: list[Served] = []
        later: list[tuple[Any, ...]] = []  # (time, order, ticket id, action, principal)
        while moments or later:
            if later and (not moments or later[0][:2] <= moments[0][:2]):
                at, _order, ticket_id, action, who = later.pop(0)
                with simulated_now(at):
                    if action == "survey":
                        self._answer_survey(ticket_id, rng)
                    else:
                        act(self.ctx, ticket_id, action, who)
                continue
            at, order, index = moments.pop(0)
            visit = visits[index]
            with simulated_now(at):
                if order == _ISSUE:
                    try:
                        issued = issue_ticket(self.ctx, IssueInput(
                            service=visit.service, visitor=None, priority=None,
                            details={"demo": True}), None, None)
                    except OfficeClosed:  # a holiday of an office that enforces its hours
                        continue
                    ticket_of[index] = issued["id"]
                    self.codes[issued["id"]] = issued["tracking_code"]
                elif order == _CANCEL:
                    if index in ticket_of and self._waiting(ticket_of[index]):
                        act(self.ctx, ticket_of[index], "cancel", ACTOR)
                else:
                    assert visit.counter is not None
                    who = self._officer(visit.counter)
                    called = call_next(self.ctx, self.ids["counters"][visit.counter], who)
                    if called is None:  # never expected: the plan calls only when someone waits
                        continue
                    later.extend(self._plan_ticket(visit, called, who, served, rng))
                    later.sort(key=lambda m: (m[0], m[1], m[2]))
        self._send_home(list(ticket_of.values()), visits)
        self.issued = len(ticket_of)
        return served

    def _send_home(self, ticket_ids: list[int], visits: list[Visit]) -> None:
        """Whoever still waits when the counters are done goes home (cancelled): a visitor who
        meant to leave was called first, so the call planned for another came to nobody."""
        from queue_service.models import Ticket
        from queue_service.usecases.tickets import act

        with self.ctx.db.read_session() as session:
            waiting = list(session.scalars(select(Ticket.id).where(
                Ticket.id.in_(ticket_ids), Ticket.status == "waiting")))
        last = max(v.finished or v.called or v.arrival for v in visits) if visits else None
        for ticket_id in waiting:
            assert last is not None
            with simulated_now(last + dt.timedelta(minutes=1)):
                act(self.ctx, ticket_id, "cancel", ACTOR)

    def _waiting(self, ticket_id: int) -> bool:
        from queue_service.models import Ticket

        with self.ctx.db.read_session() as session:
            return bool(session.scalar(select(Ticket.status).where(Ticket.id == ticket_id))
                        == "waiting")

    def _answer_survey(self, ticket_id: int, rng: random.Random) -> None:
        """The visitor answers the SKM survey (mostly 3 and 4) through the survey use case."""
        from queue_service.domain.skm import UNSUR_CODES
        from queue_service.usecases import survey
        from queue_service.validation_survey import SurveyInput

        answers = {code: rng.choices((4, 3, 2), weights=(45, 45, 10))[0] for code in UNSUR_CODES}
        survey.submit(self.ctx, self.codes[ticket_id], SurveyInput(
            answers=answers, age=rng.randrange(18, 70), gender=rng.choice(("L", "P")),
            education=None, occupation=None, comment=None))

    def _plan_ticket(self, visit: Visit, called: dict[str, Any], who: Principal,
                     served: list[Served], rng: random.Random) -> list[tuple[Any, ...]]:
        """What happens to the ticket the counter got, by the plan of this call."""
        assert visit.called is not None
        if visit.status == "no_show":
            return [(visit.called + dt.timedelta(minutes=2), _FINISH, called["id"], "no_show",
                     who)]
        assert visit.serving is not None and visit.finished is not None
        served.append(Served(called["id"], called["number"], called["service"], visit.serving))
        moments = [(visit.serving, _START, called["id"], "start", who),
                   (visit.finished, _FINISH, called["id"], "finish", who)]
        if rng.random() < SURVEY_SHARE:  # the visitor answers the SKM survey after the visit
            moments.append((visit.finished + dt.timedelta(minutes=rng.uniform(1, 10)), _START,
                            called["id"], "survey", who))
        return moments


def _walk_case(session: Session, rng: random.Random, sop: str, channel: str,
               opened: dt.datetime, ticket: tuple[int, str] | None) -> None:
    """Open a case and complete its steps one by one, around each step's time standard."""
    from workflow_service.usecases import steps
    from workflow_service.usecases.actions import act_in
    from workflow_service.usecases.context import session_work
    from workflow_service.usecases.opening import open_case
    from workflow_service.validation import parse_action

    def act(action: str, when: dt.datetime, **data: Any) -> None:
        with session_work(session) as uow:
            act_in(uow, case.id, action, ACTOR, parse_action(data), now=when)

    with session_work(session) as uow:
        case = open_case(uow, sop_code=sop, channel=channel, actor="demo-history",
                         ticket_id=ticket[0] if ticket else None,
                         ticket_number=ticket[1] if ticket else None, now=opened).case
    now = opened
    for _ in range(12):  # a guard: every SOP ends well within this many steps
        step = steps.current_step(case)
        if step is None or case.status != "open":
            return
        due = step.due_at
        budget = (due - now) if due is not None else dt.timedelta(minutes=5)
        late = rng.random() < 0.2
        share = rng.uniform(1.1, 2.5) if late else rng.uniform(0.3, 0.95)
        raw = steps.raw_step(steps.content_of(session, case), step.step_key)
        outcomes = raw.get("outcomes") or {"return_to_applicant": True}
        if outcomes.get("return_to_applicant") and rng.random() < 0.05:
            # back to the applicant for a while, then resubmitted
            act("return", now + dt.timedelta(minutes=1), reason="berkas kurang")
            now += dt.timedelta(minutes=rng.uniform(20, 90))
            act("resubmit", now)
        now = now + budget * share
        # The step's first declared decision is the one that carries the case on ("ya").
        decisions = outcomes.get("decisions") or []
        act("complete", now, output="selesai", decision=decisions[0] if decisions else None)
        session.refresh(case)


def _ids(session: Session) -> dict[str, Any]:
    from queue_service.models import Counter, Service, Staff, counter_service

    services = {s.code: s for s in session.scalars(select(Service))}
    counters = {c.number: c.id for c in session.scalars(select(Counter))}
    number_of = {v: k for k, v in counters.items()}
    counters_of: dict[str, list[int]] = {code: [] for code in services}
    code_of = {s.id: s.code for s in services.values()}
    for counter_id, service_id in session.execute(select(counter_service)):
        counters_of[code_of[service_id]].append(number_of[counter_id])
    return {"services": {c: s.id for c, s in services.items()},
            "prefixes": {c: s.prefix for c, s in services.items()},
            "counters": counters, "counters_of": counters_of,
            "statuses": {c.number: c.status for c in session.scalars(select(Counter))},
            "officers": {number_of[s.counter_id]: s.id for s in session.scalars(
                select(Staff).where(Staff.counter_id.is_not(None), Staff.active))
                if s.counter_id is not None}}


def _minutes() -> dict[str, float]:
    from queue_service import sop_services

    return {code: float(info.service_minutes or 10)
            for code, info in sop_services.by_code().items()}


def fill(settings: Settings, days: int, seed: int, case_share: float = 0.2,
         today: dt.date | None = None, scale: float = 1.0) -> dict[str, int]:
    """Write ``days`` days of history before today; refuses production and a second run."""
    from queue_service.models import Ticket

    if settings.env == "production":
        raise HistoryRefused("demo-history is refused in production")
    db = Database.for_url(settings.effective_database_url)
    rng = random.Random(seed)
    zone = ZoneInfo("Asia/Jakarta")
    today = today or dt.datetime.now(zone).date()
    first = today - dt.timedelta(days=days)
    totals = {"days": 0, "tickets": 0, "cases": 0}
    with db.session() as session:
        ids = _ids(session)
        if not ids["services"]:
            raise HistoryRefused("no services yet: run `loket seed-demo` first")
        existing = session.scalar(select(func.count()).select_from(Ticket).where(
            Ticket.service_day >= first, Ticket.service_day < today))
        if existing:
            raise HistoryRefused(f"{existing} tickets already exist in those days; "
                                 "demo-history only fills an empty past")
    from loket.redis_bus import make_redis
    from queue_service.usecases.context import QueueContext

    player = HallPlayer(QueueContext(db=db, redis=make_redis(settings), settings=settings), ids)
    minutes = _minutes()
    for offset in range(days):
        day = first + dt.timedelta(days=offset)
        if day.weekday() >= 5:
            continue
        visits = play_day(rng, day, zone, minutes, ids["counters_of"], scale)
        player.set_counters("open", dt.datetime.combine(day, dt.time(7, 55), zone))
        served = player.play(visits, rng)
        player.set_counters("closed", dt.datetime.combine(day, dt.time(23), zone))
        totals["cases"] += _walk_cases(db, rng, day, zone, served, case_share)
        totals["days"] += 1
        totals["tickets"] += player.issued
        logger.info("demo history %s: %s tickets", day, player.issued)
    player.restore_counters(ids["statuses"])
    return totals


def _walk_cases(db: Database, rng: random.Random, day: dt.date, zone: ZoneInfo,
                served: list[Served], case_share: float) -> int:
    """Cases opened at the counter for a share of the served, and perhaps a remote complaint."""
    cases = 0
    with db.session() as session:
        for ticket in served:
            if rng.random() < case_share:
                _walk_case(session, rng, ticket.service, "loket", ticket.serving,
                           (ticket.ticket_id, ticket.number))
                cases += 1
        if rng.random() < 0.5:  # a complaint by telephone or WhatsApp
            opened = dt.datetime.combine(day, dt.time(10, rng.randrange(60)), zone)
            _walk_case(session, rng, "pengaduan", rng.choice(("telepon", "whatsapp")),
                       opened.astimezone(dt.UTC), None)
            cases += 1
    return cases


def command() -> Any:
    """The click command, registered by the ``loket`` CLI."""
    import click

    @click.command("demo-history")
    @click.option("--days", default=60, show_default=True, type=click.IntRange(1, 366),
                  help="How many days before today to fill.")
    @click.option("--seed", default=1, show_default=True, type=int,
                  help="The same seed gives the same history.")
    @click.option("--cases", "case_share", default=0.2, show_default=True,
                  type=click.FloatRange(0, 1),
                  help="Share of served visitors whose case is walked through the workflow.")
    def demo_history_cmd(days: int, seed: int, case_share: float) -> None:
        """Fill a development database with a plausible past (tickets, calls, cases, steps)."""
        from loket.cli import _settings
        from loket.migrate import upgrade
        from queue_service.seed import seed_demo

        settings = _settings()
        if settings.env == "production":
            click.echo("loket: demo-history is refused in production", err=True)
            raise SystemExit(2)
        upgrade(settings)
        seed_demo(settings)
        try:
            totals = fill(settings, days, seed, case_share)
        except HistoryRefused as exc:
            click.echo(f"loket: {exc}", err=True)
            raise SystemExit(2) from None
        click.echo(f"{totals['days']} working days, {totals['tickets']} tickets, "
                   f"{totals['cases']} cases")

    return demo_history_cmd
