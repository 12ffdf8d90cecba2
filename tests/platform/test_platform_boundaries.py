"""The layout's boundaries hold: every domain module is plain Python, and ``make lint``'s import
contracts (import-linter, see .importlinter) really run and fail on a forbidden import."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
DOMAIN_MODULES = sorted(
    ".".join(path.relative_to(ROOT).with_suffix("").parts)
    for path in ROOT.glob("*/domain/*.py") if path.name != "__init__.py")
BLOCKED = ("flask", "sqlalchemy", "kivy", "redis", "celery", "werkzeug")

# Run in a fresh interpreter in which the frameworks cannot be imported at all.
PROBE = """
import importlib.abc, sys
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {blocked!r}:
            raise ImportError("blocked for the test: " + name)
        return None
sys.meta_path.insert(0, Block())
import {module}
"""


def test_there_are_domain_modules_to_check() -> None:
    assert any(m.startswith("queue_service.domain.") for m in DOMAIN_MODULES)
    assert any(m.startswith("workflow_service.domain.") for m in DOMAIN_MODULES)


@pytest.mark.parametrize("module", DOMAIN_MODULES)
def test_domain_module_imports_without_frameworks(module: str) -> None:
    probe = PROBE.format(blocked=set(BLOCKED), module=module)
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]


def _lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    binary = Path(sys.executable).parent / "lint-imports"
    return subprocess.run([str(binary), "--no-cache"], cwd=cwd, capture_output=True, text=True,
                          timeout=300, env={"PATH": str(binary.parent), "PYTHONPATH": str(cwd)})


@pytest.fixture(scope="module")
def overlay(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the packages and the contracts, to break on purpose."""
    copy = tmp_path_factory.mktemp("overlay")
    for name in ("loket", "sop", "queue_service", "workflow_service", "display", "console",
                 "kiosk", "voice"):
        shutil.copytree(ROOT / name, copy / name,
                        ignore=shutil.ignore_patterns("__pycache__", "static", "templates"))
    shutil.copy(ROOT / ".importlinter", copy / ".importlinter")
    return copy


@pytest.mark.parametrize(("module", "forbidden"), [
    ("kiosk/controllers/wording.py", "queue_service.domain.calling"),
    ("queue_service/usecases/hall.py", "workflow_service.models"),
    ("sop/durations.py", "queue_service.domain.numbering"),
    ("queue_service/domain/numbering.py", "sqlalchemy"),
    ("loket/db.py", "queue_service.models"),
    ("voice/segments.py", "loket.settings"),
])
def test_a_forbidden_import_fails_lint(overlay: Path, module: str, forbidden: str) -> None:
    assert _lint_imports(overlay).returncode == 0  # the copy is clean before the change
    target = overlay / module
    original = target.read_text(encoding="utf-8")
    target.write_text(original + f"\nimport {forbidden}  # noqa\n", encoding="utf-8")
    try:
        result = _lint_imports(overlay)
    finally:
        target.write_text(original, encoding="utf-8")
    assert result.returncode != 0
    assert "BROKEN" in result.stdout and forbidden in result.stdout


def test_size_limits_hold_and_catch_a_long_function(tmp_path: Path) -> None:
    script = ROOT / "tools" / "size_limits.py"
    clean = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                           timeout=120)
    assert clean.returncode == 0, clean.stdout
    pkg = tmp_path / "queue_service"
    pkg.mkdir()
    body = "".join(f"    x{i} = {i}\n" for i in range(61))
    (pkg / "long.py").write_text(f"def too_long():\n{body}", encoding="utf-8")
    (pkg / "big.py").write_text("x = 1\n" * 601, encoding="utf-8")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_big.py").write_text("x = 1\n" * 700, encoding="utf-8")
    found = subprocess.run([sys.executable, str(script), str(tmp_path)], capture_output=True,
                           text=True, timeout=120)
    assert found.returncode == 1
    assert "queue_service/long.py::too_long: 62 lines" in found.stdout
    assert "queue_service/big.py: 601 lines" in found.stdout
    assert "tests/" not in found.stdout  # tests are exempt
