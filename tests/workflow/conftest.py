"""Fixtures for the workflow service: the app, staff tokens of every role."""

from __future__ import annotations

import pytest

from loket.auth import Principal, issue_token
from tests.conftest import TEST_SECRET

ROLES = ("petugas", "operator", "kasi", "sekcam", "camat", "admin")


@pytest.fixture
def wf_app(settings, db):
    from workflow_service.app import create_app

    app = create_app(settings)
    app.config["TESTING"] = True
    return app


@pytest.fixture
def client(wf_app):
    return wf_app.test_client()


def token_for(role: str, username: str | None = None, staff_id: int = 1) -> str:
    principal = Principal(kind="staff", id=staff_id, username=username or f"{role}1",
                          roles=frozenset({role}))
    return issue_token(TEST_SECRET, principal)


@pytest.fixture
def auth():
    def headers(role: str, username: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {token_for(role, username)}"}

    return headers
