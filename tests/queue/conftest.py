"""Fixtures for the queue tests: a seeded hall, its app, and signed-in clients."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

VALID_NIK = "3510011708450001"  # Banyuwangi, born 17-08-1945


@dataclasses.dataclass
class Hall:
    app: Any
    demo: dict[str, Any]

    @property
    def client(self) -> Any:
        return self.app.test_client()

    def password(self, username: str) -> str:
        return next(s["password"] for s in self.demo["staff"] if s["username"] == username)

    def token(self, username: str) -> str:
        resp = self.client.post("/api/queue/auth/token",
                                json={"username": username, "password": self.password(username)})
        assert resp.status_code == 200, resp.json
        return str(resp.json["token"])

    def staff(self, username: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(username)}"}

    @property
    def kiosk(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.demo['devices']['kiosk']}"}

    @property
    def display(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.demo['devices']['display']}"}

    def counter_id(self, number: int) -> int:
        return int(next(c["id"] for c in self.demo["counters"] if c["number"] == number))

    def issue(self, service: str = "ektp", **body: Any) -> dict[str, Any]:
        resp = self.client.post("/api/queue/tickets", json={"service": service, **body},
                                headers=self.kiosk)
        assert resp.status_code == 201, resp.json
        return resp.json  # type: ignore[no-any-return]

    def open_counter(self, number: int, username: str | None = None) -> dict[str, str]:
        headers = self.staff(username or f"petugas{number}")
        resp = self.client.post(f"/api/queue/counters/{self.counter_id(number)}/open",
                                headers=headers)
        assert resp.status_code == 200, resp.json
        return headers


@pytest.fixture
def hall(settings, db) -> Hall:
    from queue_service.app import create_app
    from queue_service.seed import seed_demo

    demo = seed_demo(settings)
    return Hall(app=mounted(create_app(settings)), demo=demo)


def mounted(app: Any) -> Any:
    """Serve ``app`` under /api/queue exactly as the hall and nginx do."""
    from werkzeug.exceptions import NotFound
    from werkzeug.middleware.dispatcher import DispatcherMiddleware

    app.wsgi_app = DispatcherMiddleware(NotFound(), {"/api/queue": app.wsgi_app})
    return app


@pytest.fixture
def count_rows(db):
    """Rows per queue table, to prove that a refused request changed nothing."""
    from sqlalchemy import func, select

    from loket.db import Base

    def count() -> dict[str, int]:
        with db.session() as session:
            return {t.name: int(session.scalar(select(func.count()).select_from(t)) or 0)
                    for t in Base.metadata.sorted_tables
                    if t.name.startswith("queue_") or t.name == "event"}

    return count
