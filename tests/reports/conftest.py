"""The queue hall fixtures, shared with the report tests."""

from tests.queue.conftest import hall  # noqa: F401 - a fixture
