"""The caller's address behind reverse proxies: one rule for every per-address limit.

``LOKET_TRUSTED_PROXIES`` says how many proxies stand in front of this process (nginx in
docker-compose: 1; under ``loket run`` the web process sits behind the stream process, which
adds one). Each proxy appends the address it saw to ``X-Forwarded-For``, so the client is the
Nth entry from the right; entries further left are the client's own claims and are ignored.
"""

from __future__ import annotations


def client_address(peer: str | None, forwarded_for: str | None, trusted_proxies: int) -> str:
    """The address the outermost trusted proxy saw, or the socket's peer without proxies."""
    hops = int(trusted_proxies)
    forwarded = [a.strip() for a in (forwarded_for or "").split(",") if a.strip()]
    if hops > 0 and len(forwarded) >= hops:
        return forwarded[-hops]
    return peer or "-"
