"""The parts every service's ``create_app`` starts from."""

from __future__ import annotations

from typing import Any

from flask import Flask

from loket import web
from loket.db import Database
from loket.redis_bus import make_redis
from loket.settings import Settings, get_settings
from loket.staff_sessions import RedisSessions


def base_app(import_name: str, service: str, settings: Settings | None = None,
             config: dict[str, Any] | None = None) -> Flask:
    settings = settings or get_settings()
    app = Flask(import_name)
    app.config["LOKET_SETTINGS"] = settings
    app.config["SECRET_KEY"] = settings.secret("secret_key")
    app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    app.config["SESSION_COOKIE_NAME"] = "loket_session"
    app.config["SESSION_COOKIE_PATH"] = "/"
    if config:
        app.config.update(config)
    db = Database.for_url(settings.effective_database_url)
    app.extensions["loket.db"] = db
    redis_client = make_redis(settings)
    app.extensions["loket.redis"] = redis_client
    # Staff tokens end within seconds of a logout or an account change (the queue, which owns
    # the accounts, replaces this with a check against its own table).
    sessions = RedisSessions(redis_client)
    app.extensions["loket.staff_session"] = (
        lambda who: sessions.check(who.id, who.token_version))
    web.init_app(app, service)
    app.register_blueprint(
        web.health_blueprint(web.standard_checks(db, lambda: _ping(redis_client)))
    )
    return app


def _ping(client: Any) -> None:
    client.ping()


def get_db(app: Flask | None = None) -> Database:
    from flask import current_app

    return (app or current_app).extensions["loket.db"]  # type: ignore[no-any-return]


def get_redis(app: Flask | None = None) -> Any:
    from flask import current_app

    return (app or current_app).extensions["loket.redis"]


def get_app_settings(app: Flask | None = None) -> Settings:
    from flask import current_app

    return (app or current_app).config["LOKET_SETTINGS"]  # type: ignore[no-any-return]
