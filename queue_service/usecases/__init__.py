"""Use cases of the queue, one module per job; each takes a ``QueueContext`` (see ``context``).

Every use case is one unit of work: events are recorded in the same transaction and published
to Redis only after the commit (best effort). Results are plain dicts ready for JSON.
"""
