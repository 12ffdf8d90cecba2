"""The printable SOP sheet in real headless Chromium: it renders, and prints to A4 PDF."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.ui

CODES = ("penerimaan-tamu", "pengaduan", "ektp", "kk", "rekomendasi")


@pytest.mark.parametrize("code", CODES)
def test_sop_sheet_renders_and_prints_on_a4(browser, live_hall, repo_root, code):
    from sop import load_catalog

    sop = load_catalog().get(code)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        response = page.goto(f"{live_hall}/api/workflow/sops/{code}/sheet")
        assert response is not None and response.status == 200
        text = page.inner_text("body")
        for expected in ("PEMERINTAH KABUPATEN BANYUWANGI", "KECAMATAN GENTENG", sop.number,
                         "FIRMAN SANYOTO", "Pembina Tingkat I", "19721115 199203 1 008",
                         sop.unit.upper() if sop.unit.upper() in text else sop.unit):
            assert expected in text, expected
        # One table row per step of the document, each with its time standard.
        for step in sop.steps:
            assert (step.time_standard_text or "") in text
        # The screenshot every screen gets, kept in docs/.
        page.screenshot(path=str(repo_root / "docs" / "screenshots" / f"sop-{code}.png"),
                        full_page=True)
        pdf = page.pdf(format="A4", landscape=True, print_background=True)
        assert pdf.startswith(b"%PDF")
        assert pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") >= 1
    finally:
        page.close()


def test_sop_index_links_every_sheet(browser, live_hall):
    page = browser.new_page()
    try:
        page.goto(f"{live_hall}/api/workflow/sops/")
        links = page.eval_on_selector_all("a", "els => els.map(e => e.getAttribute('href'))")
        assert {f"{code}/sheet" for code in CODES} <= set(links)
    finally:
        page.close()
