"""Open streams end when their token stops being valid: a logout, a password or account change,
a deactivated account, a revoked kiosk or TV token.

One watcher per process checks every *distinct* token of the open streams every
:data:`RECHECK_SECONDS` (a hall of TVs sharing one display token costs one check, not one per
screen) and ends the streams of a token that fails: each gets a last ``revoked`` event with the
error's code and message, and is closed. With the checks' own caching (a couple of seconds, see
``loket.staff_sessions`` and the queue's device cache) a revocation closes the stream within 5 s.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Iterator
from typing import Protocol

from loket.errors import LoketError

logger = logging.getLogger(__name__)

RECHECK_SECONDS = 1.5

Check = Callable[[str], Awaitable[object]]  # raises LoketError when the token is no good


class Revocable(Protocol):
    def revoke(self, error: LoketError) -> None:
        """End this stream with ``error`` as its last word."""


class Watch:
    def __init__(self, check: Check, interval: float = RECHECK_SECONDS) -> None:
        self.check = check
        self.interval = interval
        self.open: dict[str, set[Revocable]] = {}
        self.task: asyncio.Task[None] | None = None

    @contextlib.contextmanager
    def hold(self, token: str | None, stream: Revocable) -> Iterator[None]:
        if token is None:
            yield
            return
        self.open.setdefault(token, set()).add(stream)
        try:
            yield
        finally:
            streams = self.open.get(token)
            if streams is not None:
                streams.discard(stream)
                if not streams:
                    del self.open[token]

    async def sweep(self) -> None:
        for token in list(self.open):
            try:
                await self.check(token)
            except LoketError as exc:
                for stream in list(self.open.get(token, ())):
                    stream.revoke(exc)
            except Exception:  # a database or Redis blip: keep the streams, try again
                logger.warning("stream token check failed", exc_info=True)

    async def run(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            await self.sweep()

    def start(self) -> None:
        self.task = asyncio.get_running_loop().create_task(self.run())

    async def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.task
