"""The five SOPs of Kecamatan Genteng load, complete and faithful to the source document."""

from __future__ import annotations

from pathlib import Path

import pytest

from sop import Catalog, Sop, Step, load_office, roles
from sop.roles import load_roles

pytestmark = pytest.mark.unit

SOURCE = "/work/shared/seeds/000_37404ab46eca2635.txt"


def test_all_five_sops_load_in_document_order(catalog: Catalog) -> None:
    assert catalog.codes() == ["penerimaan-tamu", "pengaduan", "ektp", "kk", "rekomendasi"]
    assert {s.code: s.name for s in catalog.all()} == {
        "penerimaan-tamu": "Pengelolaan Penerimaan Tamu",
        "pengaduan": "Pengelolaan Pengaduan Pelayanan Publik",
        "ektp": "Permohonan e-KTP",
        "kk": "Permohonan Kartu Keluarga",
        "rekomendasi": "Permohonan Rekomendasi",
    }
    assert all(isinstance(s, Sop) and all(isinstance(t, Step) for t in s.steps)
               for s in catalog)


def test_unknown_code_is_a_key_error(catalog: Catalog) -> None:
    with pytest.raises(KeyError, match="lurah"):
        catalog.get("lurah")


@pytest.mark.parametrize(
    ("code", "ids", "numbers"),
    [
        ("penerimaan-tamu", ["1", "2", "2b", "2c", "2d"], [1, 2, None, None, None]),
        ("pengaduan", ["1", "1b", "2", "2b", "2c", "2d"], [1, None, 2, None, None, None]),
        ("ektp", ["1", "2", "3", "4"], [1, 2, 3, 4]),
        ("kk", ["1", "2", "3", "4", "5"], [1, 2, 3, 4, 5]),
        ("rekomendasi", ["1", "2", "3", "4"], [1, 2, 3, 4]),
    ],
)
def test_every_row_of_the_step_table_is_a_step(
    catalog: Catalog, code: str, ids: list[str], numbers: list[int | None]
) -> None:
    sop = catalog.get(code)
    assert [s.id for s in sop.steps] == ids
    assert [s.no for s in sop.steps] == numbers


@pytest.mark.parametrize(
    ("code", "step_id", "activity_start", "roles_", "iso", "text", "output"),
    [
        ("penerimaan-tamu", "1", "Tamu melapor kedatangan kepada petugas", ["tamu", "petugas"],
         "PT5M", "5 menit", ["Informasi dari tamu"]),
        ("penerimaan-tamu", "2c", "Penerimaan tamu", ["tamu", "tujuan"], None, "seperlunya",
         ["Pertemuan"]),
        ("pengaduan", "1", "Pelapor mengadukan permasalahan", ["pelapor", "petugas"], "PT30M",
         "0,5 jam", ["Informasi Data"]),
        ("pengaduan", "2b", "Melaporkan pengaduan ke masing-masing seksi", ["petugas"], "PT30M",
         "0,5jam", ["Informasi Data"]),
        ("pengaduan", "2c", "Memberikan persetujuan dan memerintahkan",
         ["kasi", "sekcam", "camat"], "PT8H", "8 jam", ["Tanggapan Jawaban"]),
        ("ektp", "3", "Berkas permohonan disampaikan ke operator", ["operator"], "PT5M",
         "5 menit", ["Biodata pemohon"]),
        ("kk", "4", "Penandatanganan Produk (KK) oleh Kepala Dinas", ["kadis_dukcapil"], "P3D",
         "3 hari", ["KK"]),
        ("kk", "5", "Registrasi Produk", ["petugas"], "PT2M", "2 menit", ["KK", "Data"]),
        ("rekomendasi", "3", "Berkas permohonan disampaikan ke Pimpinan SKPD (Camat/Sekcam)",
         ["sekcam", "camat"], "PT3M", "3 menit", ["Rekomendasi"]),
        ("rekomendasi", "4", "Petugas menerima permohonan yang telah direkomendasi", ["petugas"],
         "PT2M", "2 menit", []),
    ],
)
def test_step_matches_the_document(
    catalog: Catalog, code: str, step_id: str, activity_start: str, roles_: list[str],
    iso: str | None, text: str, output: list[str],
) -> None:
    step = catalog.get(code).step(step_id)
    assert step.activity.startswith(activity_start)
    assert step.roles == roles_
    assert step.roles_inferred and step.inference_note
    assert step.time_standard == iso
    assert step.time_standard_text == text
    assert step.output == output
    assert step.clock == "business"


