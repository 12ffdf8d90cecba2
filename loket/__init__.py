"""Loket: the platform glue shared by every service (settings, database, events, CLI)."""

__version__ = "0.1.0"
