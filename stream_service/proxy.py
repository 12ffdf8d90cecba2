"""The embedded hall's front door: every path that is not a stream goes to the web process.

Only ``loket run`` uses it (one origin on one port, no nginx on a kecamatan PC); compose puts
nginx in front instead and routes the stream prefixes itself. Bodies are streamed both ways.
"""

from __future__ import annotations

from typing import Any

import aiohttp
from aiohttp import web

# Hop-by-hop headers (RFC 9110 7.6.1) and those aiohttp sets itself.
_HOP = frozenset({"connection", "keep-alive", "proxy-authenticate", "proxy-authorization",
                  "te", "trailer", "transfer-encoding", "upgrade", "content-length", "host"})
CLIENT: web.AppKey[aiohttp.ClientSession] = web.AppKey("proxy_client", aiohttp.ClientSession)


def _forward_headers(request: web.Request) -> dict[str, str]:
    headers = {k: v for k, v in request.headers.items() if k.lower() not in _HOP}
    headers["Host"] = request.host
    peer = request.remote or ""
    prior = request.headers.get("X-Forwarded-For")
    headers["X-Forwarded-For"] = f"{prior}, {peer}" if prior else peer
    headers["X-Forwarded-Proto"] = request.scheme
    return headers


async def _proxy(request: web.Request) -> web.StreamResponse:
    client = request.app[CLIENT]
    body: Any = request.content if request.body_exists else None
    try:
        upstream = await client.request(
            request.method, request.rel_url, headers=_forward_headers(request), data=body,
            allow_redirects=False, auto_decompress=False)
    except aiohttp.ClientError:
        return web.json_response(
            {"error": {"code": "upstream_unavailable",
                       "message": "Layanan sedang dimulai ulang; coba lagi sebentar lagi."}},
            status=502)
    async with upstream:
        headers = [(k, v) for k, v in upstream.headers.items() if k.lower() not in _HOP]
        response = web.StreamResponse(status=upstream.status, reason=upstream.reason)
        for key, value in headers:
            response.headers.add(key, value)
        if upstream.content_length is not None:
            response.content_length = upstream.content_length
        await response.prepare(request)
        async for chunk in upstream.content.iter_any():
            await response.write(chunk)
        await response.write_eof()
        return response


def add_proxy(app: web.Application, upstream: str) -> None:
    async def client_ctx(app: web.Application) -> Any:
        connector = aiohttp.TCPConnector(limit=256, keepalive_timeout=30)
        app[CLIENT] = aiohttp.ClientSession(
            base_url=upstream, connector=connector, auto_decompress=False,
            timeout=aiohttp.ClientTimeout(total=None, connect=5, sock_read=300))
        yield
        await app[CLIENT].close()

    app.cleanup_ctx.append(client_ctx)
    app.router.add_route("*", "/{tail:.*}", _proxy)