def test_original_wording_is_in_the_source_document(catalog: Catalog) -> None:
    """Undoing the recorded corrections gives back text that is literally in the document."""
    source = " ".join(open(SOURCE, encoding="utf-8").read().split())
    for sop in catalog:
        for step in sop.steps:
            for line in step.original("activity").splitlines():
                assert " ".join(line.split()) in source, (sop.code, step.id, line)
            for item in step.original("requirements"):
                assert item in source, (sop.code, step.id, item)


@pytest.mark.parametrize(
    ("code", "step_id", "field", "original", "corrected"),
    [
        ("pengaduan", "1b", "requirements", "Kompiuter", "Komputer"),
        ("pengaduan", "2b", "requirements", "Informaasi", "Informasi"),
        ("ektp", "1", "requirements", "Buku regester", "Buku register"),
        ("ektp", "2", "activity", "penelithan", "penelitian"),
        ("ektp", "4", "activity", "Regristasi", "Registrasi"),
        ("kk", "3", "activity", "Pembedulan", "Pembetulan"),
        ("penerimaan-tamu", "2d", "activity", "karu tamu", "kartu tamu"),
        ("rekomendasi", "2", "output", "Regristasi", "Registrasi"),
    ],
)
def test_typo_corrections_are_traceable(
    catalog: Catalog, code: str, step_id: str, field: str, original: str, corrected: str
) -> None:
    step = catalog.get(code).step(step_id)
    assert any(c.field == field and c.original == original and c.corrected == corrected
               for c in step.corrections)
    now = getattr(step, field)
    printed = step.original(field)
    joined_now = " ".join(now) if isinstance(now, list) else now
    joined_printed = " ".join(printed) if isinstance(printed, list) else printed
    assert corrected in joined_now and original not in joined_now
    assert original in joined_printed


def test_lane_header_typo_petugs_is_corrected(catalog: Catalog) -> None:
    sop = catalog.get("rekomendasi")
    assert sop.lane_headers[0] == "Petugas"
    assert sop.original("lane_headers")[0] == "Petugs"


def test_header_block_fields(catalog: Catalog) -> None:
    units = {s.code: s.unit for s in catalog}
    assert units == {
        "penerimaan-tamu": "Sekretariat",
        "pengaduan": "Seksi Pelayanan Masyarakat",
        "ektp": "Seksi Tata Pemerintahan dan Ketertiban Umum",
        "kk": "Seksi Tata Pemerintahan dan Ketertiban Umum",
        "rekomendasi": "Seksi Pemberdayaan Masyarakat dan Kesejahteraan Rakyat",
    }
    for sop in catalog:
        assert sop.number == "/SOP/429.518/2017"
        assert sop.dates.parsed() == {"created": "2017-04-03", "revised": None, "effective": None}
        assert sop.approved_by.name == "FIRMAN SANYOTO, S.Sos., M.Si"
        assert sop.approved_by.rank == "Pembina Tingkat I"
        assert sop.approved_by.nip == "19721115 199203 1 008"
        assert sop.approved_by.position == "Camat Genteng"
        assert sop.legal_basis[0].startswith("Peraturan Menteri Dalam Negeri Nomor 18 Tahun 2011")
        assert sop.qualifications == ["Umum", "SLTA"]
        assert sop.equipment == ["Jaringan Internet", "Komputer", "Alat Tulis"]
        assert sop.warnings and sop.records and sop.related


def test_first_page_name_variant_is_recorded(catalog: Catalog) -> None:
    approver = catalog.get("penerimaan-tamu").approved_by
    assert approver.name_as_printed == "ERMAN SANYOTO, S.Sos., M.Si"
    assert approver.note and "FIRMAN" in approver.note
    assert all(catalog.get(c).approved_by.name_as_printed is None
               for c in ["pengaduan", "ektp", "kk", "rekomendasi"])


