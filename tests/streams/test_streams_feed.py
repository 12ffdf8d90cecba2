"""The hub's feed on its own: clients are woken at most once per window, and clients of one
audience share the bytes they are sent (what lets one stream process hold thousands of TVs;
docs/benchmarks.md, live streams)."""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
from collections.abc import Awaitable, Callable
from typing import Any

from stream_service.app import service_filter
from stream_service.hub import Entry, Feed

AT = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)


def _run(scenario: Callable[[], Awaitable[Any]]) -> Any:
    """``asyncio.run`` in a thread of its own: a browser test earlier in the session may have
    left an event loop running in this one (Playwright's sync API)."""
    out: list[Any] = []
    errors: list[BaseException] = []

    def target() -> None:
        try:
            out.append(asyncio.run(scenario()))  # type: ignore[arg-type]
        except BaseException as exc:  # re-raised in the test's thread
            errors.append(exc)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join(30)
    if errors:
        raise errors[0]
    return out[0]


def _entry(event_id: int, service: str = "ektp") -> Entry:
    return Entry.of_row(event_id, "ticket.issued",
                        {"ticket": {"number": f"A{event_id:03d}", "service": service}}, AT)


def test_events_within_the_window_wake_the_clients_once_at_its_end() -> None:
    async def scenario() -> list[int]:
        feed = Feed("queue", head=0, window=0.2)
        wakes: list[int] = []

        class Client:  # parked for good: the feed pushes to it on every wake-up
            def push(self) -> None:
                wakes.append(feed.head)

        feed.park(Client())
        feed.extend([_entry(1)])  # after a quiet spell: at once
        await asyncio.sleep(0.01)
        feed.extend([_entry(2)])  # within the window: held back ...
        feed.extend([_entry(3)])
        await asyncio.sleep(0.05)
        held = list(wakes)
        await asyncio.sleep(0.3)  # ... and sent together when it ends
        return held + [-1] + wakes

    result = _run(scenario)
    held, wakes = result[:result.index(-1)], result[result.index(-1) + 1:]
    assert held == [1]
    assert wakes == [1, 3]


def test_clients_of_one_audience_share_the_bytes_and_filters_still_apply() -> None:
    async def scenario() -> None:
        feed = Feed("queue", head=0, window=0.0)
        feed.extend([_entry(1, "ektp"), _entry(2, "kk"), _entry(3, "ektp")])
        everything, only_kk = service_filter(None), service_filter(["kk"])
        first = feed.frames_for(0, everything)
        second = feed.frames_for(0, service_filter([]))  # another TV, the same audience
        assert first is not None and second is not None
        assert first[0] is second[0] and first[1] == 3
        assert first[0].count(b"event: ticket.issued") == 3
        kk = feed.frames_for(0, only_kk)
        assert kk is not None and kk[0].count(b"event: ") == 1 and b"A002" in kk[0]
        assert kk[1] == 3  # the cursor moves past what the filter left out
        feed.extend([_entry(4, "kk")])  # the ring changed: nothing stale is served
        after = feed.frames_for(3, only_kk)
        assert after is not None and b"A004" in after[0]
        assert feed.frames_for(-5, everything) is None  # behind the ring: the caller catches up

    _run(scenario)


def test_a_call_goes_out_within_the_short_window_while_the_rest_wait_for_the_long_one(
        monkeypatch: Any) -> None:
    """With many screens, a ticket issued may wait for the longer window; a call may not."""
    from stream_service import hub

    monkeypatch.setattr(hub, "PUSH_WRITES_PER_SECOND", 2)  # one parked client: a 0.5 s window

    async def scenario() -> tuple[float, list[tuple[float, int]]]:
        feed = Feed("queue", head=0, window=0.05)
        loop = asyncio.get_running_loop()
        wakes: list[tuple[float, int]] = []

        class Client:
            def push(self) -> None:
                wakes.append((loop.time(), feed.head))

        feed.park(Client())
        assert feed.current_window() == 0.5
        feed.extend([_entry(1)])  # after a quiet spell: at once
        start = loop.time()
        feed.extend([_entry(2)])  # an issue: held for the long window ...
        await asyncio.sleep(0.15)
        called = Entry.of_row(3, "ticket.called", {"ticket": {"number": "A003"}}, AT)
        feed.extend([called])  # ... until a call comes: out within the short one, with it
        await asyncio.sleep(0.6)
        return start, wakes

    start, wakes = _run(scenario)
    assert [head for _, head in wakes] == [1, 3]
    assert wakes[1][0] - start < 0.3  # not the 0.5 s of the issue alone
