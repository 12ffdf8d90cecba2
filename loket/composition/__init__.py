"""The composition root: the one part of the shared core that knows the services.

Everything else in ``loket/`` (settings, database, events, auth, web helpers) serves every
service and imports none (``make lint`` checks it with import-linter). Here the hall is put
together: which app is mounted at which prefix (``hall``), which modules hold Celery tasks and
tables (``registry``), and the CLI commands that run a service's code (``commands``).
``loket.wsgi``, ``loket.make_celery`` and ``loket.cli`` are the entry points that use it.
"""
