"""The document's lane headers, its ya/tidak marks and the office's inferences (issue #16)."""

from __future__ import annotations

import re

import pytest

from sop import Catalog, load_office
from sop.lanes import cells, lanes, step_inferences
from sop.render import render_html, render_table

pytestmark = pytest.mark.unit


def test_rekomendasi_marks_tidak_at_the_petugas_and_ya_at_the_kepala_skpd(
        catalog: Catalog) -> None:
    sop = catalog.get("rekomendasi")
    headers = [lane.header for lane in lanes(sop)]
    row = dict(zip(headers, cells(sop, sop.step("2"), lanes(sop)), strict=True))
    # As the printed table: "tidak" in the Petugas column, "ya" in the Kepala SKPD column;
    # both are the document's own marks, so neither is starred.
    assert row == {"Petugas": "• tidak", "Kepala Seksi pemerintahan": "✓",
                   "Kepala SKPD": "ya"}
    # Step 3 "Camat/Sekcam": the Kepala SKPD column.
    assert cells(sop, sop.step("3"), lanes(sop)) == ["", "", "✓"]


def test_inferred_decisions_are_starred(catalog: Catalog) -> None:
    sop = catalog.get("kk")
    headers = [lane.header for lane in lanes(sop)]
    row = dict(zip(headers, cells(sop, sop.step("2"), lanes(sop)), strict=True))
    assert row["Petugas"] == "• tidak*" and row["Operator"] == "ya*"
    assert row["Seksi Pem & Tibum"] == "✓"


def test_every_inference_is_marked_on_the_sheet_and_in_sop_show(catalog: Catalog) -> None:
    sop = catalog.get("kk")
    notes = [n for step in sop.steps for n in step_inferences(step)]
    assert any("hari kerja" in n for n in notes)  # "3 hari" read as working days
    assert any("berhenti selama berkas berada di pemohon" in n for n in notes)  # the pause
    assert any(n.startswith("Inferensi (cabang") for n in notes)  # implicit branches
    assert any(n.startswith("Inferensi (pelaksana)") for n in notes)  # roles
    html = render_html(sop, load_office())
    assert len(re.findall(r'<li class="inferred">', html)) == len(notes)
    assert ">3 hari*</td>" in html
    text = render_table(sop)
    assert "Inferensi (bacaan kantor, tidak tertulis di dokumen):" in text
    for note in notes:
        assert note[:60] in " ".join(text.split()), note


def test_a_lane_read_by_the_office_is_marked(catalog: Catalog) -> None:
    html = render_html(catalog.get("pengaduan"), load_office())
    assert 'title="Kasi seksi terkait atau Sekretaris Camat"' in html
    assert "Inferensi (kolom “Seksi/ Sekcam”)" in html
