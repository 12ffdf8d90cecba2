"""The printable SOP sheet and the terminal table."""

from __future__ import annotations

import re

import pytest

from sop import Catalog, Office, load_office
from sop.render import render_html, render_table

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def office() -> Office:
    return load_office()


def test_header_block(catalog: Catalog, office: Office) -> None:
    html = render_html(catalog.get("penerimaan-tamu"), office)
    for text in ["Pemerintah Kabupaten Banyuwangi", "Kecamatan Genteng", "Sekretariat",
                 "Nomor SOP", "/SOP/429.518/2017", "Tanggal Pembuatan", "3 April 2017",
                 "Tanggal Revisi", "Tanggal Efektif", "Disahkan oleh", "CAMAT GENTENG",
                 "FIRMAN SANYOTO, S.Sos., M.Si", "Pembina Tingkat I",
                 "NIP. 19721115 199203 1 008", "Nama SOP", "PENGELOLAAN PENERIMAAN TAMU",
                 "Dasar Hukum", "Peraturan Menteri Dalam Negeri Nomor 18 Tahun 2011",
                 "Kualifikasi Pelaksana", "Keterkaitan", "Peralatan/Perlengkapan",
                 "Peringatan", "Pencatatan dan Pendataan", "Buku tamu"]:
        assert text in html, text
    assert '<html lang="id">' in html
    assert "@page" in html and "A4" in html
    assert "http://" not in html and "https://" not in html  # no external assets


@pytest.mark.parametrize(
    ("code", "columns"),
    [
        ("penerimaan-tamu", ["Tamu", "Petugas", "Tujuan"]),
        ("pengaduan", ["Pelapor", "Petugas", "Seksi/ Sekcam*", "Camat"]),
        ("ektp", ["Petugas", "Seksi Pem &amp; Tibum", "Operator"]),
        ("kk", ["Petugas", "Seksi Pem &amp; Tibum", "Operator", "Kepala Dinas*"]),
        ("rekomendasi", ["Petugas", "Kepala Seksi pemerintahan", "Kepala SKPD*"]),
    ],
)
def test_one_column_per_lane_header_of_the_document(
    catalog: Catalog, office: Office, code: str, columns: list[str]
) -> None:
    """The sheet's Pelaksana columns are the document's own headers (issue #16)."""
    sop = catalog.get(code)
    html = render_html(sop, office)
    assert re.findall(r'<th class="lane" data-roles="[a-z_ ]+"[^>]*>(.*?)</th>', html) == columns
    rows = re.findall(r'<tr data-step="([0-9a-z]+)">(.*?)</tr>', html, flags=re.S)
    assert [r[0] for r in rows] == [s.id for s in sop.steps]
    for _, body in rows:
        marks = re.findall(r'<td class="mark">(.*?)</td>', body)
        assert len(marks) == len(columns)
        assert sum(m.startswith("✓") for m in marks) == 1  # one responsible column per row


def test_remarks_show_branches_and_inference(catalog: Catalog, office: Office) -> None:
    html = render_html(catalog.get("rekomendasi"), office)
    assert "Tidak disetujui (tidak)" in html and "Disetujui (ya)" in html
    assert "Inferensi (pelaksana)" in html
    assert "Regristasi" in html  # the correction is shown, original included


def test_html_is_escaped(catalog: Catalog, office: Office) -> None:
    html = render_html(catalog.get("rekomendasi"), office)
    assert "&#34;" in html or "&quot;" in html  # quotes in inference notes are escaped


def test_terminal_table(catalog: Catalog) -> None:
    text = render_table(catalog.get("pengaduan"), width=120)
    lines = text.splitlines()
    table = [line for line in lines if line.startswith(("|", "+"))]
    assert len({len(line) for line in table}) == 1  # every row has the same width
    assert max(len(line) for line in table) <= 125
    assert "0,5jam" in text and "8 jam" in text
    assert sum(line.startswith("+-") for line in table) == 1 + 6  # top rule + one per step
