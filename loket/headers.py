"""Security headers on every response of every Loket web process (issue #17, "Transport and
headers").

One definition, three users: every Flask app (``loket.web.init_app`` and the hall's root app
install :func:`install` as an ``after_request`` hook) and the stream process (aiohttp; it calls
:func:`apply` from its ``on_response_prepare`` signal, so streamed SSE responses carry them too).

The policy: scripts only from the page's own origin (no inline script, no ``eval``, no inline
event handler); no plugin objects; nothing may frame a Loket page; the browser must not guess
content types; no referrer leaves the origin. Inline *styles* stay allowed (pages and the SVG
charts use ``style`` attributes; a style cannot run code). HSTS is nginx's job (it knows the
request came over HTTPS); the Flask apps behind it never see TLS.
"""

from __future__ import annotations

from collections.abc import MutableMapping

from flask import Flask, Response

CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob: data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))

SECURITY_HEADERS: dict[str, str] = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}


def apply(headers: MutableMapping[str, str]) -> None:
    """Add every security header that ``headers`` does not already carry.

    A header already set (a response proxied from a Flask app that set it) is kept as it is, so
    the embedded front door never doubles a header.
    """
    for name, value in SECURITY_HEADERS.items():
        if name not in headers:
            headers[name] = value


def install(app: Flask) -> None:
    """Install the headers on a Flask app: every response, errors and static files included."""

    @app.after_request
    def _security_headers(response: Response) -> Response:
        apply(response.headers)  # type: ignore[arg-type]
        return response
