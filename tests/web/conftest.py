"""Fixtures of the web tests: a small collection, a running server, a browser."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from .harness import Browser, Served, browser_missing, import_deck, write_deck

#: The fixture deck's titles, in the order a new session shows them.
TITLES = ("Alpha card", "Bravo card", "Charlie card", "Delta card")


@pytest.fixture
def collection(tmp_path: Path) -> Path:
    """A database holding the four fixture cards, all new."""
    db = tmp_path / "served.db"
    import_deck(db, write_deck(tmp_path / "deck", TITLES))
    return db


@pytest.fixture
def serve() -> Iterator[Callable[..., Served]]:
    """Start ``quizapp serve`` (``serve(db, *options)``); every server is stopped after."""
    started: list[Served] = []

    def start(db: Path, *options: str) -> Served:
        served = Served.start(db, *options)
        started.append(served)
        return served

    yield start
    for served in started:
        served.close()


@pytest.fixture
def chromium() -> Iterator[Browser]:
    """Headless Debian Chromium; the test is skipped, saying why, where it is missing."""
    reason = browser_missing()
    if reason is not None:
        if os.environ.get("CI"):  # .ci/run installs the browser: missing there is a fault
            pytest.fail(f"CI has no browser: {reason}")
        pytest.skip(reason)
    instance = Browser()
    yield instance
    instance.close()


@pytest.fixture
def proc() -> None:
    """Skip where processes cannot be counted from /proc (not Linux)."""
    if not Path("/proc/self/stat").exists():
        pytest.skip("counting app processes needs Linux's /proc")
