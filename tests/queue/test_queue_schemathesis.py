"""Property-based fuzzing of the documented API: no input gives a server error.

Drives schemathesis' Python API directly (one hypothesis run per operation) rather than
``schemathesis.pytest.from_fixture``, which does not work with this pytest version.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

pytestmark = pytest.mark.integration

EXAMPLES = 15


def test_no_input_gives_a_server_error(hall) -> None:
    loaded = schemathesis.openapi.from_wsgi("/api/queue/openapi.json", hall.app)
    # The event streams are served by the stream process, not this app: tests/streams/.
    schema = loaded.exclude(path="/events")
    # A fresh login per operation: fuzzing /auth/logout or an account change may end a session.
    identities = {"admin": lambda: hall.staff("admin"), "kiosk": lambda: hall.kiosk,
                  "anonymous": dict}
    operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
    assert len(operations) >= 25
    for who, headers in identities.items():
        for operation in operations:
            try:
                fuzz(operation, headers())
            except Exception as exc:
                raise AssertionError(f"{who}: {operation.label}: {exc}") from exc


def fuzz(operation, headers: dict[str, str]) -> None:
    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case) -> None:
        case.call_and_validate(headers=headers, checks=[not_a_server_error])

    run()
