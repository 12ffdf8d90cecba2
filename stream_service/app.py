"""The stream process: aiohttp serving the live SSE routes of the queue and workflow services.

Routes (same URLs as before, so nginx and the embedded front door route by prefix):
``/api/queue/events`` (TV with its display token, staff), ``/api/workflow/events`` (staff),
``/api/queue/tickets/<tracking_code>/events`` (a phone: its own ticket and the public calls).
With ``upstream`` set (``loket run``) every other path is proxied to the request/response
web process, so the hall keeps one origin.
"""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from aiohttp import web

from loket import events as ev
from loket import headers as security_headers
from loket.auth import Principal
from loket.db import Database
from loket.errors import LoketError, Unauthorized, ValidationFailed
from loket.settings import Settings
from loket.staff_sessions import RedisSessions
from stream_service import access
from stream_service.hub import Entry, Feed, Hub, frame
from stream_service.revocation import Watch
from stream_service.sources import Source

logger = logging.getLogger(__name__)

HUB: web.AppKey[Hub] = web.AppKey("hub", Hub)
SOURCE: web.AppKey[Source] = web.AppKey("source")
LIMITER: web.AppKey[access.Limiter] = web.AppKey("limiter", access.Limiter)
SETTINGS: web.AppKey[Settings] = web.AppKey("settings", Settings)
SESSIONS: web.AppKey[RedisSessions] = web.AppKey("sessions", RedisSessions)
WATCH: web.AppKey[Watch] = web.AppKey("watch", Watch)

WRITE_STALL_SECONDS = 30.0  # a client that takes no bytes for this long is dropped
# Frames are pushed straight to a parked client's socket while less than this waits in it;
# beyond it the client's task writes, polling the socket every DRAIN_POLL_SECONDS.
PUSH_BUFFER_LIMIT = 64 * 1024
DRAIN_POLL_SECONDS = 0.25
TCP_USER_TIMEOUT_MS = 30_000  # unacknowledged data this long: the kernel drops the peer
CALL_TYPES = frozenset({ev.TICKET_CALLED, ev.TICKET_RECALLED})
Accept = Callable[[Entry], bytes | None]  # the frame a client gets for an entry, or None


def error_response(exc: LoketError, headers: dict[str, str] | None = None) -> web.Response:
    body: dict[str, Any] = {"code": exc.code, "message": exc.message,
                            "request_id": uuid.uuid4().hex}
    if exc.field:
        body["field"] = exc.field
    return web.json_response({"error": body}, status=exc.status, headers=headers,
                             dumps=lambda v: json.dumps(v, ensure_ascii=False))


@web.middleware
async def errors_middleware(request: web.Request, handler: Any) -> web.StreamResponse:
    try:
        return await handler(request)  # type: ignore[no-any-return]
    except (access.TooManyStreams, access.StreamsFull) as exc:
        return error_response(exc, {"Retry-After": str(access.RETRY_AFTER_SECONDS)})
    except LoketError as exc:
        return error_response(exc)


def parse_after(request: web.Request, allow_latest: bool = False) -> int | None:
    """Last-Event-ID (a reconnect) or ?after=; None means "from now" (``latest``)."""
    header = request.headers.get("Last-Event-ID")
    raw = header or request.query.get("after") or "0"
    field = "Last-Event-ID" if header else "after"
    if allow_latest and raw == "latest":
        return None
    if not raw.isascii() or not raw.isdigit() or len(raw) > 15:
        raise ValidationFailed("Nomor event harus berupa angka.", field=field)
    return int(raw)


def _services(request: web.Request) -> list[str] | None:
    raw = request.query.get("services") or ""
    return [p.strip() for p in raw.split(",") if p.strip()][:20] or None


def _token(request: web.Request) -> str | None:
    return access.bearer(request.headers.get("Authorization", ""), request.query.get("token"))


async def _principal(request: web.Request) -> Principal | None:
    token = _token(request)
    return None if token is None else await _resolve(request.app, token)


