"""The workflow service's app factory."""

from __future__ import annotations

from typing import Any

from flask import Flask

from loket.app_support import base_app
from loket.settings import Settings


def create_app(settings: Settings | None = None, config: dict[str, Any] | None = None) -> Flask:
    app = base_app(__name__, "workflow", settings, config)
    from workflow_service.api import admin, cases, docs, documents, sops
    from workflow_service.web import register_reception

    app.register_blueprint(sops.bp)
    app.register_blueprint(cases.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(documents.bp)
    app.register_blueprint(docs.bp)
    register_reception(app)
    return app
