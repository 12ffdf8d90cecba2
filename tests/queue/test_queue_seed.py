"""The demo seed: every role, deterministic secrets, idempotent, refused in production."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.integration


def test_seed_demo_is_idempotent_and_complete(settings, db, count_rows) -> None:
    from queue_service.seed import seed_demo

    first = seed_demo(settings)
    rows = count_rows()
    second = seed_demo(settings)
    assert second == first
    assert count_rows() == rows
    assert first["office"]["name"] == "Kecamatan Genteng"
    usernames = {s["username"]: s for s in first["staff"]}
    assert {"petugas1", "petugas2", "petugas3", "petugas4", "operator1", "kasi_pem", "kasi_pm",
            "kasi_kesra", "sekcam", "camat", "admin"} == set(usernames)
    assert usernames["petugas3"]["counter"] == 3
    assert usernames["kasi_kesra"]["section"] == \
        "Pemberdayaan Masyarakat dan Kesejahteraan Rakyat"
    roles = {r for s in first["staff"] for r in s["roles"]}
    assert roles == {"petugas", "operator", "kasi", "sekcam", "camat", "admin"}
    assert first["devices"]["kiosk"].startswith("dev_")
    assert first["devices"]["display"].startswith("dev_")
    assert [c["services"] for c in first["counters"]] == [
        ["penerimaan-tamu", "pengaduan"], ["ektp", "kk"], ["ektp", "kk", "rekomendasi"],
        ["penerimaan-tamu", "pengaduan", "ektp", "kk", "rekomendasi"]]
    assert rows["queue_staff"] == 11 and rows["queue_device"] == 2


def test_device_tokens_are_stored_hashed(settings, db) -> None:
    from sqlalchemy import select

    from queue_service.models import Device
    from queue_service.seed import seed_demo

    demo = seed_demo(settings)
    with db.session() as session:
        hashes = set(session.scalars(select(Device.token_hash)))
    assert demo["devices"]["kiosk"] not in hashes and len(hashes) == 2


def test_seed_is_refused_in_production(settings) -> None:
    from queue_service.seed import SeedRefused, seed_demo

    with pytest.raises(SeedRefused):
        seed_demo(settings.model_copy(update={"env": "production"}))
