"""The ``sop`` click group (attached to the loket CLI as ``loket sop``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from sop.cli import sop_group
from tests.sop.conftest import Mutator

pytestmark = pytest.mark.unit


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(sop_group, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_list() -> None:
    code, out, _ = run("list")
    assert code == 0
    lines = out.splitlines()
    assert [line.split()[0] for line in lines] == [
        "penerimaan-tamu", "pengaduan", "ektp", "kk", "rekomendasi"]
    assert "Permohonan Kartu Keluarga" in out and "5 langkah" in out


def test_show_renders_the_table() -> None:
    code, out, _ = run("show", "kk")
    assert code == 0
    assert "STANDAR OPERASIONAL PROSEDUR PERMOHONAN KARTU KELUARGA" in out
    header = next(line for line in out.splitlines() if line.startswith("| No"))
    # The document's own lane headers, not the role registry's.
    for col in ["Kegiatan", "Petugas", "Seksi Pem & Tibum", "Operator", "Kepala Dinas",
                "Kelengkapan", "Waktu", "Output"]:
        assert col in header
    assert "Pemohon" not in header
    assert "3 hari*" in out and "✓" in out
    assert "dibaca sebagai hari kerja" in out  # the working-day reading, marked
    assert "(tersirat)" in out  # the implicit return-to-applicant branch of step 1


def test_show_json() -> None:
    code, out, _ = run("show", "ektp", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["code"] == "ektp" and data["name"] == "Permohonan e-KTP"
    assert [s["time_standard"] for s in data["steps"]] == ["PT2M", "PT3M", "PT5M", "PT2M"]
    assert "Pemohon mengajukan" in out  # ensure_ascii=False keeps text readable
    assert out.startswith("{\n  ")


def test_show_unknown_code() -> None:
    code, _, err = run("show", "lurah")
    assert code != 0 and "SOP tidak dikenal: 'lurah'" in err


def test_validate_folder_and_file_ok(data_dir: Path) -> None:
    code, out, _ = run("validate", str(data_dir))
    assert code == 0
    assert sum(line.startswith("OK ") for line in out.splitlines()) == 6
    code, out, _ = run("validate", str(data_dir / "kk.yaml"))
    assert code == 0 and out.startswith("OK ") and "(kk, 5 langkah" in out
    code, out, _ = run("validate", str(data_dir / "roles.yaml"))
    assert code == 0 and "peran" in out


def test_validate_failing(mutate: Mutator, data_dir: Path) -> None:
    path = mutate("ektp", lambda d: d["steps"][1]["roles"].append("lurah"))
    for target in (path, data_dir):
        code, out, err = run("validate", str(target))
        assert code == 1
        assert "SOP 'ektp', langkah '2', kolom 'roles': peran tidak dikenal 'lurah'" in err
        assert "Traceback" not in out + err


def test_data_option_points_at_another_folder(mutate: Mutator, data_dir: Path) -> None:
    mutate("kk", lambda d: d.update(name="KK Uji"))
    code, out, _ = run("--data", str(data_dir), "list")
    assert code == 0 and "KK Uji" in out


def test_publish_and_html(tmp_path: Path) -> None:
    code, out, _ = run("publish", "--dir", str(tmp_path / "v"))
    assert code == 0 and out.count("baru") == 5
    code, out, _ = run("publish", "--dir", str(tmp_path / "v"))
    assert out.count("sudah ada") == 5
    target = tmp_path / "kk.html"
    code, _, _ = run("html", "kk", "-o", str(target))
    assert code == 0 and "Kecamatan Genteng" in target.read_text(encoding="utf-8")
