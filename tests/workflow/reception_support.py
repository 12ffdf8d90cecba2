"""Real local receivers for the reception and complaint tests: an HTTP endpoint that records what
it is sent (the notification webhook, the WhatsApp/SMS gateway) and an SMTP server (aiosmtpd)."""

from __future__ import annotations

import http.server
import json
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes
from email.message import Message
from typing import Any


class Receiver(http.server.BaseHTTPRequestHandler):
    status = 200
    received: list[dict[str, Any]] = []
    headers_seen: list[dict[str, str]] = []

    def do_POST(self) -> None:  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append(json.loads(body))
        type(self).headers_seen.append(dict(self.headers))
        self.send_response(type(self).status)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def http_receiver(env_var: str) -> Iterator[type[Receiver]]:
    """A local HTTP server whose URL is put in ``env_var`` for the duration."""
    from loket import settings as settings_module

    handler = type("LocalReceiver", (Receiver,), {"received": [], "headers_seen": [],
                                                 "status": 200})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    os.environ[env_var] = f"http://127.0.0.1:{server.server_port}/hook"
    settings_module.get_settings.cache_clear()
    try:
        yield handler
    finally:
        del os.environ[env_var]
        settings_module.get_settings.cache_clear()
        server.shutdown()
        server.server_close()


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        message = message_from_bytes(envelope.content)
        message["X-RcptTo"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 OK"


@contextmanager
def smtp_server() -> Iterator[Mailbox]:
    """A real SMTP server on a free port; LOKET_SMTP_URL points at it for the duration."""
    from aiosmtpd.controller import Controller

    from loket import settings as settings_module
    from tests.support import free_port

    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    os.environ["LOKET_SMTP_URL"] = f"smtp://127.0.0.1:{port}"
    settings_module.get_settings.cache_clear()
    try:
        yield mailbox
    finally:
        del os.environ["LOKET_SMTP_URL"]
        settings_module.get_settings.cache_clear()
        controller.stop()