async def _resolve(app: web.Application, token: str) -> Principal:
    """The device or staff member holding ``token``, as of now (Unauthorized otherwise): a
    staff token must also be of the account's current session (``loket.staff_sessions``)."""
    if token.startswith("dev_"):
        device = await app[HUB].run_blocking(app[SOURCE].device, token)
        if device is None:
            raise Unauthorized("Token perangkat tidak dikenal atau sudah dicabut.",
                               code="invalid_device_token")
        return device
    principal = access.staff_principal(app[SETTINGS].secret("secret_key"), token)
    if principal.is_staff:
        await app[HUB].run_blocking(app[SESSIONS].check, principal.id, principal.token_version)
    return principal


def service_filter(wanted: list[str] | None) -> Accept:
    """The TV's ?services=: calls of those services, counters serving one of them."""
    chosen = set(wanted or ())

    def accept(entry: Entry) -> bytes | None:
        if not chosen:
            return entry.frame
        ticket = entry.message.get("ticket")
        if isinstance(ticket, dict):
            return entry.frame if ticket.get("service") in chosen else None
        counter = entry.message.get("counter")
        if isinstance(counter, dict) and "services" in counter:
            return entry.frame if chosen.intersection(counter.get("services") or ()) else None
        return entry.frame

    # Every client with the same filter gets the same bytes: the feed joins them once per
    # wake-up for all of them (Feed.frames_for).
    accept.audience = ("services", tuple(sorted(chosen)))  # type: ignore[attr-defined]
    return accept


def ticket_filter(ticket_id: int) -> Accept:
    """A phone: everything about its own ticket; of others, only what the TV shows of a call."""

    def accept(entry: Entry) -> bytes | None:
        ticket = entry.message.get("ticket")
        if not isinstance(ticket, dict):
            return None
        if ticket.get("id") == ticket_id:
            return entry.frame
        if entry.type not in CALL_TYPES:
            return None
        if entry.public is None:
            public = {"id": entry.id, "type": entry.type, "at": entry.message.get("at"),
                      "ticket": {"number": ticket.get("number"),
                                 "service": ticket.get("service")},
                      "counter": entry.message.get("counter")}
            entry.public = frame(entry.id, entry.type, public)
        return entry.public

    return accept


async def queue_events(request: web.Request) -> web.StreamResponse:
    """The queue stream for the TV and the consoles; ?services= narrows it."""
    access.check_queue_listener(await _principal(request))
    wanted = _services(request)
    return await _serve(request, ev.STREAM_QUEUE, parse_after(request, allow_latest=True),
                        service_filter(wanted), wanted, _token(request))


async def workflow_events(request: web.Request) -> web.StreamResponse:
    """The workflow stream for the consoles, desks and dashboard (staff only)."""
    access.check_workflow_listener(await _principal(request))
    return await _serve(request, ev.STREAM_WORKFLOW, parse_after(request, allow_latest=True),
                        lambda entry: entry.frame, None, _token(request))


async def ticket_events(request: web.Request) -> web.StreamResponse:
    """A visitor's phone: its own ticket's events and the public calls, by tracking code."""
    code = request.match_info["tracking_code"]
    scope = await request.app[HUB].run_blocking(request.app[SOURCE].ticket, code)
    if scope is None:
        raise Unauthorized("Kode antrean tidak dikenal.", field="tracking_code",
                           code="unknown_tracking_code")
    return await _serve(request, ev.STREAM_QUEUE, parse_after(request, allow_latest=True),
                        ticket_filter(scope.ticket_id), [scope.service])


async def _serve(request: web.Request, stream: str, after: int | None, accept: Accept,
                 board_services: list[str] | None,
                 token: str | None = None) -> web.StreamResponse:
    settings = request.app[SETTINGS]
    address = access.client_address(request.remote, request.headers.get("X-Forwarded-For"),
                                    settings.trusted_proxies)
    with request.app[LIMITER].hold(address):
        response = web.StreamResponse(headers={
            "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-cache",
            "X-Accel-Buffering": "no"})
        if request.version >= (1, 1):
            response.enable_chunked_encoding()  # explicit: pushed frames carry their framing
        await response.prepare(request)
        _keep_alive_socket(request)
        hub = request.app[HUB]
        await hub.attach(stream)
        session = StreamSession(hub, response, stream, accept, board_services, settings,
                                request.transport)
        # A TV's or a console's stream ends when its token does (a phone's has none).
        try:
            with request.app[WATCH].hold(token, session):
                await session.run(after)
        except ConnectionError:
            pass  # the client went away; its slot is freed here
        except TimeoutError:  # it stopped reading: drop the connection, bytes queued and all
            if request.transport is not None:
                request.transport.abort()
        finally:
            hub.detach(stream)
        return response


