"""Schemathesis over a served OpenAPI document, in its three phases, as several callers.

Drives schemathesis' Python API (``schemathesis.openapi.from_wsgi`` and its Hypothesis test
builder) directly, one Hypothesis test per operation and caller, rather than
``schemathesis.pytest.from_fixture``, which does not work with this pytest version.

- **examples**: the examples the document gives (filled in where a part is missing);
- **coverage**: schemathesis' deterministic cases per parameter and body field (boundaries,
  missing fields, wrong types, over-long strings, out-of-range integers, positive and negative);
- **fuzzing**: Hypothesis-generated cases, positive and negative, ``max_examples`` each.

Derandomized (the same cases every run, so CI is repeatable); the only check is
``not_a_server_error``: no input, from no caller, gives a 5xx.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

import hypothesis
from hypothesis import HealthCheck
from schemathesis.checks import not_a_server_error
from schemathesis.generation.hypothesis.builder import (
    HypothesisTestConfig,
    HypothesisTestMode,
    create_test,
)

ALL_PHASES = (HypothesisTestMode.EXAMPLES, HypothesisTestMode.COVERAGE,
              HypothesisTestMode.FUZZING)


def operations_of(schema: Any) -> list[Any]:
    return [result.ok() for result in schema.get_all_operations()]


Headers = dict[str, str] | Callable[[], dict[str, str]]


def fuzz_all(schema: Any, identities: Mapping[str, tuple[Headers, tuple[Any, ...]]], *,
             max_examples: int, timings: dict[str, float] | None = None) -> list[str]:
    """Every operation as every caller (headers, phases); the failures, one line each.

    Headers given as a function are fetched again for each operation (a fresh login: fuzzing
    logout or an account change may end the caller's session)."""
    failures: list[str] = []
    for who, (headers, phases) in identities.items():
        started = time.perf_counter()
        for operation in operations_of(schema):
            try:
                fuzz_operation(operation, headers() if callable(headers) else headers,
                               phases=phases, max_examples=max_examples)
            except BaseException as exc:  # hypothesis raises an exception group of failures
                if isinstance(exc, KeyboardInterrupt):
                    raise
                failures.append(f"{who}: {operation.label}: {exc}")
        if timings is not None:
            timings[who] = time.perf_counter() - started
    return failures


def fuzz_operation(operation: Any, headers: dict[str, str], *, phases: tuple[Any, ...],
                   max_examples: int) -> None:
    def check(case: Any) -> None:
        case.call_and_validate(headers=headers, checks=[not_a_server_error])

    settings = hypothesis.settings(
        max_examples=max_examples, deadline=None, database=None, derandomize=True,
        suppress_health_check=list(HealthCheck),
        phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate])
    test = create_test(operation=operation, test_func=check, config=HypothesisTestConfig(
        project=operation.schema.config, modes=list(phases), settings=settings,
        explicit_settings=settings))
    test()