def test_branches_stated_by_the_document(catalog: Catalog) -> None:
    ektp1 = catalog.get("ektp").step("1").branches
    assert [(b.when, b.action, b.goto, b.explicit) for b in ektp1] == [
        ("berkas_tidak_lengkap", "return_to_applicant", "1", True)]
    kk1 = catalog.get("kk").step("1").branches
    assert [(b.when, b.action, b.explicit) for b in kk1] == [
        ("berkas_tidak_lengkap", "return_to_applicant", False)]
    assert kk1[0].note and "verifikasi" in kk1[0].note
    ektp2 = catalog.get("ektp").step("2").branches
    assert [(b.when, b.action, b.goto, b.explicit) for b in ektp2] == [
        ("ya", "goto", "3", True), ("tidak", "return_to_applicant", "1", False)]
    rek2 = {b.when: b for b in catalog.get("rekomendasi").step("2").branches}
    assert set(rek2) == {"ya", "tidak"}
    assert (rek2["ya"].action, rek2["ya"].goto) == ("goto", "3")
    assert rek2["tidak"].action == "return_to_applicant"


def test_group_leader_hands_over_one_id_card(catalog: Catalog) -> None:
    (cond,) = catalog.get("penerimaan-tamu").step("2").conditions
    assert cond.when == "rombongan"
    assert "ketua rombongan" in cond.rule


def test_main_path_and_assignees(catalog: Catalog) -> None:
    sop = catalog.get("kk")
    assert [sop.next_step_id(s.id) for s in sop.steps] == ["2", "3", "4", "5", None]
    assignees = [s.assignee_for(catalog.roles) for s in sop.steps]
    assert assignees == ["petugas", "kasi", "operator", "kadis_dukcapil", "petugas"]


def test_role_registry_and_escalation() -> None:
    registry = roles.default_registry()
    for code in ["warga", "pemohon", "pelapor", "tamu"]:
        assert registry.get(code).kind == "citizen"
    assert registry.get("kadis_dukcapil").kind == "external"
    assert registry.get("kadis_dukcapil").label == (
        "Kepala Dinas Kependudukan dan Pencatatan Sipil")
    assert registry.get("kasi").label == "Kepala Seksi"
    assert registry.get("sekcam").label == "Sekretaris Camat"
    assert roles.supervisor_of("petugas") == "kasi"
    assert roles.supervisor_of("operator") == "kasi"
    assert roles.supervisor_of("kasi") == "sekcam"
    assert roles.supervisor_of("sekcam") == "camat"
    assert roles.supervisor_of("camat") is None
    assert roles.escalation_chain("petugas") == ["kasi", "sekcam", "camat"]
    assert roles.escalation_chain("tujuan") == ["sekcam", "camat"]


def test_every_role_list_comes_from_the_roles_file() -> None:
    # The queue, the shared auth and the workflow read these; none keeps its own copy.
    assert set(roles.staff_roles()) == {"petugas", "operator", "kasi", "sekcam", "camat"}
    assert roles.system_roles() == ("admin",)
    assert set(roles.login_roles()) == {*roles.staff_roles(), "admin"}
    assert set(roles.supervising_roles()) == {"kasi", "sekcam", "camat"}
    assert set(roles.frontline_roles()) == {"petugas", "operator"}
    assert "tujuan" not in roles.login_roles()  # any member of staff fills it


def test_a_new_supervisor_in_the_file_supervises_everywhere(tmp_path) -> None:
    text = roles.DEFAULT_ROLES_PATH.read_text(encoding="utf-8").replace(
        "    supervisor: kasi\n    description: Operator",
        "    supervisor: petugas\n    description: Operator")
    registry = load_roles(_write(tmp_path / "roles.yaml", text))
    assert registry.supervisor_of("operator") == "petugas"
    assert "petugas" in registry.supervising_roles()
    assert registry.frontline_roles() == ("operator",)


def test_every_step_role_is_registered(catalog: Catalog) -> None:
    for sop in catalog:
        for step in sop.steps:
            assert all(r in catalog.roles for r in step.roles)


def test_role_supervisor_cycle_is_refused(tmp_path: Path) -> None:
    from sop import SopValidationError

    path = tmp_path / "roles.yaml"
    path.write_text(
        "roles:\n"
        "  - {code: a, label: A, short_label: A, kind: staff, supervisor: b}\n"
        "  - {code: b, label: B, short_label: B, kind: staff, supervisor: a}\n",
        encoding="utf-8",
    )
    with pytest.raises(SopValidationError, match="peran 'a', kolom 'supervisor'"):
        load_roles(path)


