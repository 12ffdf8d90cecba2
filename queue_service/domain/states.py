"""The ticket state machine: which action is legal in which state, and where it leads."""

from __future__ import annotations

from queue_service.domain.errors import IllegalTransition

WAITING = "waiting"
CALLED = "called"
SERVING = "serving"
DONE = "done"
NO_SHOW = "no_show"
ON_HOLD = "on_hold"
TRANSFERRED = "transferred"
CANCELLED = "cancelled"
CLOSED = "closed"

STATUSES = (WAITING, CALLED, SERVING, DONE, NO_SHOW, ON_HOLD, TRANSFERRED, CANCELLED, CLOSED)
ACTIVE_AT_COUNTER = (CALLED, SERVING)
OPEN_STATUSES = (WAITING, CALLED, SERVING, ON_HOLD)
FINAL_STATUSES = (DONE, NO_SHOW, CANCELLED, CLOSED)

STATUS_LABELS = {
    WAITING: "menunggu",
    CALLED: "dipanggil",
    SERVING: "sedang dilayani",
    DONE: "selesai",
    NO_SHOW: "tidak hadir",
    ON_HOLD: "ditunda",
    TRANSFERRED: "dialihkan",
    CANCELLED: "dibatalkan",
    CLOSED: "ditutup",
}

# action -> (states it is legal in, resulting state). A transfer ends in ``waiting`` at the new
# service; ``transferred`` is the name of that step in the history.
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "call": ((WAITING,), CALLED),
    "recall": ((CALLED,), CALLED),
    "start": ((CALLED,), SERVING),
    "finish": ((SERVING,), DONE),
    "no_show": ((CALLED,), NO_SHOW),
    "hold": ((WAITING, CALLED, SERVING), ON_HOLD),
    "resume": ((ON_HOLD,), WAITING),
    "transfer": ((WAITING, CALLED, SERVING, ON_HOLD), WAITING),
    "cancel": ((WAITING, CALLED, ON_HOLD), CANCELLED),
    "close": ((WAITING, CALLED, SERVING, ON_HOLD), CLOSED),
    "carry_over": ((WAITING, CALLED, SERVING, ON_HOLD), WAITING),
}

ACTION_LABELS = {
    "call": "dipanggil",
    "recall": "dipanggil ulang",
    "start": "mulai dilayani",
    "finish": "diselesaikan",
    "no_show": "ditandai tidak hadir",
    "hold": "ditunda",
    "resume": "dilanjutkan",
    "transfer": "dialihkan",
    "cancel": "dibatalkan",
    "close": "ditutup",
    "carry_over": "dipindahkan ke hari berikutnya",
}


def next_status(status: str, action: str) -> str:
    """The state after ``action``; IllegalTransition (409) with an Indonesian message if not."""
    if action not in TRANSITIONS:
        raise ValueError(f"unknown action {action!r}")
    allowed, target = TRANSITIONS[action]
    if status not in allowed:
        label = STATUS_LABELS.get(status, status)
        raise IllegalTransition(
            f"Antrean yang berstatus '{label}' tidak dapat {ACTION_LABELS[action]}.",
            field="status",
        )
    return target


def is_legal(status: str, action: str) -> bool:
    return status in TRANSITIONS[action][0]


def recall_outcome(recalls_so_far: int, max_recalls: int) -> str:
    """After ``max_recalls`` recalls, the next recall marks the visitor as not present."""
    return "no_show" if recalls_so_far >= max_recalls else "recall"
