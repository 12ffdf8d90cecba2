"""The workflow's doors to the outside world (the queue's read API, ...)."""
