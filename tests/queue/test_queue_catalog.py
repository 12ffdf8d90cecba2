"""The catalog adapter: the SOP catalog when it loads, the marked fallback table otherwise."""

from __future__ import annotations

import pytest

from queue_service import catalog

pytestmark = pytest.mark.unit


@pytest.fixture(autouse=True)
def fresh_cache():
    catalog.services.cache_clear()
    yield
    catalog.services.cache_clear()


def test_fallback_table_when_the_sop_catalog_fails(monkeypatch) -> None:
    def broken() -> None:
        raise ImportError("no sop")

    monkeypatch.setattr(catalog, "_from_sop", broken)
    services = catalog.services()
    assert services is catalog.FALLBACK
    assert [(s.code, s.prefix) for s in services] == [
        ("penerimaan-tamu", "A"), ("pengaduan", "B"), ("ektp", "C"), ("kk", "D"),
        ("rekomendasi", "E")]
    assert not any(s.from_catalog for s in services)


def test_sop_catalog_supplies_steps_minutes_and_questions() -> None:
    pytest.importorskip("sop")
    ektp = catalog.by_code()["ektp"]
    assert ektp.from_catalog
    assert ektp.prefix == "C"
    assert ektp.steps and all("activity" in s and "time_standard" in s for s in ektp.steps)
    assert ektp.service_minutes == 12  # 2 + 3 + 5 + 2 minutes with the visitor present
    assert ektp.bring


def test_iso_minutes() -> None:
    assert catalog.iso_minutes("PT5M") == 5
    assert catalog.iso_minutes("PT1H30M") == 90
    assert catalog.iso_minutes("P3D") is None
    assert catalog.iso_minutes(None) is None
