"""Staff web pages (counter console, role desks, dashboard), served under ``/console``.

They are pages over the public APIs: the browser logs in with ``/api/queue/auth/token`` and
calls the queue and workflow APIs itself, so the pages hold no domain logic of their own.
``console.app.create_app`` builds the app.
"""
