"""The queue service's app factory."""

from __future__ import annotations

from flask import Flask

from loket.app_support import base_app
from loket.settings import Settings


def create_app(settings: Settings | None = None) -> Flask:
    """Build the queue Flask app. Routes are relative; the hall mounts the app at ``/api/queue``."""
    from queue_service.usecases import accounts, sessions
    from queue_service.usecases.context import QueueContext
    from queue_service.web import (
        access_log,
        admin,
        counters,
        docs,
        public,
        reports,
        staff,
        standard,
        survey,
        tickets,
    )

    app = base_app("queue_service", "queue", settings)
    context = QueueContext(db=app.extensions["loket.db"], redis=app.extensions["loket.redis"],
                           settings=app.config["LOKET_SETTINGS"])
    app.extensions["queue"] = context
    app.extensions["loket.device_resolver"] = lambda token: accounts.resolve_device(context, token)
    app.extensions["loket.staff_session"] = lambda who: sessions.check_session(context, who)
    for module in (public, tickets, counters, staff, admin, survey, standard, docs,
                   reports, access_log):
        app.register_blueprint(module.bp)
    return app
