"""The client address of a Flask request, for per-address limits (logins).

The same rule as the complaint form's (``workflow_service/web/complaints.py``) and the same
setting, ``LOKET_TRUSTED_PROXIES``: behind N trusted proxies, the Nth address from the right of
X-Forwarded-For (what the outermost trusted proxy saw); entries to its left are the client's own
claims and are ignored. Without trusted proxies the socket's peer address.
"""

from __future__ import annotations

from flask import request


def client_address(trusted_proxies: int) -> str:
    forwarded = [a.strip() for a in request.headers.get("X-Forwarded-For", "").split(",")
                 if a.strip()]
    if trusted_proxies and len(forwarded) >= trusted_proxies:
        return forwarded[-trusted_proxies][:64]
    return (request.remote_addr or "-")[:64]
