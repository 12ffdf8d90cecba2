"""Property-based fuzzing of the documented workflow API: no input gives a server error.

Schemathesis' examples, coverage and fuzzing phases (tests/fuzzing.py) as the admin, a counter
officer and a kiosk (real tokens from the seeded hall) and an anonymous caller, over the app
mounted at /api/workflow as the hall mounts it.
"""

from __future__ import annotations

import pytest
import schemathesis
from werkzeug.exceptions import NotFound
from werkzeug.middleware.dispatcher import DispatcherMiddleware

from tests.fuzzing import ALL_PHASES, fuzz_all, operations_of

pytestmark = pytest.mark.integration

EXAMPLES = 10


def test_no_input_gives_a_server_error(wf_app, queue_hall, settings) -> None:
    from queue_service.app import create_app

    # As in the hall: the workflow reads the queue's staff list (reassign, candidates) and the
    # office's rooms from the queue app in the same process.
    wf_app.extensions["workflow"].queue_wsgi = create_app(settings)
    officer = queue_hall.staff("petugas1")
    # An open case with the documented example id (1): the examples and coverage phases then
    # reach the step actions' validation and the database, not only "case not found".
    opened = wf_app.test_client().post("/cases", json={"sop": "ektp", "channel": "langsung"},
                                       headers=officer)
    assert opened.status_code == 201, opened.json
    wf_app.wsgi_app = DispatcherMiddleware(NotFound(), {"/api/workflow": wf_app.wsgi_app})
    loaded = schemathesis.openapi.from_wsgi("/api/workflow/openapi.json", wf_app)
    schema = loaded.exclude(path="/events")  # the stream process's: tests/streams/
    assert len(operations_of(schema)) >= 30
    identities = {
        "admin": (queue_hall.staff("admin"), ALL_PHASES),
        "officer": (officer, ALL_PHASES),
        "kiosk": (queue_hall.kiosk, ALL_PHASES),
        "anonymous": ({}, ALL_PHASES),
    }
    timings: dict[str, float] = {}
    failures = fuzz_all(schema, identities, max_examples=EXAMPLES, timings=timings)
    print("schemathesis workflow seconds per caller:", {k: round(v) for k, v in timings.items()})
    assert failures == [], "\n\n".join(failures)
