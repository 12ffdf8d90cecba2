"""How many counters to open: Erlang C, checked by a seeded discrete-event simulation.

Plain Python (no Flask, SQLAlchemy or Redis). Times are in minutes, rates per hour.

Erlang C models one hour of the hall as an M/M/N queue in steady state: visitors arrive at
random (Poisson, ``arrivals_per_hour``), each takes an exponentially distributed time with mean
``service_minutes`` at one of ``N`` counters, and they are served first come, first served.
For a target such as "80 % wait at most 5 minutes" the smallest ``N`` whose service level
reaches the target is the number of counters to open.

The simulation plays the same hour visitor by visitor with a seeded random generator, so a
reader can check the formula against a model that makes no steady-state assumption of its own
(see :func:`simulate_hour`).
"""

from __future__ import annotations

import dataclasses
import heapq
import math
import random
import statistics

MAX_COUNTERS = 200


class ForecastInputError(ValueError):
    """An input outside what the model accepts; ``field`` names it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclasses.dataclass(frozen=True)
class Staffing:
    """Erlang C's answer for one hour with ``counters`` open."""

    counters: int
    service_level: float  # share of visitors who wait at most the target
    probability_wait: float  # share of visitors who wait at all
    mean_wait_minutes: float  # average wait over all visitors (inf when overloaded)

    def as_json(self) -> dict[str, float | int | None]:
        wait = self.mean_wait_minutes
        return {"counters": self.counters, "service_level": round(self.service_level, 4),
                "probability_wait": round(self.probability_wait, 4),
                "mean_wait_minutes": round(wait, 2) if math.isfinite(wait) else None}


def check_inputs(arrivals_per_hour: float, service_minutes: float, target_wait_minutes: float,
                 target_share: float) -> None:
    """Refuse what the model cannot answer, naming the field (messages in Bahasa Indonesia)."""
    if not (math.isfinite(arrivals_per_hour) and 0 <= arrivals_per_hour <= 10_000):
        raise ForecastInputError("arrivals_per_hour",
                                 "Kedatangan per jam harus antara 0 dan 10000.")
    if not (math.isfinite(service_minutes) and 0 < service_minutes <= 24 * 60):
        raise ForecastInputError("service_minutes",
                                 "Lama layanan (menit) harus lebih dari 0 dan paling lama 1440.")
    if not (math.isfinite(target_wait_minutes) and 0 <= target_wait_minutes <= 24 * 60):
        raise ForecastInputError("target_wait_minutes",
                                 "Target waktu tunggu (menit) harus antara 0 dan 1440.")
    if not (math.isfinite(target_share) and 0 < target_share < 1):
        raise ForecastInputError("target_share",
                                 "Target persentase harus di antara 0 dan 1 (mis. 0.8).")


def offered_load(arrivals_per_hour: float, service_minutes: float) -> float:
    """Erlangs: how many counters would be busy on average."""
    return arrivals_per_hour * service_minutes / 60.0


def erlang_c(counters: int, load: float) -> float:
    """Probability that a visitor has to wait, for ``counters`` and ``load`` (Erlangs).

    Computed through the Erlang B recursion, which stays stable for large ``counters``.
    """
    if load <= 0:
        return 0.0
    if counters <= load:
        return 1.0
    blocking = 1.0
    for k in range(1, counters + 1):
        blocking = load * blocking / (k + load * blocking)
    return counters * blocking / (counters - load * (1 - blocking))


def staffing(counters: int, arrivals_per_hour: float, service_minutes: float,
             target_wait_minutes: float) -> Staffing:
    """Service level, probability of waiting and mean wait with ``counters`` open."""
    load = offered_load(arrivals_per_hour, service_minutes)
    if load <= 0:
        return Staffing(counters, 1.0, 0.0, 0.0)
    if counters <= load:
        return Staffing(counters, 0.0, 1.0, math.inf)
    p_wait = erlang_c(counters, load)
    spare = counters - load
    level = 1.0 - p_wait * math.exp(-spare * target_wait_minutes / service_minutes)
    return Staffing(counters, max(0.0, min(1.0, level)), p_wait,
                    p_wait * service_minutes / spare)


def counters_needed(arrivals_per_hour: float, service_minutes: float,
                    target_wait_minutes: float, target_share: float) -> Staffing:
    """The smallest number of counters whose service level reaches ``target_share``."""
    check_inputs(arrivals_per_hour, service_minutes, target_wait_minutes, target_share)
    if arrivals_per_hour == 0:
        return Staffing(0, 1.0, 0.0, 0.0)
    load = offered_load(arrivals_per_hour, service_minutes)
    n = max(1, math.floor(load) + 1)
    while n <= MAX_COUNTERS:
        result = staffing(n, arrivals_per_hour, service_minutes, target_wait_minutes)
        if result.service_level >= target_share:
            return result
        n += 1
    raise ForecastInputError("arrivals_per_hour",
                             f"Lebih dari {MAX_COUNTERS} loket dibutuhkan; periksa masukan.")


