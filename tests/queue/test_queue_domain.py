"""Pure domain rules: calling order, ticket state machine, wait estimate, NIK, numbering."""

from __future__ import annotations

import datetime as dt

import pytest

from queue_service.domain import calling, states
from queue_service.domain.calling import Candidate, estimate_wait_minutes, order_candidates
from queue_service.domain.errors import IllegalTransition, InvalidNIK
from queue_service.domain.nik import mask_nik, validate_nik
from queue_service.domain.numbering import (
    TRACKING_ALPHABET,
    format_number,
    new_tracking_code,
    service_day,
)

pytestmark = pytest.mark.unit

NOW = dt.datetime(2026, 11, 28, 3, 0, tzinfo=dt.UTC)
MAX = dt.timedelta(minutes=30)


def cand(id_: int, minutes_ago: float, priority: str | None = None, service: str = "ektp",
         returning: bool = False) -> Candidate:
    return Candidate(id=id_, service=service, priority=priority,
                     waiting_since=NOW - dt.timedelta(minutes=minutes_ago), returning=returning)


def ids(cands: list[Candidate]) -> list[int]:
    return [c.id for c in cands]


def test_oldest_first_without_priority() -> None:
    order = order_candidates([cand(1, 5), cand(2, 10), cand(3, 1)], NOW, MAX)
    assert ids(order) == [2, 1, 3]


def test_priority_visitor_goes_before_regular_ones() -> None:
    order = order_candidates([cand(1, 20), cand(2, 2, "lansia"), cand(3, 25)], NOW, MAX)
    assert ids(order) == [2, 3, 1]


@pytest.mark.parametrize("category", calling.PRIORITY_CATEGORIES)
def test_every_protected_group_is_prioritised(category: str) -> None:
    assert ids(order_candidates([cand(1, 10), cand(2, 1, category)], NOW, MAX)) == [2, 1]


def test_regular_ticket_over_max_wait_goes_ahead_of_priority() -> None:
    order = order_candidates([cand(1, 31), cand(2, 40, "ibu_hamil"), cand(3, 35),
                              cand(4, 1, "anak")], NOW, MAX)
    # Overdue regular tickets first (oldest first), then priority (oldest first).
    assert ids(order) == [3, 1, 2, 4]


def test_regular_ticket_exactly_at_max_wait_does_not_jump() -> None:
    assert ids(order_candidates([cand(1, 30), cand(2, 1, "lansia")], NOW, MAX)) == [2, 1]


def test_only_the_counters_services_are_considered() -> None:
    pool = [cand(1, 50, service="pengaduan"), cand(2, 5, service="kk"), cand(3, 9)]
    assert ids(order_candidates(pool, NOW, MAX, services=["ektp", "kk"])) == [3, 2]
    assert calling.pick_next(pool, NOW, MAX, ["rekomendasi"]) is None


def test_returning_ticket_goes_first() -> None:
    order = order_candidates([cand(1, 50), cand(2, 2, "lansia"), cand(3, 1, returning=True)],
                             NOW, MAX)
    assert ids(order) == [3, 1, 2]


ALL_ACTIONS = ("call", "recall", "start", "finish", "no_show", "hold", "resume", "transfer",
               "cancel", "close", "carry_over")
LEGAL = {
    ("waiting", "call"): "called", ("called", "recall"): "called",
    ("called", "start"): "serving", ("serving", "finish"): "done",
    ("called", "no_show"): "no_show", ("waiting", "hold"): "on_hold",
    ("called", "hold"): "on_hold", ("serving", "hold"): "on_hold",
    ("on_hold", "resume"): "waiting", ("waiting", "transfer"): "waiting",
    ("called", "transfer"): "waiting", ("serving", "transfer"): "waiting",
    ("on_hold", "transfer"): "waiting", ("waiting", "cancel"): "cancelled",
    ("called", "cancel"): "cancelled", ("on_hold", "cancel"): "cancelled",
}
for _status in states.OPEN_STATUSES:
    LEGAL[(_status, "close")] = "closed"
    LEGAL[(_status, "carry_over")] = "waiting"


