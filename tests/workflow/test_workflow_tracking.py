"""The public tracking page says only the project's own sentences, whatever goes wrong."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from workflow_service.models import Case, SopVersion

pytestmark = pytest.mark.integration


def test_tracking_page_never_shows_an_exceptions_text(client, auth, db):
    opened = client.post("/cases", json={"sop": "kk", "channel": "langsung"},
                         headers=auth("petugas"))
    assert opened.status_code == 201, opened.json
    code = opened.json["tracking_code"]
    # The case's pinned SOP version is damaged in the database: reading it raises a TypeError
    # whose text ("string indices must be integers") names internals.
    with db.session() as session:
        case = session.scalar(select(Case).where(Case.tracking_code == code))
        version = session.get(SopVersion, case.sop_hash)
        version.content = {"name": "Permohonan Kartu Keluarga", "steps": "tabel_rusak"}
    page = client.get(f"/t/{code}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Status permohonan tidak dapat ditampilkan saat ini" in text
    assert "string indices" not in text and "TypeError" not in text
    assert "tabel_rusak" not in text


def test_tracking_page_for_an_unknown_code_says_so(client):
    page = client.get("/t/TIDAKADA")
    assert page.status_code == 200
    assert "Kode pelacakan tidak ditemukan" in page.get_data(as_text=True)
