"""Broken SOP files are refused with a message naming file, SOP, step and field."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sop import SopValidationError, load_catalog, load_sop_file
from tests.sop.conftest import Mutator

pytestmark = pytest.mark.unit


def _step(data: dict[str, Any], step_id: str) -> dict[str, Any]:
    return next(s for s in data["steps"] if s["id"] == step_id)


def _error(path: Path) -> SopValidationError:
    with pytest.raises(SopValidationError) as info:
        load_catalog(path.parent)
    return info.value


def test_unknown_role(mutate: Mutator) -> None:
    path = mutate("ektp", lambda d: _step(d, "2")["roles"].append("lurah"))
    err = _error(path)
    assert str(err).endswith(
        "ektp.yaml: SOP 'ektp', langkah '2', kolom 'roles': peran tidak dikenal 'lurah'")
    assert (err.sop_code, err.step_id, err.field) == ("ektp", "2", "roles")
    assert err.path == path


def test_system_role_acts_in_no_step(mutate: Mutator) -> None:
    err = _error(mutate("ektp", lambda d: _step(d, "2")["roles"].append("admin")))
    assert str(err).endswith("ektp.yaml: SOP 'ektp', langkah '2', kolom 'roles': "
                             "peran sistem 'admin' tidak bertindak dalam langkah SOP")


def test_branch_to_missing_step(mutate: Mutator) -> None:
    def edit(d: dict[str, Any]) -> None:
        _step(d, "2")["branches"][0]["goto"] = "9"

    err = _error(mutate("ektp", edit))
    msg = str(err)
    assert "ektp.yaml: SOP 'ektp', langkah '2', kolom 'branches[0].goto'" in msg
    assert "'9'" in msg


def test_unreachable_step(mutate: Mutator) -> None:
    # Step 2 jumps straight to 4, so nothing leads to step 3.
    def edit(d: dict[str, Any]) -> None:
        _step(d, "2")["next"] = "4"
        _step(d, "2")["branches"] = []

    msg = str(_error(mutate("ektp", edit)))
    assert "ektp.yaml: SOP 'ektp', langkah '3', kolom 'id'" in msg
    assert "tidak dapat dicapai" in msg


def test_unparseable_duration(mutate: Mutator) -> None:
    path = mutate("kk", lambda d: _step(d, "4").update(time_standard_text="tiga hari"))
    msg = str(_error(path))
    assert "kk.yaml: SOP 'kk', langkah '4', kolom 'time_standard_text'" in msg
    assert "tiga hari" in msg


def test_missing_required_field(mutate: Mutator) -> None:
    path = mutate("pengaduan", lambda d: _step(d, "2c").pop("activity"))
    msg = str(_error(path))
    assert msg.endswith(
        "pengaduan.yaml: SOP 'pengaduan', langkah '2c', kolom 'activity': wajib diisi")


def test_missing_required_sop_field(mutate: Mutator) -> None:
    msg = str(_error(mutate("kk", lambda d: d.pop("unit"))))
    assert msg.endswith("kk.yaml: SOP 'kk', kolom 'unit': wajib diisi")


def test_wrong_type(mutate: Mutator) -> None:
    path = mutate("rekomendasi", lambda d: _step(d, "3").update(no="tiga"))
    msg = str(_error(path))
    assert "rekomendasi.yaml: SOP 'rekomendasi', langkah '3', kolom 'no'" in msg
    assert "bilangan bulat" in msg


def test_wrong_type_roles_not_a_list(mutate: Mutator) -> None:
    path = mutate("kk", lambda d: _step(d, "1").update(roles={"petugas": True}))
    msg = str(_error(path))
    assert "kk.yaml: SOP 'kk', langkah '1', kolom 'roles'" in msg
    assert "daftar" in msg


def test_unknown_key_is_refused(mutate: Mutator) -> None:
    path = mutate("kk", lambda d: _step(d, "5").update(waktu="2 menit"))
    msg = str(_error(path))
    assert "kk.yaml: SOP 'kk', langkah '5', kolom 'waktu': kolom tidak dikenal" in msg


def test_malformed_yaml(data_dir: Path) -> None:
    path = data_dir / "ektp.yaml"
    path.write_text("code: ektp\nsteps: [\n  - id: 1\n", encoding="utf-8")
    err = _error(path)
    assert str(err).startswith(f"{path}: SOP 'ektp': YAML tidak valid (baris ")


def test_empty_file(data_dir: Path) -> None:
    path = data_dir / "kk.yaml"
    path.write_text("# nothing here\n", encoding="utf-8")
    assert str(_error(path)) == f"{path}: SOP 'kk': berkas kosong"


def test_top_level_not_a_mapping(data_dir: Path) -> None:
    path = data_dir / "kk.yaml"
    path.write_text("- just\n- a list\n", encoding="utf-8")
    assert "harus berupa pemetaan" in str(_error(path))


def test_binary_garbage_is_a_validation_error(data_dir: Path) -> None:
    path = data_dir / "kk.yaml"
    path.write_bytes(b"\xff\xfe\x00garbage")
    assert str(_error(path)).startswith(str(path))


def test_code_must_match_file_name(mutate: Mutator) -> None:
    msg = str(_error(mutate("kk", lambda d: d.update(code="kartu-keluarga"))))
    assert "kk.yaml: SOP 'kartu-keluarga', kolom 'code'" in msg


def test_duplicate_step_id(mutate: Mutator) -> None:
    msg = str(_error(mutate("kk", lambda d: _step(d, "3").update(id="2"))))
    assert "SOP 'kk', langkah '2', kolom 'id': id langkah ganda '2'" in msg


def test_correction_must_point_at_existing_text(mutate: Mutator) -> None:
    def edit(d: dict[str, Any]) -> None:
        _step(d, "3")["corrections"][0]["corrected"] = "Pembenaran"

    msg = str(_error(mutate("kk", edit)))
    assert "SOP 'kk', langkah '3', kolom 'corrections[0].corrected'" in msg


def test_inferred_roles_need_a_note(mutate: Mutator) -> None:
    msg = str(_error(mutate("kk", lambda d: _step(d, "3").pop("inference_note"))))
    assert "SOP 'kk', langkah '3', kolom 'inference_note'" in msg


def test_assignee_must_be_one_of_the_roles(mutate: Mutator) -> None:
    msg = str(_error(mutate("kk", lambda d: _step(d, "2").update(assignee="camat"))))
    assert "SOP 'kk', langkah '2', kolom 'assignee'" in msg


def test_missing_file_is_a_validation_error(tmp_path: Path) -> None:
    with pytest.raises(SopValidationError, match="berkas tidak ditemukan"):
        load_sop_file(tmp_path / "ektp.yaml")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "code: [",
        "42",
        "code: ektp\n",
        "code: ektp\nsteps: 5\n",
        "code: ektp\nsteps: [5]\n",
        "code: ektp\nsteps: [{id: 1}]\n",
        "code: 7\ndates: []\napproved_by: x\n",
        "!!python/object:os.system {}\n",
        "\tcode: x",
    ],
)
def test_no_other_exception_type_escapes(tmp_path: Path, text: str) -> None:
    path = tmp_path / "ektp.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SopValidationError) as info:
        load_sop_file(path)
    assert str(info.value).startswith(str(path))


def test_a_branch_must_be_a_declared_decision(mutate: Mutator) -> None:
    def edit(d: dict[str, Any]) -> None:
        _step(d, "2")["outcomes"]["decisions"] = ["ya"]

    err = _error(mutate("rekomendasi", edit))
    assert "cabang 'tidak' bukan keputusan langkah ini" in str(err)
    assert (err.step_id, err.field) == ("2", "branches[1].when")


def test_a_return_branch_needs_the_step_to_allow_returning(mutate: Mutator) -> None:
    def edit(d: dict[str, Any]) -> None:
        del _step(d, "1")["outcomes"]

    err = _error(mutate("ektp", edit))
    assert "outcomes.return_to_applicant" in str(err)
    assert err.step_id == "1"


def test_decision_values_are_lowercase_words(mutate: Mutator) -> None:
    def edit(d: dict[str, Any]) -> None:
        _step(d, "2")["outcomes"]["decisions"] = ["Ya", "tidak"]

    err = _error(mutate("kk", edit))
    assert "outcomes" in str(err) and err.step_id == "2"
