"""Helpers shared by every test tier."""

from __future__ import annotations

import os
import shutil
import socket
import time
from collections.abc import Callable

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"


def require(condition: bool, what: str) -> None:
    """A test needs ``what``: in CI its absence fails the test, elsewhere it skips with a reason."""
    if condition:
        return
    message = f"{what} is required for this test but is not available"
    if IN_CI:
        pytest.fail(message + " (CI never skips)", pytrace=False)
    pytest.skip(message)


def require_binary(name: str) -> str:
    path = shutil.which(name)
    require(path is not None, f"the program '{name}'")
    assert path is not None
    return path


def chromium_path() -> str:
    for candidate in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(candidate)
        if path:
            return path
    require(False, "Chromium (apt package 'chromium')")
    raise AssertionError("unreachable")


CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until(predicate: Callable[[], object], timeout: float = 10.0, interval: float = 0.05,
               message: str = "condition") -> object:
    deadline = time.monotonic() + timeout
    last: object = None
    while time.monotonic() < deadline:
        last = predicate()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {message} (last={last!r})")


def wait_for_port(port: int, host: str = "127.0.0.1", timeout: float = 15.0) -> None:
    def _open() -> bool:
        with socket.socket() as sock:
            sock.settimeout(0.2)
            return sock.connect_ex((host, port)) == 0

    wait_until(_open, timeout, message=f"{host}:{port} to accept connections")
