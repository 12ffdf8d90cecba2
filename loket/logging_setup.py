"""One logging format for every process. Request ids are added by loket.web."""

from __future__ import annotations

import logging

from loket.settings import Settings


def configure_logging(settings: Settings) -> None:
    root = logging.getLogger()
    if getattr(root, "_loket_configured", False):
        return
    logging.basicConfig(
        level=settings.log_level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    logging.getLogger("alembic").setLevel(max(logging.WARNING, root.level))
    root._loket_configured = True  # type: ignore[attr-defined]
