"""Celery wired the Flask way: every task runs inside an application context.

The worker and beat use one "hall" Flask app that carries the shared extensions (database,
Redis, settings); task modules of every service register themselves with ``@shared_task``.
"""

from __future__ import annotations

import functools
from typing import Any

from celery import Celery, Task
from flask import Flask, has_app_context

from loket.composition.registry import TASK_MODULES, beat_schedule
from loket.settings import Settings

__all__ = ["TASK_MODULES", "beat_schedule", "celery_init_app", "create_worker_app", "producer"]


def celery_init_app(app: Flask) -> Celery:
    class FlaskTask(Task):  # type: ignore[misc]
        def __call__(self, *args: Any, **kwargs: Any) -> Any:
            if has_app_context():  # called directly inside an app (tests, eager calls)
                return self.run(*args, **kwargs)
            with app.app_context():
                return self.run(*args, **kwargs)

    settings: Settings = app.config["LOKET_SETTINGS"]
    celery_app = Celery(app.name, task_cls=FlaskTask)
    celery_app.config_from_object({
        "broker_url": settings.effective_redis_url,
        "task_ignore_result": True,
        "result_backend": None,
        # Late acknowledgement: a worker killed mid-task leaves the message to be redelivered;
        # every task is idempotent, so running it again is safe.
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "worker_prefetch_multiplier": 1,
        "broker_transport_options": {"visibility_timeout": 3600},
        "broker_connection_retry_on_startup": True,
        "timezone": "UTC",
        "enable_utc": True,
        "task_default_queue": "loket",
        "beat_schedule": beat_schedule(),
        "worker_hijack_root_logger": False,
    })
    celery_app.set_default()
    app.extensions["celery"] = celery_app
    return celery_app


@functools.cache
def producer() -> Celery:
    """A Celery app that only sends tasks (for web processes, which run no tasks)."""
    from loket.settings import get_settings

    app = Celery("loket.producer")
    app.config_from_object({
        "broker_url": get_settings().effective_redis_url,
        "task_default_queue": "loket",
        "broker_connection_timeout": 1.0,
        "broker_transport_options": {"visibility_timeout": 3600, "socket_connect_timeout": 1},
    })
    return app


def create_worker_app(settings: Settings | None = None) -> Flask:
    """The Flask app the worker and beat run their tasks in."""
    import importlib

    from loket.app_support import base_app

    app = base_app("loket.worker", "worker", settings)
    celery_init_app(app)
    for module in TASK_MODULES:
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
    return app
