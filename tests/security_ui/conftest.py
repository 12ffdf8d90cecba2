"""Fixtures for the security UI tests: the seeded hall of the console UI tests (the stream
process in front, the web process behind, as ``loket run`` serves it) and a Chromium."""

from __future__ import annotations

from tests.console.conftest import SCREENSHOTS, Hall, hall  # noqa: F401 - the hall fixture

__all__ = ["SCREENSHOTS", "Hall"]