def test_office_configuration(catalog: Catalog) -> None:
    office = load_office()
    office.check_catalog(catalog)
    assert office.name == "Kecamatan Genteng"
    assert office.timezone == "Asia/Jakarta"
    assert {c: s.prefix for c, s in office.services.items()} == {
        "penerimaan-tamu": "A", "pengaduan": "B", "ektp": "C", "kk": "D", "rekomendasi": "E"}
    assert all(s.icon for s in office.services.values())
    assert office.service("ektp").bring and office.service("ektp").bring_is_demo
    guest = [q.key for q in office.service("penerimaan-tamu").questions]
    assert guest == ["purpose", "meet", "institution", "group_size"]
    complaint = office.service("pengaduan").questions
    assert [q.key for q in complaint] == ["category", "description"]
    assert complaint[0].type == "choice" and len(complaint[0].choices) >= 3
    assert office.service("ektp").questions == []


def test_office_file_can_be_swapped(tmp_path: Path) -> None:
    from sop import SopValidationError

    other = tmp_path / "lain.yaml"
    other.write_text(
        "name: Kecamatan Lain\nregency: Kabupaten X\ngovernment: Pemerintah Kabupaten X\n"
        "address: Jl. Contoh\ntimezone: Asia/Makassar\n"
        "services:\n  ektp: {prefix: K, icon: card}\n",
        encoding="utf-8",
    )
    office = load_office(other)
    assert office.name == "Kecamatan Lain" and office.service("ektp").prefix == "K"
    other.write_text(other.read_text().replace("Asia/Makassar", "Mars/Olympus"), "utf-8")
    with pytest.raises(SopValidationError, match=r"lain\.yaml: kantor .*kolom 'timezone'"):
        load_office(other)


def test_service_minutes_counts_the_first_visit(catalog: Catalog) -> None:
    minutes = {s.code: s.service_minutes() for s in catalog}
    # e-KTP: 2 + 3 + 5 + 2 menit; KK stops before the 3 working days at the Dinas;
    # pengaduan: only the 0,5 jam the pelapor is at the office.
    assert minutes == {"penerimaan-tamu": 20, "pengaduan": 30, "ektp": 12, "kk": 15,
                       "rekomendasi": 12}


def test_json_contract(catalog: Catalog) -> None:
    data = catalog.get("kk").to_json()
    for key in ["code", "name", "unit", "number", "legal_basis", "steps", "content_hash",
                "version", "dates", "dates_text", "approved_by", "qualifications", "related",
                "equipment", "warnings", "records", "lane_headers", "notes", "corrections",
                "service_minutes", "acting_roles", "title"]:
        assert key in data, key
    assert data["content_hash"] == catalog.get("kk").content_hash
    assert data["dates"] == {"created": "2017-04-03", "revised": None, "effective": None}
    assert data["dates_text"]["created"] == "3 April 2017"
    step = data["steps"][3]
    for key in ["id", "no", "activity", "roles", "requirements", "time_standard",
                "time_standard_text", "clock", "output", "branches", "assignee",
                "activity_lines", "activity_original", "roles_inferred", "inference_note",
                "corrections", "visitor_present", "next_step"]:
        assert key in step, key
    assert (step["id"], step["no"], step["time_standard"], step["time_standard_text"],
            step["clock"]) == ("4", 4, "P3D", "3 hari", "business")
    assert data["steps"][0]["branches"][0]["action"] == "return_to_applicant"
    import json

    json.dumps(data, ensure_ascii=False)  # plain JSON types only


def test_each_step_declares_its_outcomes_as_the_document_writes_them(catalog: Catalog) -> None:
    declared = {(sop.code, step.id): step.outcomes for sop in catalog for step in sop.steps}
    decisions = {key for key, o in declared.items() if o.decisions}
    assert decisions == {("ektp", "2"), ("kk", "2"), ("rekomendasi", "2"), ("pengaduan", "2c")}
    assert all(declared[key].decisions == ["ya", "tidak"] for key in decisions)
    returns = {key for key, o in declared.items() if o.return_to_applicant}
    assert returns == {("ektp", "1"), ("kk", "1")}
    # The document rejects nowhere; the rekomendasi ya/tidak and the e-KTP return are its own.
    assert not any(o.reject for o in declared.values())
    assert not declared[("rekomendasi", "2")].inferred and not declared[("ektp", "1")].inferred
    assert declared[("kk", "2")].inferred and declared[("kk", "1")].inferred


def _write(path, text: str):
    path.write_text(text, encoding="utf-8")
    return path
