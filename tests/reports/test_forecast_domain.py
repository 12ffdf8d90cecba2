"""Erlang C against textbook values, and the seeded simulation agreeing with it."""

from __future__ import annotations

import math

import pytest

from queue_service.domain import forecast

pytestmark = pytest.mark.unit


def test_thirty_an_hour_at_six_minutes_needs_five_counters_for_80_percent_in_5_minutes() -> None:
    result = forecast.counters_needed(30, 6, 5, 0.8)
    assert result.counters == 5
    four = forecast.staffing(4, 30, 6, 5)
    assert round(four.service_level, 3) == 0.779  # four counters miss the target
    assert round(four.probability_wait, 4) == 0.5094  # C(4, 3 Erlangs) = 27/53
    assert math.isclose(four.mean_wait_minutes, 0.5094339622641509 * 6 / 1)
    assert round(result.service_level, 4) == 0.9554
    assert round(result.probability_wait, 4) == 0.2362


def test_erlang_c_matches_the_closed_form() -> None:
    # C(N, A) = (A^N/N! * N/(N-A)) / (sum_{k<N} A^k/k! + A^N/N! * N/(N-A))
    for n, load in ((1, 0.5), (2, 1.5), (7, 5.2), (30, 25.0)):
        top = load ** n / math.factorial(n) * n / (n - load)
        bottom = sum(load ** k / math.factorial(k) for k in range(n)) + top
        assert math.isclose(forecast.erlang_c(n, load), top / bottom, rel_tol=1e-12)


def test_no_visitors_need_no_counter_and_an_overload_never_meets_a_target() -> None:
    assert forecast.counters_needed(0, 6, 5, 0.8).counters == 0
    overloaded = forecast.staffing(3, 30, 6, 5)  # 3 Erlangs on 3 counters: the line grows
    assert overloaded.service_level == 0 and overloaded.probability_wait == 1
    assert overloaded.as_json()["mean_wait_minutes"] is None


@pytest.mark.parametrize(("field", "args"), [
    ("arrivals_per_hour", (-1, 6, 5, 0.8)), ("service_minutes", (30, 0, 5, 0.8)),
    ("target_wait_minutes", (30, 6, -5, 0.8)), ("target_share", (30, 6, 5, 1.0)),
    ("target_share", (30, 6, 5, math.nan))])
def test_bad_inputs_name_their_field(field: str, args: tuple[float, ...]) -> None:
    with pytest.raises(forecast.ForecastInputError) as caught:
        forecast.counters_needed(*args)
    assert caught.value.field == field


@pytest.mark.parametrize(("counters", "seed"), [(4, 11), (5, 12), (6, 13)])
def test_the_simulated_hour_agrees_with_erlang_c_within_its_confidence_interval(
        counters: int, seed: int) -> None:
    expected = forecast.staffing(counters, 30, 6, 5)
    simulated = forecast.simulate_hour(counters, 30, 6, 5, seed=seed, replications=400)
    assert simulated.low <= expected.service_level <= simulated.high, (simulated, expected)
    assert simulated.half_width < 0.04  # tight enough to tell 4 counters from 5
    assert abs(simulated.probability_wait - expected.probability_wait) < 0.05


def test_the_simulation_is_reproducible_from_its_seed() -> None:
    first = forecast.simulate_hour(4, 30, 6, 5, seed=7, replications=50)
    assert first == forecast.simulate_hour(4, 30, 6, 5, seed=7, replications=50)
    assert first != forecast.simulate_hour(4, 30, 6, 5, seed=8, replications=50)


def test_services_sharing_counters_combine_into_one_load() -> None:
    both = forecast.combine([forecast.Demand(20, 6), forecast.Demand(10, 12)])
    assert both.arrivals_per_hour == 30 and both.service_minutes == 8  # (120 + 120) / 30
    cell = forecast.plan_cell(both, 15, 0.8, planned=3)
    assert cell["counters"] == forecast.counters_needed(30, 8, 15, 0.8).counters
    assert cell["planned_mean_wait_minutes"] is None  # 4 Erlangs on 3 counters: overloaded
