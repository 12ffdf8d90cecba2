"""The workflow's HTTP layer: thin blueprints (parse → one use case → respond)."""

from __future__ import annotations

from flask import Flask


def register_reception(app: Flask) -> None:
    """Guest reception and complaints (issue #19)."""
    from workflow_service.web import complaints, guests, ready_notices, routing

    app.register_blueprint(guests.bp)
    app.register_blueprint(complaints.bp)
    app.register_blueprint(routing.bp)
    app.register_blueprint(ready_notices.bp)  # "berkas siap diambil" (issue #20)
