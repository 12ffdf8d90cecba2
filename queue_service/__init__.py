"""The queue service: services, counters, tickets, calling rules, live events, device tokens."""

from __future__ import annotations

from flask import Flask

from loket.app_support import base_app
from loket.settings import Settings


def create_app(settings: Settings | None = None) -> Flask:
    """Build the queue Flask app. Routes are relative; the hall mounts the app at ``/api/queue``."""
    from queue_service import services
    from queue_service.usecases import admin_people
    from queue_service.web import admin, counters, docs, public, staff, tickets

    app = base_app(__name__, "queue", settings)
    context = services.QueueContext(db=app.extensions["loket.db"],
                                    redis=app.extensions["loket.redis"],
                                    settings=app.config["LOKET_SETTINGS"])
    app.extensions["queue"] = context
    app.extensions["loket.device_resolver"] = \
        lambda token: admin_people.resolve_device(context, token)
    app.extensions["loket.staff_active"] = \
        lambda staff_id: admin_people.staff_is_active(context, staff_id)
    for module in (public, tickets, counters, staff, admin, docs):
        app.register_blueprint(module.bp)
    return app
