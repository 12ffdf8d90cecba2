"""An Idempotency-Key answers a retry of the same request, on the same service day, only.

- **Bound to the request**: the first response is stored with a keyed hash of the request as
  the service understood it (service, visitor, priority, details). The same key with another
  request is refused: 422 ``idempotency_mismatch`` (a kiosk that reuses keys would otherwise
  hand a visitor someone else's ticket). The hash is an HMAC with a key derived from the data
  key, so a stored hash tells nothing about the NIK or name inside the request.
- **One service day**: a key stored on an earlier local day of the office is expired: the
  request issues a fresh ticket (the old row is replaced in the same transaction), and
  :func:`purge_expired` (run with the end-of-day job) deletes what earlier days left.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import hmac
import json
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete

from queue_service.domain.errors import InvalidInput
from queue_service.domain.numbering import service_day
from queue_service.models import IdempotencyRecord
from queue_service.usecases import queries
from queue_service.usecases.context import QueueContext, unit_of_work
from queue_service.validation import IssueInput

MISMATCH_MESSAGE = ("Idempotency-Key ini sudah dipakai untuk permintaan lain; gunakan kunci baru "
                    "untuk setiap tiket.")


@functools.cache
def _hash_key(data_key: str) -> bytes:
    return hmac.new(data_key.encode(), b"loket-idempotency-body", hashlib.sha256).digest()


def request_hash(ctx: QueueContext, data: IssueInput) -> str:
    """The keyed hash of an issuing request (canonical JSON of what was parsed)."""
    canonical = json.dumps(dataclasses.asdict(data), sort_keys=True, ensure_ascii=False,
                           separators=(",", ":"), default=str)
    key = _hash_key(ctx.settings.secret("data_key"))
    return hmac.new(key, canonical.encode(), hashlib.sha256).hexdigest()


def mismatch() -> InvalidInput:
    return InvalidInput(MISMATCH_MESSAGE, field="Idempotency-Key", code="idempotency_mismatch")


def replay(stored: dict[str, Any], stored_hash: str | None, body_hash: str) -> dict[str, Any]:
    """The first response for a retry of the same request; another request is refused."""
    if stored_hash is not None and not hmac.compare_digest(stored_hash, body_hash):
        raise mismatch()
    return dict(stored)


def is_expired(created_at: dt.datetime, today: dt.date, timezone: str) -> bool:
    """A key stored on an earlier service day (the office's local date) no longer answers."""
    return service_day(created_at, timezone) < today


def start_of_day(day: dt.date, timezone: str) -> dt.datetime:
    """Local midnight of ``day`` in UTC: keys stored before it belong to earlier days."""
    local = dt.datetime.combine(day, dt.time(0), tzinfo=ZoneInfo(timezone))
    return local.astimezone(dt.UTC)


def purge_expired(ctx: QueueContext, now: dt.datetime) -> int:
    """Delete the keys of earlier service days; how many went. Safe to run any time."""
    with unit_of_work(ctx) as uow:
        office = queries.get_office(uow.session, ctx.settings)
        cutoff = start_of_day(service_day(now, office.timezone), office.timezone)
        result = uow.session.execute(
            delete(IdempotencyRecord).where(IdempotencyRecord.created_at < cutoff))
        return int(getattr(result, "rowcount", 0) or 0)
