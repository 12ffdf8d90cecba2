"""Import every module that declares tables, so ``Base.metadata`` is complete."""

from __future__ import annotations

import importlib

MODEL_MODULES = (
    "loket.events",
    "queue_service.models",
    "workflow_service.models",
    "workflow_service.models_guests",
    "workflow_service.models_complaints",
)


def import_all_models() -> None:
    for name in MODEL_MODULES:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            # A service that has no tables yet is fine; a broken import inside one is not.
            if exc.name != name:
                raise