def _keep_alive_socket(request: web.Request) -> None:
    transport = request.transport
    sock = transport.get_extra_info("socket") if transport is not None else None
    if sock is None or not hasattr(socket, "TCP_USER_TIMEOUT"):
        return
    try:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_USER_TIMEOUT, TCP_USER_TIMEOUT_MS)
    except OSError:
        logger.debug("TCP_USER_TIMEOUT not set", exc_info=True)


class StreamSession:
    """One client: a cursor into the hub's feed, heartbeats, bounded replay or a reset.

    Its task writes only what needs an await (the first bytes, a catch-up, a reset, a socket
    that is full); between those it is parked on the feed, and the feed's wake-ups write the
    new frames straight to its socket (:meth:`push`) without waking the task.
    """

    def __init__(self, hub: Hub, response: web.StreamResponse, stream: str, accept: Accept,
                 board_services: list[str] | None, settings: Settings,
                 transport: asyncio.Transport | None = None) -> None:
        self.hub = hub
        self.feed: Feed = hub.feeds[stream]
        self.response = response
        self.transport = transport
        self.accept = accept
        self.board_services = board_services
        self.keepalive = settings.sse_keepalive_seconds
        self.replay_max = settings.stream_replay_max
        self.source = hub.source
        self.revoked: LoketError | None = None
        self.cursor = 0
        self.last_write = 0.0
        self._woken: asyncio.Future[bool] | None = None  # set while parked

    def revoke(self, error: LoketError) -> None:
        """The token was revoked (``revocation.Watch``): wake the stream so it ends."""
        self.revoked = error
        self._wake()

    def _wake(self, keepalive: bool = False) -> None:
        woken = self._woken
        if woken is not None and not woken.done():
            woken.set_result(keepalive)

    def push(self) -> None:
        """A wake-up of the feed while parked: write the new frames straight to the socket,
        or wake the task when sending them needs an await."""
        if self.revoked is not None:
            return self._wake()
        found = self.feed.frames_for(self.cursor, self.accept, self.response.chunked)
        if found is None:  # fell out of the ring: the task catches up from the database
            return self._wake()
        data, cursor = found
        if data:
            transport = self.transport
            if (transport is None or transport.is_closing()
                    or transport.get_write_buffer_size() > PUSH_BUFFER_LIMIT):
                return self._wake()  # the task writes it, waiting for the socket to drain
            transport.write(data)  # shared bytes, already framed as a chunk if need be
            self.last_write = self.feed.last_wake
        self.cursor = cursor

    async def end_revoked(self, error: LoketError) -> None:
        data = json.dumps({"code": error.code, "message": error.message}, ensure_ascii=False)
        await self.write(f"event: revoked\ndata: {data}\n\n".encode())

    async def write(self, data: bytes) -> None:
        """Write from the task: waits while the socket is full, and gives up (TimeoutError)
        on a client that takes nothing for ``WRITE_STALL_SECONDS``."""
        loop = asyncio.get_running_loop()
        async with asyncio.timeout(WRITE_STALL_SECONDS):
            # Pushed bytes bypass aiohttp's own count, so wait for the socket here.
            while (self.transport is not None and not self.transport.is_closing()
                   and self.transport.get_write_buffer_size() > PUSH_BUFFER_LIMIT):
                await asyncio.sleep(DRAIN_POLL_SECONDS)
            await self.response.write(data)
        self.last_write = loop.time()

    async def run(self, after: int | None) -> None:
        loop = asyncio.get_running_loop()
        await self.write(b"retry: 2000\n\n")
        self.cursor = self.feed.head if after is None else await self.start_at(after)
        while True:
            if self.revoked is not None:
                return await self.end_revoked(self.revoked)
            found = self.feed.frames_for(self.cursor, self.accept)
            if found is None:  # fell out of the ring (a slow reader, or a burst)
                self.cursor = await self.catch_up(self.cursor)
                continue
            data, cursor = found
            if data:
                await self.write(data)
                self.cursor = cursor
                continue
            self.cursor = cursor
            if await self._park(loop) and loop.time() - self.last_write >= self.keepalive / 2:
                await self.write(b": keepalive\n\n")

    async def _park(self, loop: asyncio.AbstractEventLoop) -> bool:
        """Wait parked on the feed until the task is needed; True when only the heartbeat
        is due."""
        woken: asyncio.Future[bool] = loop.create_future()
        self._woken = woken
        beat = loop.call_later(self.keepalive, self._wake, True)
        self.feed.park(self)
        try:
            return await woken
        finally:
            beat.cancel()
            self.feed.unpark(self)
            self._woken = None

    async def start_at(self, after: int) -> int:
        """Where a (re)connecting client goes on: its own place, unless too far behind or
        ahead (ids from another or a reset database): then a reset."""
        if after > self.feed.head or self.feed.head - after > self.replay_max:
            return await self.reset()
        return after

    async def catch_up(self, cursor: int) -> int:
        """Replay from the database if not too far behind, else a reset with the board."""
        if self.feed.head - cursor > self.replay_max:
            return await self.reset()
        rows = await self.hub.run_blocking(self.hub.read, self.feed.stream, cursor)
        frames = [f for f in map(self.accept, rows) if f is not None]
        if frames:
            await self.write(b"".join(frames))
        if not rows:  # nothing in between after all: the ring holds the rest
            return max(cursor, self.feed.floor)
        return rows[-1].id

    async def reset(self) -> int:
        """``reset``: what the screen should show now; the stream goes on from there."""
        head = self.feed.head
        snapshot: dict[str, Any] = {"last_event_id": head}
        if self.feed.stream == ev.STREAM_QUEUE and self.source is not None:
            snapshot = await self.hub.run_blocking(self.source.board, self.board_services)
            head = int(snapshot.get("last_event_id") or head)
        data = json.dumps(snapshot, ensure_ascii=False, separators=(",", ":"), default=str)
        await self.write(f"id: {head}\nevent: reset\ndata: {data}\n\n".encode())
        return head


