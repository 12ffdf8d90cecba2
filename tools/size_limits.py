"""Size limits of the house: no Python file over 600 lines, no function over 60 lines.

Run by ``make lint``. Exempt: tests, migrations and the OpenAPI documents (declarative tables).
``KNOWN`` lists what is over today and is being split on another branch; it may only shrink.
Usage: ``python tools/size_limits.py [ROOT]``; exit 1 naming every file or function over.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

MAX_FILE_LINES = 600
MAX_FUNCTION_LINES = 60
SKIP_DIRS = {".venv", ".git", "tests", "migrations", "node_modules", "build", "dist"}
SKIP_FILES = ("openapi.py", "openapi_*.py")
# Over the limits today (none left): an entry may only be removed.
KNOWN: frozenset[str] = frozenset()


def python_files(root: Path) -> Iterator[Path]:
    for path in sorted(root.rglob("*.py")):
        parts = set(path.relative_to(root).parts[:-1])
        if parts & SKIP_DIRS or any(path.match(pattern) for pattern in SKIP_FILES):
            continue
        if any(part.startswith(".") or part.endswith(".egg-info") for part in parts):
            continue
        yield path


def violations(root: Path) -> Iterator[str]:
    for path in python_files(root):
        name = path.relative_to(root).as_posix()
        text = path.read_text(encoding="utf-8")
        lines = len(text.splitlines())
        if lines > MAX_FILE_LINES:
            yield f"{name}: {lines} lines (max {MAX_FILE_LINES})"
        for node in ast.walk(ast.parse(text, filename=name)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    yield (f"{name}::{node.name}: {length} lines, line {node.lineno} "
                           f"(max {MAX_FUNCTION_LINES})")


def main(argv: list[str]) -> int:
    root = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parents[1]
    found = [v for v in violations(root) if v.split(": ")[0] not in KNOWN]
    for line in found:
        print(line)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
