"""The live-stream paths of the workflow API (served by the stream process, same prefix)."""

from __future__ import annotations

from typing import Any

from loket.stream_docs import RESUME, TOKEN, stream_op


def paths() -> dict[str, Any]:
    """Paths relative to /api/workflow."""
    return {"/events": stream_op(
        "Live workflow events (consoles, desks, dashboard)", "Who: staff.", [*RESUME, TOKEN],
        {"401": "No or invalid token", "403": "Not staff (a device)"}, [{"bearer": []}])}
