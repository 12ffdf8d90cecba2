"""Personal data over time (issue #17): the retention task and command, and the data-key
rotation command. They run the queue's and the workflow's own retention use cases."""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

import click
from celery import shared_task

from loket.settings import Settings

logger = logging.getLogger(__name__)


def run_retention(settings: Settings, db: Any, redis: Any, dry_run: bool = False,
                  now: dt.datetime | None = None) -> dict[str, dict[str, int]]:
    """Clear personal data older than LOKET_RETENTION_DAYS in both services."""
    from queue_service.usecases import retention as queue_retention
    from queue_service.usecases.context import QueueContext
    from workflow_service.usecases import retention as workflow_retention
    from workflow_service.usecases.context import WorkflowContext

    days = settings.retention_days
    return {
        "queue": queue_retention.run(QueueContext(db=db, redis=redis, settings=settings), days,
                                     dry_run, now),
        "workflow": workflow_retention.run(WorkflowContext(db=db, redis=redis,
                                                           settings=settings), days,
                                           dry_run, now),
    }


@shared_task(name="loket.retention")
def retention_task() -> dict[str, dict[str, int]]:
    from loket.app_support import get_app_settings, get_db, get_redis

    cleared = run_retention(get_app_settings(), get_db(), get_redis())
    if any(n for counts in cleared.values() for n in counts.values()):
        logger.info("retention: personal data cleared %s", json.dumps(cleared, sort_keys=True))
    return cleared


@click.group("retention")
def retention_cmd() -> None:
    """Personal data past LOKET_RETENTION_DAYS (default 365)."""


@retention_cmd.command("run")
@click.option("--dry-run", is_flag=True, help="Only count what would be cleared.")
def retention_run_cmd(dry_run: bool) -> None:
    """Remove personal data of finished tickets, closed cases and departed guests older than
    LOKET_RETENTION_DAYS; counts, durations and reports stay."""
    from loket.cli import _check_reachable, _settings
    from loket.db import Database

    settings = _settings()
    _check_reachable(settings, redis=False)
    cleared = run_retention(settings, Database.for_url(settings.effective_database_url), None,
                            dry_run)
    verb = "would clear" if dry_run else "cleared"
    click.echo(f"retention ({settings.retention_days} days): {verb} "
               + json.dumps(cleared, sort_keys=True))


@click.command("rotate-data-key")
def rotate_data_key_cmd() -> None:
    """Re-encrypt every encrypted column and the NIK blind index under LOKET_DATA_KEY (the old
    keys in LOKET_DATA_KEYS_OLD). Idempotent: run it again after an interruption."""
    from loket.cli import _check_reachable, _settings
    from loket.crypto import data_cipher
    from loket.db import Database
    from loket.key_rotation import rotate

    settings = _settings()
    _check_reachable(settings, redis=False)
    report = rotate(Database.for_url(settings.effective_database_url), data_cipher(settings))
    click.echo(f"data key: {report.checked} encrypted values checked, {report.rotated} "
               f"re-encrypted, {report.indexed} NIK indexes recomputed, {report.unreadable} "
               f"unreadable; rows changed per table: {json.dumps(report.tables, sort_keys=True)}")
    if report.unreadable:
        click.echo("loket: some values open with no configured key: keep the old key in "
                   "LOKET_DATA_KEYS_OLD until they are accounted for", err=True)
        raise SystemExit(1)
