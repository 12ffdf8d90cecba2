"""`loket demo-history`: a seeded past that every report can show; never in production."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

pytestmark = pytest.mark.integration

TODAY = dt.date(2026, 11, 7)  # a Saturday: the five days before it are Monday to Friday


def test_history_fills_the_reports_and_refuses_a_second_run(hall, db, settings) -> None:
    from loket.composition import demo_history
    from workflow_service.usecases import reports as wf_reports

    totals = demo_history.fill(settings, days=5, seed=4, case_share=0.1, today=TODAY)
    assert totals["days"] == 5 and totals["tickets"] > 150 and totals["cases"] > 5
    resp = hall.client.get("/api/queue/reports/summary?from=2026-11-02&to=2026-11-06",
                           headers=hall.staff("camat"))
    data = resp.json
    assert data["totals"]["issued"] == totals["tickets"]
    assert data["totals"]["served"] > 0.8 * totals["tickets"]
    assert {s["service"] for s in data["by_service"]} == set(demo_history.PEAK_RATE)
    assert data["by_day"][0]["issued"] > data["by_day"][4]["issued"]  # Mondays are busier
    assert data["totals"]["waiting_minutes"]["p90"] >= data["totals"]["waiting_minutes"]["median"]
    with db.session() as session:
        compliance = wf_reports.compliance(session, dt.date(2026, 11, 2), dt.date(2026, 11, 6))
    assert sum(s["on_time"] for s in compliance["steps"]) > 0
    assert sum(s["late"] for s in compliance["steps"]) > 0
    with pytest.raises(demo_history.HistoryRefused):
        demo_history.fill(settings, days=5, seed=4, today=TODAY)


def test_the_same_seed_plays_the_same_day() -> None:
    from zoneinfo import ZoneInfo

    from loket.composition import demo_history

    counters = {code: [1, 2] for code in demo_history.PEAK_RATE}
    minutes = dict.fromkeys(demo_history.PEAK_RATE, 6.0)

    def play(seed: int) -> list[object]:
        import random

        visits = demo_history.play_day(random.Random(seed), dt.date(2026, 11, 2),
                                       ZoneInfo("Asia/Jakarta"), minutes, counters)
        return [dataclasses.astuple(v) for v in visits]

    assert play(9) == play(9) and play(9) != play(10)


def test_production_is_refused(settings) -> None:
    from loket.composition import demo_history

    with pytest.raises(demo_history.HistoryRefused):
        demo_history.fill(settings.model_copy(update={"env": "production"}), days=1, seed=1)
