"""Use cases of the queue service: one module per job (see docs/architecture.md)."""
