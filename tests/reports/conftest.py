"""The queue hall and workflow app fixtures, shared with the report tests."""

from tests.queue.conftest import hall  # noqa: F401 - a fixture
from tests.workflow.conftest import auth, client, wf_app  # noqa: F401 - fixtures
