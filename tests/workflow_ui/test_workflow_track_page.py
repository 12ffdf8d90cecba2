"""The public tracking page on a phone, in real headless Chromium."""

from __future__ import annotations

import httpx
import pytest

from loket.auth import Principal, issue_token
from tests.conftest import TEST_SECRET

pytestmark = pytest.mark.ui


def test_tracking_page_shows_progress_on_a_phone_without_personal_data(browser, live_hall,
                                                                        repo_root):
    token = issue_token(TEST_SECRET, Principal(kind="staff", id=1, username="petugas1",
                                               roles=frozenset({"petugas"})))
    response = httpx.post(f"{live_hall}/api/workflow/cases", json={
        "sop": "kk", "channel": "langsung",
        "applicant": {"name": "Siti Aminah", "nik": "3510255508900001"}},
        headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 201, response.text
    code = response.json()["tracking_code"]
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID",
                                  is_mobile=True, device_scale_factor=2)
    page = context.new_page()
    try:
        page.goto(f"{live_hall}/api/workflow/t/{code}")
        text = page.inner_text("body")
        assert "Permohonan Kartu Keluarga" in text and code in text
        assert "Sedang diproses" in text and "Perkiraan selesai" in text
        assert "WIB" in text  # the expected completion in the office's time
        assert "Siti" not in text and "3510255508900001" not in text
        page.screenshot(path=str(repo_root / "docs" / "screenshots" / "track-mobile.png"),
                        full_page=True)
        page.goto(f"{live_hall}/api/workflow/t/SALAHKODE")
        assert "Kode pelacakan tidak ditemukan" in page.inner_text("body")
    finally:
        context.close()
