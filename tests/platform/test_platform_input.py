"""#17 Input, the shared parts: statement parameters never in errors or logs, /readyz and the
public pages show no exception text, the shared text check."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import text
from werkzeug.test import Client

from tests.support import free_port

pytestmark = pytest.mark.integration

SECRET_TEXT = "Pengaduan rahasia 3510011708450001"


def test_statement_parameters_are_hidden_in_database_errors(db, caplog) -> None:
    from sqlalchemy.exc import DBAPIError

    from loket.db import Database

    database = Database.for_url(db.url)
    assert database.engine.hide_parameters
    with pytest.raises(DBAPIError) as caught, database.engine.begin() as conn:
        # A real error from the real driver, with personal data as a bound parameter.
        conn.execute(text("INSERT INTO wf_case (id, tracking_code) VALUES (:id, :code)"),
                     {"id": 1, "code": SECRET_TEXT})
    message = str(caught.value)
    assert SECRET_TEXT not in message and "3510011708450001" not in message
    assert "parameters hidden" in message.lower()
    logging.getLogger("loket.web").error("boom", exc_info=caught.value)
    assert SECRET_TEXT not in caplog.text


def _broken_hall(settings):
    from loket.wsgi import create_hall_app

    port = free_port()  # nothing listens here
    broken = settings.model_copy(update={
        "database_url": f"postgresql+psycopg://loket:geheim-pw@127.0.0.1:{port}/loket"})
    return Client(create_hall_app(broken)), port


@pytest.mark.parametrize("prefix", ("/api/queue", "/api/workflow"))
def test_readyz_with_the_database_down_shows_no_exception_text(settings, db, caplog, prefix):
    client, port = _broken_hall(settings)
    with caplog.at_level(logging.WARNING, logger="loket.web"):
        response = client.get(prefix + "/readyz")
    assert response.status_code == 503
    assert response.json == {"status": "unavailable",
                             "checks": {"database": "down", "redis": "ok"}}
    body = response.get_data(as_text=True)
    for leak in ("psycopg", "Error", "connection", "127.0.0.1", str(port), "geheim-pw", "loket:"):
        assert leak not in body
    # The reason is for the operator: in the server log.
    assert "readyz: database is down" in caplog.text and "OperationalError" in caplog.text


@pytest.mark.parametrize("path,accept", (
    ("/api/workflow/t/ABCDEFGH", "text/html"), ("/api/queue/tickets/ABCDEFGH", "text/html"),
    ("/api/queue/tickets/ABCDEFGH", "application/json"), ("/api/workflow/pengaduan", "text/html"),
    ("/api/workflow/track/ABCDEFGH", "application/json"), ("/api/queue/board", "*/*")))
def test_public_pages_with_the_database_down_show_no_exception_text(settings, db, path, accept):
    client, port = _broken_hall(settings)
    response = client.get(path, headers={"Accept": accept})
    body = response.get_data(as_text=True)
    for leak in ("psycopg", "OperationalError", "Traceback", "127.0.0.1", str(port),
                 "geheim-pw", "connection"):
        assert leak not in body
    if response.mimetype == "application/json":  # the API: the one generic 500
        assert response.status_code == 500
        assert response.json["error"]["message"] == (
            "Terjadi kesalahan pada server. Petugas sudah diberi tahu.")
    else:  # the phone page: one of the project's own sentences
        assert response.status_code in (200, 500, 503)


@pytest.mark.unit
def test_check_text_names_the_field_and_refuses_nul_and_length() -> None:
    from loket.errors import ValidationFailed
    from loket.text_input import check_text, find_forbidden

    assert check_text("Baris satu\nbaris dua", "note", max_length=30) == "Baris satu\nbaris dua"
    assert check_text(None, "note", max_length=5) is None
    for value, code in (("a\x00", "invalid_text"), ("abcdef", "too_long"), (5, "invalid_text")):
        with pytest.raises(ValidationFailed) as caught:
            check_text(value, "note", max_length=5, label="Catatan")
        assert caught.value.field == "note" and caught.value.code == code
        assert "'Catatan'" in caught.value.message
    with pytest.raises(ValidationFailed):
        check_text("a\nb", "name", max_length=5, multiline=False)
    with pytest.raises(ValidationFailed) as required:
        check_text("  ", "name", max_length=5, required=True)
    assert required.value.code == "required"
    assert find_forbidden({"a": [{"b": "ok"}, {"c": "x\x00"}]}) == "a.1.c"
    assert find_forbidden({"k\x00": 1}) == "body"
    assert find_forbidden({"a": {"k\x00": 1}}) == "a"
    assert find_forbidden(["ok", 1, None, {"x": "fine"}]) is None