# -- the simulation -------------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class SimulationResult:
    """Share of the measured hour's visitors who waited at most the target, over replications."""

    service_level: float
    half_width: float  # of the 95 % confidence interval of service_level
    probability_wait: float
    replications: int
    visitors: int

    @property
    def low(self) -> float:
        return self.service_level - self.half_width

    @property
    def high(self) -> float:
        return self.service_level + self.half_width


def _one_replication(rng: random.Random, counters: int, arrivals_per_hour: float,
                     service_minutes: float, target_wait_minutes: float,
                     warmup_minutes: float) -> tuple[int, int, int]:
    """Play warm-up + one hour; return (visitors in the hour, within target, who waited)."""
    rate = arrivals_per_hour / 60.0
    free_at = [0.0] * counters  # a heap: when each counter is next free
    now = 0.0
    end = warmup_minutes + 60.0
    counted = within = waited = 0
    while True:
        now += rng.expovariate(rate)
        if now >= end:
            return counted, within, waited
        # First come, first served: the visitor takes the counter that frees up first.
        start = max(now, free_at[0])
        heapq.heapreplace(free_at, start + rng.expovariate(1.0 / service_minutes))
        if now >= warmup_minutes:
            wait = start - now
            counted += 1
            within += wait <= target_wait_minutes
            waited += wait > 0


def simulate_hour(counters: int, arrivals_per_hour: float, service_minutes: float,
                  target_wait_minutes: float, *, seed: int, replications: int = 400,
                  warmup_minutes: float = 240.0) -> SimulationResult:
    """A seeded discrete-event simulation of one hour at ``counters`` counters.

    Each replication starts with an empty hall and runs ``warmup_minutes`` of the same
    arrivals first, so the measured hour begins with the queue a busy hall would have (the
    state Erlang C assumes). Arrivals are Poisson, service times exponential, the line is first
    come, first served over the counters (a visitor takes whichever counter frees first). The
    service level is the share of the measured hour's visitors who waited at most the target;
    its 95 % confidence interval comes from the spread of the replications' ratio estimates.
    The same ``seed`` always gives the same result.
    """
    if counters < 1 or replications < 2:
        raise ValueError("need at least one counter and two replications")
    rng = random.Random(seed)
    counts, withins, waits = [], [], []
    for _ in range(replications):
        counted, within, waited = _one_replication(
            rng, counters, arrivals_per_hour, service_minutes, target_wait_minutes,
            warmup_minutes)
        counts.append(counted)
        withins.append(within)
        waits.append(waited)
    total = sum(counts)
    if total == 0:
        return SimulationResult(1.0, 0.0, 0.0, replications, 0)
    level = sum(withins) / total
    # Ratio estimator: residuals within - level * counted, scaled by the mean count.
    residuals = [w - level * c for w, c in zip(withins, counts, strict=True)]
    spread = statistics.stdev(residuals) / (total / replications)
    half = 1.96 * spread / math.sqrt(replications)
    return SimulationResult(level, half, sum(waits) / total, replications, total)


# -- the weekday x hour table ---------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Demand:
    """Expected visitors of one service in one weekday-hour, and their mean service minutes."""

    arrivals_per_hour: float
    service_minutes: float


def combine(demands: list[Demand]) -> Demand:
    """Several services sharing the counters: total arrivals, arrival-weighted mean service."""
    total = sum(d.arrivals_per_hour for d in demands)
    if total <= 0:
        mean = statistics.fmean([d.service_minutes for d in demands]) if demands else 1.0
        return Demand(0.0, mean)
    work = sum(d.arrivals_per_hour * d.service_minutes for d in demands)
    return Demand(total, work / total)


def plan_cell(demand: Demand, target_wait_minutes: float, target_share: float,
              planned: int | None) -> dict[str, float | int | None]:
    """One cell of the table: counters needed, and the expected wait with ``planned`` open."""
    need = counters_needed(demand.arrivals_per_hour, demand.service_minutes,
                           target_wait_minutes, target_share)
    cell = {"arrivals_per_hour": round(demand.arrivals_per_hour, 2),
            "service_minutes": round(demand.service_minutes, 2), **need.as_json()}
    if planned is not None:
        at_plan = staffing(planned, demand.arrivals_per_hour, demand.service_minutes,
                           target_wait_minutes)
        wait = at_plan.mean_wait_minutes
        cell["planned"] = planned
        cell["planned_service_level"] = round(at_plan.service_level, 4)
        cell["planned_mean_wait_minutes"] = round(wait, 2) if math.isfinite(wait) else None
    return cell
