"""Fixtures for the stream tests: the seeded queue hall and the real stream app beside it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.queue.conftest import Hall, hall  # noqa: F401 - the seeded hall fixture
from tests.streams.stream_server import StreamServer


@pytest.fixture
def start_streams(settings: Any) -> Iterator[Any]:
    """Start a stream server with settings overrides; every one started is stopped after."""
    started: list[StreamServer] = []

    def start(upstream: str | None = None, **overrides: Any) -> StreamServer:
        server = StreamServer(settings.model_copy(update=overrides), upstream).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def streams(hall: Hall, start_streams: Any) -> StreamServer:  # noqa: F811
    return start_streams()  # type: ignore[no-any-return]
