"""Escalation ladder of a step's SLA clock.

- ``reminder`` at 75 % of the standard, to the step's own role;
- ``breach`` at 100 %, to the supervising role (kasi for petugas/operator, sekcam for kasi,
  camat for sekcam; camat for a camat step, who has nobody above);
- ``escalation`` at a further threshold (default 150 %), to the camat.

Sending is idempotent by level key: the caller stores the keys already sent per step and
passes them back in.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from workflow_service.domain.permissions import CAMAT, supervisor_of
from workflow_service.domain.sla import StepClock

REMINDER = "reminder"
BREACH = "breach"
ESCALATION = "escalation"


@dataclass(frozen=True)
class EscalationPolicy:
    reminder: float = 0.75
    breach: float = 1.0
    escalation: float = 1.5

    def __post_init__(self) -> None:
        if not 0 < self.reminder < self.breach < self.escalation:
            raise ValueError("thresholds must satisfy 0 < reminder < breach < escalation")

    @classmethod
    def from_config(cls, config: dict[str, float] | None) -> EscalationPolicy:
        config = config or {}
        unknown = set(config) - {REMINDER, BREACH, ESCALATION}
        if unknown:
            raise ValueError(f"unknown escalation settings: {sorted(unknown)}")
        return cls(**{key: float(value) for key, value in config.items()})


DEFAULT_POLICY = EscalationPolicy()


@dataclass(frozen=True)
class Level:
    key: str
    threshold: float
    notify_roles: frozenset[str]


@dataclass(frozen=True)
class Threshold:
    level: Level
    # None while the clock is paused before reaching this level (instant not yet known).
    at: datetime | None


def supervising_roles(step_roles: Iterable[str]) -> frozenset[str]:
    """The roles directly above the step's roles; camat when there is nobody above."""
    roles = frozenset(filter(None, (supervisor_of(role) for role in step_roles)))
    return roles or frozenset({CAMAT})


def levels_for(step_roles: Iterable[str], policy: EscalationPolicy = DEFAULT_POLICY) -> list[Level]:
    """The ladder for a step owned by ``step_roles``, lowest threshold first."""
    owners = frozenset(step_roles)
    return [
        Level(REMINDER, policy.reminder, owners),
        Level(BREACH, policy.breach, supervising_roles(owners)),
        Level(ESCALATION, policy.escalation, frozenset({CAMAT})),
    ]


def due_levels(
    clock: StepClock,
    now: datetime | None,
    already_sent: set[str] | frozenset[str],
    *,
    step_roles: Iterable[str] = (),
    policy: EscalationPolicy = DEFAULT_POLICY,
) -> list[Level]:
    """Levels whose threshold has been reached by ``now`` and whose key is not yet sent.

    A clock without a standard never escalates. A paused clock does not advance, so no new
    level falls due while the file is with the applicant.
    """
    length = clock.standard_length
    if length is None:
        return []
    elapsed = clock.elapsed(now)
    return [
        level
        for level in levels_for(step_roles, policy)
        if level.key not in already_sent and elapsed >= length * level.threshold
    ]


def thresholds_for(
    step_clock: StepClock,
    *,
    step_roles: Iterable[str] = (),
    policy: EscalationPolicy = DEFAULT_POLICY,
) -> list[Threshold]:
    """The instant (UTC) at which each level falls due; empty without a standard."""
    length = step_clock.standard_length
    if length is None:
        return []
    return [
        Threshold(level, step_clock.instant_for_elapsed(length * level.threshold))
        for level in levels_for(step_roles, policy)
    ]
