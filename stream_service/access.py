"""Who may listen, and how many streams one address and the whole process may hold."""

from __future__ import annotations

import collections
import contextlib
from collections.abc import Iterator

from loket import addresses
from loket.auth import Principal, verify_token
from loket.errors import Forbidden, LoketError, Unauthorized

# Staff roles that may follow the workflow stream (as the workflow's own endpoints allow).
WORKFLOW_ROLES = frozenset({"petugas", "operator", "kasi", "sekcam", "camat", "admin"})
QUEUE_DEVICES = frozenset({"display"})
RETRY_AFTER_SECONDS = 30


class TooManyStreams(LoketError):
    status = 429
    code = "too_many_streams"


class StreamsFull(LoketError):
    status = 503
    code = "streams_full"


def bearer(authorization: str, query_token: str | None) -> str | None:
    """The token of a request: ``Authorization: Bearer`` (consoles) or ``?token=`` (the TV's
    EventSource cannot set headers)."""
    if authorization.lower().startswith("bearer "):
        return authorization[7:].strip() or None
    return (query_token or "").strip() or None


def staff_principal(secret: str, token: str) -> Principal:
    return verify_token(secret, token)  # raises Unauthorized


def check_queue_listener(principal: Principal | None) -> Principal:
    """The queue stream: the TV (display token) and every member of staff."""
    if principal is None:
        raise Unauthorized("Perlu token layar (TV) atau token petugas untuk siaran langsung.")
    if principal.kind == "device" and not principal.roles.intersection(QUEUE_DEVICES):
        raise Forbidden("Perangkat ini tidak boleh mengikuti siaran antrean.")
    return principal


def check_workflow_listener(principal: Principal | None) -> Principal:
    """The workflow stream: staff only (consoles, desks and the dashboard)."""
    if principal is None:
        raise Unauthorized("Perlu masuk (login) untuk siaran alur kerja.")
    if principal.kind != "staff" or not principal.roles.intersection(WORKFLOW_ROLES):
        raise Forbidden("Peran Anda tidak berwenang mengikuti siaran alur kerja.")
    return principal


class Limiter:
    """Open streams per client address and in total (single-threaded: the event loop)."""

    def __init__(self, per_address: int, total: int) -> None:
        self.per_address = per_address
        self.total = total
        self.open: collections.Counter[str] = collections.Counter()
        self.count = 0

    @contextlib.contextmanager
    def hold(self, address: str) -> Iterator[None]:
        if self.count >= self.total:
            raise StreamsFull("Server siaran sedang penuh; coba lagi sebentar lagi.")
        if self.open[address] >= self.per_address:
            raise TooManyStreams("Terlalu banyak siaran terbuka dari alamat ini; "
                                 "tutup yang tidak dipakai lalu coba lagi.")
        self.open[address] += 1
        self.count += 1
        try:
            yield
        finally:
            self.count -= 1
            self.open[address] -= 1
            if self.open[address] <= 0:
                del self.open[address]


def client_address(peer: str | None, forwarded_for: str | None, trusted_proxies: int) -> str:
    """The caller's address (``loket.addresses``: the rule every per-address limit uses)."""
    return addresses.client_address(peer, forwarded_for, trusted_proxies)
