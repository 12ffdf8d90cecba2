"""The services the queue offers come from the SOP catalog and the office file."""

from __future__ import annotations

import pytest

from queue_service import sop_services

pytestmark = pytest.mark.unit


@pytest.fixture(autouse=True)
def fresh_cache():
    sop_services.services.cache_clear()
    yield
    sop_services.services.cache_clear()


def test_every_sop_is_a_service_with_the_office_prefix_in_document_order() -> None:
    assert [(s.code, s.prefix) for s in sop_services.services()] == [
        ("penerimaan-tamu", "A"), ("pengaduan", "B"), ("ektp", "C"), ("kk", "D"),
        ("rekomendasi", "E")]


def test_sop_catalog_supplies_steps_minutes_bring_list_and_questions() -> None:
    services = sop_services.by_code()
    ektp = services["ektp"]
    assert ektp.name == "Permohonan e-KTP"
    assert len(ektp.steps) == 4 and ektp.steps[0]["time_standard"] == "PT2M"
    assert "\n" not in ektp.steps[0]["activity"]
    assert ektp.service_minutes == 12  # 2 + 3 + 5 + 2 minutes with the visitor present
    assert ektp.bring and ektp.bring_is_demo
    guest = services["penerimaan-tamu"]
    assert [q["key"] for q in guest.questions][:2] == ["purpose", "meet"]


def test_an_office_file_that_does_not_match_the_catalog_stops_with_its_error(
        tmp_path, monkeypatch) -> None:
    import yaml

    from loket import settings as settings_module
    from sop import SopValidationError
    from sop.office import DEFAULT_OFFICE_PATH

    office = yaml.safe_load(DEFAULT_OFFICE_PATH.read_text())
    del office["services"]["kk"]
    path = tmp_path / "office.yaml"
    path.write_text(yaml.safe_dump(office, allow_unicode=True))
    monkeypatch.setenv("LOKET_OFFICE_FILE", str(path))
    settings_module.get_settings.cache_clear()
    try:
        with pytest.raises(SopValidationError, match="kk"):
            sop_services.services()
    finally:
        monkeypatch.delenv("LOKET_OFFICE_FILE")
        settings_module.get_settings.cache_clear()
