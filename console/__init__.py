"""Staff web pages (counter console, role desks, dashboard), served under ``/console``.

They are pages over the public APIs: the browser logs in with ``/api/queue/auth/token`` and
calls the queue and workflow APIs itself, so the pages hold no domain logic of their own.
"""

from console.app import create_app

__all__ = ["create_app"]