async def healthz(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok", "streams": request.app[LIMITER].count,
                              "redis": request.app[HUB].redis_up})


async def _security_headers(request: web.Request, response: web.StreamResponse) -> None:
    """Every response (streams, errors, proxied pages) carries Loket's security headers."""
    security_headers.apply(response.headers)  # type: ignore[arg-type]


def create_stream_app(settings: Settings, source: Source,
                      upstream: str | None = None) -> web.Application:
    """The stream app; ``upstream`` (``http://host:port``) proxies every other path there."""
    import redis.asyncio as aioredis

    from loket.redis_bus import make_redis

    app = web.Application(middlewares=[errors_middleware])
    app.on_response_prepare.append(_security_headers)
    db = Database.for_url(settings.effective_database_url)
    hub = Hub(db, lambda: aioredis.Redis.from_url(
        settings.effective_redis_url, socket_connect_timeout=0.5, health_check_interval=15),
        ThreadPoolExecutor(max_workers=4, thread_name_prefix="stream-db"))
    hub.source = source
    app[HUB] = hub
    app[SOURCE] = hub.source
    app[SETTINGS] = settings
    app[SESSIONS] = RedisSessions(make_redis(settings))
    app[WATCH] = Watch(lambda token: _resolve(app, token))
    app[LIMITER] = access.Limiter(settings.stream_max_per_address, settings.stream_max_total)
    app.router.add_get("/api/queue/events", queue_events)
    app.router.add_get("/api/workflow/events", workflow_events)
    app.router.add_get("/api/queue/tickets/{tracking_code}/events", ticket_events)
    app.router.add_get("/api/streams/healthz", healthz)

    async def lifecycle(app: web.Application) -> Any:
        await hub.start()
        app[WATCH].start()
        yield
        await app[WATCH].stop()
        await hub.stop()

    app.cleanup_ctx.append(lifecycle)
    if upstream:
        from stream_service.proxy import add_proxy

        add_proxy(app, upstream)
    return app
