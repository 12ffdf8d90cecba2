"""Fixtures for the citizen's pages: the seeded hall on a free port (shared with the console
UI tests) and a 360 px phone in the system Chromium."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.console.conftest import SCREENSHOTS, Hall, hall  # noqa: F401 - the hall fixture

__all__ = ["SCREENSHOTS", "Hall"]


@pytest.fixture
def phone(browser: Any) -> Iterator[Callable[[str], Any]]:
    """Open ``url`` in a fresh 360 x 740 phone tab (Indonesian locale, touch)."""
    contexts: list[Any] = []

    def _open(url: str) -> Any:
        context = browser.new_context(viewport={"width": 360, "height": 740},
                                      device_scale_factor=2, is_mobile=True, has_touch=True,
                                      locale="id-ID", timezone_id="Asia/Jakarta")
        contexts.append(context)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.js_errors = errors
        page.goto(url)
        return page

    yield _open
    for context in contexts:
        context.close()
