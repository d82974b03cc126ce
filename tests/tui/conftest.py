"""Fixtures for the TUI tests: a database of our own fixture cards, a fixed clock, an app.

Every app runs on a copy of one template database (importing once per session keeps the
suite fast), a fixed clock and time zone, a fixed seed and its own config folder, so
Pilot runs and snapshots are repeatable.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import pytest
from textual.message import Message
from textual.notifications import Notify
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import DirectoryTree
from textual.worker import WorkerCancelled

from quizapp.services.importer import import_paths
from quizapp.store.db import open_database
from quizapp.tui.app import QuizApp

FIXTURES = Path(__file__).parent / "fixtures"
CARDS = FIXTURES / "cards"
HOSTILE = FIXTURES / "hostile"

#: Monday 2 March 2026, 09:00 UTC: every test's "now".
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def fixed_clock() -> datetime:
    """The tests' clock: always ``NOW``."""
    return NOW


def _template(folder: Path, sources: list[Path]) -> Path:
    path = folder / "template.db"
    db = open_database(path, auto_backup=False)
    report = import_paths(db, sources)
    assert report.ok, report.errors
    db.close()
    return path


def _copy(template: Path, target: Path) -> Path:
    for suffix in ("", "-wal", "-shm"):
        source = Path(str(template) + suffix)
        if source.exists():
            shutil.copy(source, str(target) + suffix)
    return target


@pytest.fixture(scope="session")
def card_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database holding the fixture cards (not the hostile one)."""
    return _template(tmp_path_factory.mktemp("cards"), [CARDS])


@pytest.fixture(scope="session")
def hostile_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database holding only the hostile card."""
    return _template(tmp_path_factory.mktemp("hostile"), [HOSTILE])


@pytest.fixture
def db_path(card_template: Path, tmp_path: Path) -> Path:
    """A fresh copy of the fixture-card database for one test."""
    return _copy(card_template, tmp_path / "quizapp.db")


@pytest.fixture
def hostile_db_path(hostile_template: Path, tmp_path: Path) -> Path:
    """A fresh copy of the hostile-card database for one test."""
    return _copy(hostile_template, tmp_path / "hostile.db")


AppFactory = Callable[..., QuizApp]


@dataclass
class MessageLog:
    """Every Message the app dispatches, in order: pass it as ``run_test(message_hook=log)``
    to assert on what widgets and workers said, notifications included, without reaching
    into the app's private state. A bubbling message reaches the hook once per node it
    visits; it is logged once."""

    messages: list[Message] = field(default_factory=list)
    _seen: set[int] = field(default_factory=set)

    def __call__(self, message: Message) -> None:
        if id(message) not in self._seen:
            self._seen.add(id(message))
            self.messages.append(message)

    def of(self, kind: type[MessageT]) -> list[MessageT]:
        """The messages of one class, oldest first."""
        return [m for m in self.messages if isinstance(m, kind)]

    @property
    def notifications(self) -> list[str]:
        """The text of every toast the app was asked to show."""
        return [str(m.notification.message) for m in self.of(Notify)]


MessageT = TypeVar("MessageT", bound=Message)


@pytest.fixture
def make_app(tmp_path: Path) -> AppFactory:
    """Build a ``QuizApp`` with the fixed clock, UTC, seed 7 and a private config folder."""

    def build(db: Path, **kwargs: Any) -> QuizApp:
        options: dict[str, Any] = {
            "clock": fixed_clock,
            "zone": UTC,
            "config_dir": tmp_path / "config",
            "seed": 7,
            "first_run_import": False,
        }
        options.update(kwargs)
        return QuizApp(db, **options)

    return build


async def settle(pilot: Pilot[Any], rounds: int = 8) -> None:
    """Let thread workers finish and their messages be handled (no sleeping).

    A finished worker's message may start another worker, so this repeats until two rounds
    in a row find nothing left to wait for: work scheduled after the next refresh (the app
    opens its database from ``call_after_refresh``) has no worker yet in the first round.
    """
    quiet = 0
    for _ in range(rounds):
        pending = [
            worker
            for worker in pilot.app.workers
            if not worker.is_finished and not isinstance(worker.node, DirectoryTree)
        ]  # a DirectoryTree's loader waits for directories forever
        for worker in pending:
            with contextlib.suppress(WorkerCancelled):
                await worker.wait()
        await pilot.pause()
        quiet = 0 if pending else quiet + 1
        if quiet == 2:
            break


async def settle_until(
    pilot: Pilot[Any], condition: Callable[[], bool], what: str, rounds: int = 400
) -> None:
    """Settle until ``condition`` holds: for what starts outside any worker the test can see
    (a screen pushed once the app has opened its session). Fails, naming ``what``, if it
    never holds; counts event-loop rounds, never time."""
    for _ in range(rounds):
        await settle(pilot)
        if condition():
            return
        await pilot.pause()
    raise AssertionError(f"never happened: {what}")


ScreenT = TypeVar("ScreenT", bound=Screen[Any])


async def press_to(pilot: Pilot[Any], key: str, kind: type[ScreenT]) -> ScreenT:
    """Press ``key``, let the workers settle, and return the screen it opened (of ``kind``)."""
    await pilot.press(key)
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, kind), f"{key!r} opened {type(screen).__name__}"
    return screen
