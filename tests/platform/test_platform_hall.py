"""The one-origin hall: every app mounted under its prefix, health and readiness."""

from __future__ import annotations

import pytest
from werkzeug.test import Client

pytestmark = pytest.mark.integration

PREFIXES = ("/api/queue", "/api/workflow", "/display", "/console")


@pytest.fixture
def hall(settings, db):
    from loket.wsgi import create_hall_app

    return Client(create_hall_app(settings))


@pytest.mark.parametrize("prefix", PREFIXES)
def test_every_service_is_alive(hall, prefix):
    response = hall.get(prefix + "/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


@pytest.mark.parametrize("prefix", ("/api/queue", "/api/workflow"))
def test_ready_when_database_and_redis_answer(hall, prefix):
    response = hall.get(prefix + "/readyz")
    assert response.status_code == 200, response.json
    assert response.json["checks"] == {"database": "ok", "redis": "ok"}


def test_readyz_names_redis_when_it_is_down(settings, db):
    from loket.wsgi import create_hall_app
    from tests.support import free_port

    broken = settings.model_copy(update={"redis_url": f"redis://127.0.0.1:{free_port()}/0"})
    client = Client(create_hall_app(broken))
    response = client.get("/api/queue/readyz")
    assert response.status_code == 503
    assert response.json["checks"]["database"] == "ok"
    assert response.json["checks"]["redis"] == "down"
    assert client.get("/api/queue/healthz").status_code == 200


def test_unknown_path_gets_the_json_error_shape_in_indonesian(hall):
    response = hall.get("/api/queue/tidak-ada")
    assert response.status_code == 404
    error = response.json["error"]
    assert error["code"] == "not_found"
    assert error["message"] == "Alamat tidak ditemukan."
    assert error["request_id"]
    assert response.headers["X-Request-ID"] == error["request_id"]


def test_display_page_is_served(hall):
    response = hall.get("/display/")
    assert response.status_code == 200
    assert "text/html" in response.headers["Content-Type"]
