"""The console's app factory."""

from __future__ import annotations

from typing import Any

from flask import Flask

from loket.app_support import base_app
from loket.settings import Settings


def create_app(settings: Settings | None = None, config: dict[str, Any] | None = None) -> Flask:
    app = base_app(__name__, "console", settings, config)
    from console import pages

    app.register_blueprint(pages.bp)
    return app