@pytest.mark.parametrize("status", states.STATUSES)
@pytest.mark.parametrize("action", ALL_ACTIONS)
def test_state_machine_allows_exactly_the_legal_transitions(status: str, action: str) -> None:
    expected = LEGAL.get((status, action))
    if expected is None:
        with pytest.raises(IllegalTransition) as info:
            states.next_status(status, action)
        assert info.value.status == 409
        assert "tidak dapat" in info.value.message
    else:
        assert states.next_status(status, action) == expected


def test_final_states_allow_nothing() -> None:
    for status in states.FINAL_STATUSES:
        assert not any(states.is_legal(status, a) for a in ALL_ACTIONS)


def test_recall_turns_into_no_show_after_the_configured_recalls() -> None:
    assert states.recall_outcome(0, 3) == "recall"
    assert states.recall_outcome(2, 3) == "recall"
    assert states.recall_outcome(3, 3) == "no_show"


def test_wait_estimate_uses_median_position_and_counters() -> None:
    durations = [dt.timedelta(minutes=m) for m in (4, 100, 6, 5, 8)]
    minutes = calling.typical_service_minutes(durations, default=12)
    assert minutes == 6
    assert estimate_wait_minutes(4, minutes, 2) == 12
    assert estimate_wait_minutes(0, minutes, 2) == 0
    assert estimate_wait_minutes(3, 5, 0) == 15  # no open counter: as if one


def test_wait_estimate_falls_back_to_sop_standard_then_five_minutes() -> None:
    assert calling.typical_service_minutes([], default=12) == 12
    assert calling.typical_service_minutes([], default=None) == 5


def test_wait_estimate_considers_only_recent_history() -> None:
    durations = [dt.timedelta(minutes=60)] * 20 + [dt.timedelta(minutes=2)] * 10
    assert calling.typical_service_minutes(durations, default=None, last_n=10) == 2


@pytest.mark.parametrize("raw", ["3510011708450001", "3510 0117 0845 0001", "3510-01-170845-0001",
                                 "3510015708900001"])
def test_valid_nik_is_accepted_and_compacted(raw: str) -> None:
    assert validate_nik(raw) == raw.replace(" ", "").replace("-", "")


@pytest.mark.parametrize(("raw", "fragment"), [
    ("35100117084500", "16 digit"),
    ("351001170845000123", "16 digit"),
    ("3510O11708450001", "hanya boleh berisi angka"),
    ("3510013208450001", "tanggal lahir"),
    ("3510011713450001", "tanggal lahir"),
    ("9971011708450001", "kode wilayah"),
    ("", "wajib"),
])
def test_wrong_nik_gets_a_message_for_its_mistake(raw: str, fragment: str) -> None:
    with pytest.raises(InvalidNIK) as info:
        validate_nik(raw)
    assert fragment in info.value.message
    assert info.value.field == "visitor.nik"
    assert info.value.status == 422


def test_non_text_nik_is_refused() -> None:
    with pytest.raises(InvalidNIK):
        validate_nik(3510011708450001)


def test_nik_is_masked_keeping_four_and_four() -> None:
    assert mask_nik("3510011708450001") == "3510" + "\u2022" * 8 + "0001"
    assert mask_nik(None) is None


def test_number_format_and_tracking_code() -> None:
    assert format_number("C", 7) == "C007"
    assert format_number("A", 123) == "A123"
    assert format_number("B", 1000) == "B1000"
    codes = {new_tracking_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(len(c) == 8 and set(c) <= set(TRACKING_ALPHABET) for c in codes)
    assert not set("01OIL") & set(TRACKING_ALPHABET)


def test_service_day_is_the_local_date_in_jakarta() -> None:
    assert service_day(dt.datetime(2026, 11, 28, 16, 59, tzinfo=dt.UTC),
                       "Asia/Jakarta") == dt.date(2026, 11, 28)
    assert service_day(dt.datetime(2026, 11, 28, 17, 1, tzinfo=dt.UTC),
                       "Asia/Jakarta") == dt.date(2026, 11, 29)
    with pytest.raises(ValueError):
        service_day(dt.datetime(2026, 11, 28), "Asia/Jakarta")
