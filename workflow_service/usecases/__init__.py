"""Workflow use-cases, one module per job; each works inside the caller's unit of work."""
