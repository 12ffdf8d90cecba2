"""A staff member's section is picked from the office file's sections (issue #15), not typed."""

from __future__ import annotations

import pytest

from tests.queue.conftest import Hall

pytestmark = pytest.mark.integration

SECTIONS = [
    {"code": "pemerintahan", "name": "Tata Pemerintahan dan Ketertiban Umum"},
    {"code": "pelayanan", "name": "Pelayanan Masyarakat"},
    {"code": "kesra", "name": "Pemberdayaan Masyarakat dan Kesejahteraan Rakyat"},
]


def _rina(hall: Hall) -> int:
    created = hall.client.post("/api/queue/admin/staff", headers=hall.staff("admin"), json={
        "username": "rina", "password": "sementara-123", "full_name": "Rina",
        "roles": ["kasi"]})
    assert created.status_code == 201, created.json
    return int(created.json["id"])


def test_the_staff_list_carries_the_office_files_sections(hall: Hall) -> None:
    listed = hall.client.get("/api/queue/staff", headers=hall.staff("petugas1"))
    assert listed.status_code == 200 and listed.json["sections"] == SECTIONS


def test_a_section_code_is_accepted_and_kept_as_the_section_name(hall: Hall) -> None:
    staff_id = _rina(hall)
    saved = hall.client.put(f"/api/queue/admin/staff/{staff_id}", headers=hall.staff("admin"),
                            json={"section": "kesra"})
    assert saved.status_code == 200, saved.json
    assert saved.json["section"] == SECTIONS[2]["name"]
    # The workflow asks by code; the record carries the name: both find her.
    for section in ("kesra", SECTIONS[2]["name"]):
        people = hall.client.get("/api/queue/staff", query_string={"role": "kasi",
                                                                   "section": section},
                                 headers=hall.staff("petugas1")).json["staff"]
        assert sorted(p["username"] for p in people) == ["kasi_kesra", "rina"]


def test_free_text_section_is_refused_naming_the_field(hall: Hall, count_rows) -> None:
    staff_id = _rina(hall)
    before = count_rows()
    for body in ({"section": "Seksi Kebersihan"}, {"section": "kesejahteraan"}):
        refused = hall.client.put(f"/api/queue/admin/staff/{staff_id}",
                                  headers=hall.staff("admin"), json=body)
        assert refused.status_code == 422, refused.json
        error = refused.json["error"]
        assert error["field"] == "section" and error["code"] == "unknown_section"
        assert "daftar seksi kantor" in error["message"] and "kesra" in error["message"]
    created = hall.client.post("/api/queue/admin/staff", headers=hall.staff("admin"), json={
        "username": "budi", "password": "sementara-123", "full_name": "Budi",
        "roles": ["kasi"], "section": "Bagian Umum"})
    assert created.status_code == 422 and created.json["error"]["field"] == "section"
    assert count_rows() == before
