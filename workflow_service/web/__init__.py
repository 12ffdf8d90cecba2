"""The workflow service's blueprints."""

from __future__ import annotations

from flask import Flask


def register_reception(app: Flask) -> None:
    """Guest reception and complaints (issue #19)."""
    from workflow_service.web import guests

    app.register_blueprint(guests.bp)
