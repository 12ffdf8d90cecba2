"""The workflow service's app factory."""

from __future__ import annotations

from typing import Any

from flask import Flask

from loket.app_support import base_app, get_db, get_redis
from loket.settings import Settings
from workflow_service.usecases.context import WorkflowContext


def create_app(settings: Settings | None = None, config: dict[str, Any] | None = None) -> Flask:
    app = base_app(__name__, "workflow", settings, config)
    app.extensions["workflow"] = WorkflowContext(db=get_db(app), redis=get_redis(app),
                                                 settings=app.config["LOKET_SETTINGS"])
    from workflow_service.web import (
        admin,
        cases,
        docs,
        document_reissue,
        documents,
        register_reception,
        reports,
        sops,
        tracking,
    )

    app.register_blueprint(sops.bp)
    app.register_blueprint(cases.bp)
    app.register_blueprint(tracking.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(documents.bp)
    app.register_blueprint(document_reissue.bp)
    app.register_blueprint(docs.bp)
    register_reception(app)
    app.register_blueprint(reports.bp)
    return app
