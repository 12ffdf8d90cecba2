"""Property-based fuzzing of the documented queue API: no input gives a server error.

Schemathesis' examples, coverage and fuzzing phases (tests/fuzzing.py) as the admin, a counter
officer, a kiosk and an anonymous caller. CI time is bounded by ``EXAMPLES`` (fuzzing cases per
operation and caller); the coverage phase is deterministic. Measured in docs/security.md.
"""

from __future__ import annotations

import pytest
import schemathesis

from tests.fuzzing import ALL_PHASES, fuzz_all, operations_of

pytestmark = pytest.mark.integration

EXAMPLES = 10


def test_no_input_gives_a_server_error(hall) -> None:
    loaded = schemathesis.openapi.from_wsgi("/api/queue/openapi.json", hall.app)
    # The event streams are served by the stream process, not this app: tests/streams/.
    schema = loaded.exclude(path="/events")
    assert len(operations_of(schema)) >= 25
    # A waiting ticket with id 1 (the ids' lower bound, which the coverage phase sends): the
    # ticket actions then reach their rules and the database, not only "not found".
    assert hall.issue("ektp")["id"] == 1
    identities = {
        # A fresh login per operation: fuzzing /auth/logout or an account change may end a session.
        # The admin goes last: its fuzzing may reset the officer's password or revoke the kiosk.
        "anonymous": ({}, ALL_PHASES),
        "kiosk": (hall.kiosk, ALL_PHASES),
        "officer": (lambda: hall.staff("petugas1"), ALL_PHASES),
        "admin": (lambda: hall.staff("admin"), ALL_PHASES),
    }
    timings: dict[str, float] = {}
    failures = fuzz_all(schema, identities, max_examples=EXAMPLES, timings=timings)
    print("schemathesis queue seconds per caller:", {k: round(v) for k, v in timings.items()})
    assert failures == [], "\n\n".join(failures)
