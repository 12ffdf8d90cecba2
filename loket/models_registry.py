"""Import every module that declares tables, so ``Base.metadata`` is complete."""

from __future__ import annotations

import importlib

from loket.composition.registry import MODEL_MODULES


def import_all_models() -> None:
    for name in MODEL_MODULES:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            # A service that has no tables yet is fine; a broken import inside one is not.
            if exc.name != name:
                raise
