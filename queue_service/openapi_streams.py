"""The live-stream paths of the queue API (served by the stream process, same prefix)."""

from __future__ import annotations

from typing import Any

from loket.stream_docs import RESUME, TOKEN, stream_op


def paths() -> dict[str, Any]:
    """Paths relative to /api/queue."""
    return {
        "/events": stream_op(
            "Live queue events (TV, consoles)",
            "Who: the TV with its display token, or staff. `services` narrows it.",
            [*RESUME, TOKEN, {"name": "services", "in": "query", "required": False,
                                "schema": {"type": "string"}}],
            {"401": "No or unknown token", "403": "A device other than a display"},
            [{"device": []}, {"staff": []}]),
        "/tickets/{tracking_code}/events": stream_op(
            "Live events of one ticket (the visitor's phone)",
            "Who: whoever holds the tracking code. Carries that ticket's events and, of other "
            "tickets, only the calls as the TV shows them (number, service, counter).",
            [{"name": "tracking_code", "in": "path", "required": True,
              "schema": {"type": "string"}}, *RESUME],
            {"401": "Unknown tracking code"}, []),
    }
