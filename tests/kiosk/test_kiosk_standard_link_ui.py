"""Issue #20: the kiosk's requirements screen links to the service's standar pelayanan — a QR
code a visitor's phone opens — under Xvfb against the real queue service."""

from __future__ import annotations

import httpx
import pytest

from tests.kiosk.test_kiosk_ui import run_kiosk

pytestmark = pytest.mark.ui


def test_requirements_screen_shows_the_standard_as_a_qr_code(tmp_path, xvfb_display, queue_api,
                                                             settings) -> None:
    result = run_kiosk(tmp_path, xvfb_display, queue_api,
                       # its screenshot is the bring-list test's; this one stays in tmp
                       {"screenshots": str(tmp_path / "shots"), "welcome_shot": False,
                        "flows": [], "requirements_check": "kk"}, LOKET_KIOSK_PRINTER="none")
    path = "/api/queue/services/kk/standar"
    # The address a phone on the office LAN reaches (LOKET_PUBLIC_URL), as on the ticket's QR.
    assert result["standard_url"] == settings.base_url + path
    assert result["standard_qr"] is not None and min(result["standard_qr"]) > 0
    assert result["standard_hint"] == "Standar pelayanan: pindai kode QR dengan ponsel"
    page = httpx.get(queue_api.base_url + path, headers={"Accept": "text/html"}, timeout=10)
    assert page.status_code == 200 and "Permohonan Kartu Keluarga" in page.text
    services = httpx.get(queue_api.base_url + "/api/queue/services", timeout=10).json()
    assert {s["code"]: s["standard_url"] for s in services["services"]}["ektp"] == \
        settings.base_url + "/api/queue/services/ektp/standar"
