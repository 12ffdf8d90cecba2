"""Standar pelayanan per service (PermenPANRB 15/2014) from the SOP catalog and the office."""

from __future__ import annotations

from tests.queue.conftest import Hall

COMPONENTS = ("Persyaratan", "Sistem, mekanisme dan prosedur", "Jangka waktu penyelesaian",
              "Biaya/tarif", "Produk pelayanan", "Penanganan pengaduan, saran dan masukan")


def test_standard_json_is_built_from_the_sop_and_the_office(hall: Hall) -> None:
    resp = hall.client.get("/api/queue/services/kk/standar")
    assert resp.status_code == 200 and resp.headers["Vary"] == "Accept"
    body = resp.json
    assert body["name"] == "Permohonan Kartu Keluarga"
    assert body["procedure"][0].startswith("Pemohon mengajukan berkas permohonan KK")
    assert "3 hari kerja" in body["duration"]  # the Dinas' three working days
    assert body["fee"] == "Gratis (tidak dipungut biaya)"
    assert body["product"] == "Kartu Keluarga (KK)"
    assert body["procedure"][0].endswith("; Petugas menerima berkas, melakukan verifikasi berkas "
                                         "permohonan")
    assert body["requirements"] and body["complaints"]


def test_standard_page_and_poster_show_the_six_components(hall: Hall) -> None:
    page = hall.client.get("/api/queue/services/ektp/standar", headers={"Accept": "text/html"})
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    for component in COMPONENTS:
        assert component in html
    assert "/api/queue/services/ektp/standar/poster" in html
    poster = hall.client.get("/api/queue/services/ektp/standar/poster")
    assert poster.status_code == 200 and "size: A4" in poster.get_data(as_text=True)
    pdf = hall.client.get("/api/queue/services/ektp/standar/poster.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


def test_unknown_service_standard_is_refused_in_indonesian(hall: Hall) -> None:
    resp = hall.client.get("/api/queue/services/paspor/standar")
    assert resp.status_code == 422
    assert resp.json["error"]["field"] == "service" and "tidak dikenal" in \
        resp.json["error"]["message"]
