"""Fixtures for the SOP catalog tests: the real catalog and editable copies of its data."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from sop import Catalog, load_catalog
from sop._io import load_yaml
from sop.catalog import DEFAULT_DATA_DIR


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A private copy of sop/data that a test may break."""
    target = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, target)
    return target


Mutator = Callable[[str, Callable[[dict[str, Any]], None]], Path]


@pytest.fixture
def mutate(data_dir: Path) -> Mutator:
    """``mutate("ektp", fn)``: load ektp.yaml from the copy, let ``fn`` edit it, write it back."""

    def apply(code: str, fn: Callable[[dict[str, Any]], None]) -> Path:
        path = data_dir / f"{code}.yaml"
        data = load_yaml(path.read_text(encoding="utf-8"))
        fn(data)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                        encoding="utf-8")
        return path

    return apply
