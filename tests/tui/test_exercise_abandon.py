"""The exercise screen never holds the app hostage to a slow check (issue 12).

Checking is made slow deterministically: ``check_answer`` is replaced by a function that
blocks on a ``threading.Event`` the test controls. While it blocks, escape must leave the
screen, ``q`` must quit the app, and the quitting process must really exit instead of
waiting for the check (which used to leave a blank terminal with the process running).
"""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from quizapp.exercises import attempt as attempt_module
from quizapp.store.db import open_database
from quizapp.store.records import StoredCard
from quizapp.store.sqlite.card_repo import CardRepository
from quizapp.tui.abandonable import in_daemon_thread
from quizapp.tui.screens.exercise import ExerciseScreen

from .conftest import AppFactory, settle

#: Only a guard against a hang (a test that deadlocks fails instead of stalling the run).
GUARD = 60.0


class BlockingCheck:
    """Stands in for ``check_answer``: records its thread, then blocks until released."""

    def __init__(self) -> None:
        self.started = threading.Event()
        self.released = threading.Event()
        self.threads: list[threading.Thread] = []

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.threads.append(threading.current_thread())
        self.started.set()
        self.released.wait(GUARD)
        raise RuntimeError("released: the check was abandoned, this result must be dropped")


@pytest.fixture
def blocking(monkeypatch: pytest.MonkeyPatch) -> Iterator[BlockingCheck]:
    check = BlockingCheck()
    monkeypatch.setattr(attempt_module, "check_answer", check)
    yield check
    check.released.set()
    for thread in check.threads:
        thread.join(GUARD)


async def test_in_daemon_thread_returns_raises_and_can_be_abandoned() -> None:
    threads: list[threading.Thread] = []

    def answer() -> int:
        threads.append(threading.current_thread())
        return 42

    assert await in_daemon_thread(answer, name="t-answer") == 42
    assert threads[0].daemon and threads[0] is not threading.current_thread()

    def broken() -> int:
        raise ValueError("bad spec")

    with pytest.raises(ValueError, match="bad spec"):
        await in_daemon_thread(broken, name="t-broken")

    errors: list[dict[str, Any]] = []
    asyncio.get_running_loop().set_exception_handler(lambda loop, context: errors.append(context))
    release = threading.Event()
    task = asyncio.ensure_future(in_daemon_thread(lambda: release.wait(GUARD), name="t-slow"))
    await asyncio.sleep(0)  # let the task start its thread (no time passes: one loop turn)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task  # returns at once although the thread is still blocked
    (slow,) = [t for t in threading.enumerate() if t.name == "t-slow"]
    assert slow.daemon and slow.is_alive()
    release.set()
    slow.join(GUARD)
    await asyncio.sleep(0)  # one loop turn: its late result arrives, and is dropped
    await asyncio.sleep(0)
    assert errors == []


def _attempts(db_path: Path) -> int:
    with sqlite3.connect(db_path) as connection:
        (count,) = connection.execute("SELECT COUNT(*) FROM exercise_attempts").fetchone()
    return int(count)


def _card(db_path: Path) -> StoredCard:
    db = open_database(db_path, auto_backup=False)
    stored = CardRepository(db).get("two-layer-gradients")
    db.close()
    assert stored is not None
    return stored


async def _submit_blocked_answer(pilot: Pilot[Any], check: BlockingCheck) -> ExerciseScreen:
    """Type an answer and press enter; return once the check is running (and blocked)."""
    screen = pilot.app.screen
    assert isinstance(screen, ExerciseScreen)
    screen.query_one("#answer", Input).value = "yhat - y"
    await pilot.press("enter")
    for _ in range(200):
        if check.started.is_set():
            break
        await pilot.pause()
    assert check.started.is_set(), "the check never started"
    await pilot.pause()
    assert screen.checking
    assert screen.query_one("#answer", Input).disabled
    return screen


async def test_escape_leaves_while_a_check_runs(
    db_path: Path, make_app: AppFactory, blocking: BlockingCheck
) -> None:
    app = make_app(db_path)
    results: list[int | None] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await app.push_screen(ExerciseScreen(_card(db_path), seed=3), results.append)
        await settle(pilot)
        await _submit_blocked_answer(pilot, blocking)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ExerciseScreen)
        assert results == [None]
        assert not blocking.released.is_set()  # the check is still blocked: it was abandoned
        blocking.released.set()
        blocking.threads[0].join(GUARD)
        await settle(pilot)
        assert app.is_running  # the abandoned check's failure reached nobody
    assert app.return_code in (None, 0)
    assert _attempts(db_path) == 0


async def test_q_quits_while_a_check_runs_without_waiting_for_it(
    db_path: Path, make_app: AppFactory, blocking: BlockingCheck
) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await app.push_screen(ExerciseScreen(_card(db_path), seed=3))
        await settle(pilot)
        await _submit_blocked_answer(pilot, blocking)
        await pilot.press("q")
        await pilot.pause()
    assert not app.is_running
    assert app.return_code in (None, 0)
    assert not blocking.released.is_set()  # quit while the check was still running
    # Nothing the interpreter waits for at exit is left running: the check's thread is a
    # daemon (an executor thread, as Textual's thread workers use, would hold the exit).
    (thread,) = blocking.threads
    assert thread.daemon and thread.is_alive()


async def test_q_is_typed_into_the_answer_box_when_not_checking(
    db_path: Path, make_app: AppFactory
) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await app.push_screen(ExerciseScreen(_card(db_path), seed=3))
        await settle(pilot)
        answer = app.screen.query_one("#answer", Input)
        assert answer.has_focus
        await pilot.press("q")
        await pilot.pause()
        assert answer.value == "q"
        assert app.is_running and isinstance(app.screen, ExerciseScreen)


async def test_a_check_that_finishes_gives_back_the_answer_box(
    db_path: Path, make_app: AppFactory
) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await app.push_screen(ExerciseScreen(_card(db_path), seed=3))
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ExerciseScreen)
        answer = screen.query_one("#answer", Input)
        answer.value = "yhat - y"
        await pilot.press("enter")
        await settle(pilot)
        assert not screen.checking
        assert not answer.disabled and answer.has_focus
        assert "sigmoid's derivative" in str(screen.query_one("#verdict").render())


_QUIT_SCRIPT = """
import sys, threading
from datetime import UTC, datetime
from pathlib import Path

from textual.widgets import Input

from quizapp.exercises import attempt
from quizapp.store.sqlite.card_repo import CardRepository
from quizapp.store.db import open_database
from quizapp.tui.app import QuizApp
from quizapp.tui.screens.exercise import ExerciseScreen

db_path, config = Path(sys.argv[1]), Path(sys.argv[2])
started = threading.Event()

def never_returns(*args, **kwargs):
    started.set()
    threading.Event().wait()  # the check never finishes

attempt.check_answer = never_returns
db = open_database(db_path, auto_backup=False)
stored = CardRepository(db).get("two-layer-gradients")
db.close()

async def drive(pilot):
    while pilot.app.db is None:
        await pilot.pause()
    await pilot.app.push_screen(ExerciseScreen(stored, seed=3))
    while not pilot.app.screen.query_one("#answer", Input).has_focus:
        await pilot.pause()
    pilot.app.screen.query_one("#answer", Input).value = "yhat - y"
    await pilot.press("enter")
    while not started.is_set():
        await pilot.pause()
    await pilot.press("q")

app = QuizApp(db_path, clock=lambda: datetime(2026, 3, 2, 9, tzinfo=UTC), zone=UTC,
              config_dir=config, seed=7, first_run_import=False)
app.run(headless=True, size=(100, 30), auto_pilot=drive)
print("exited", app.return_code)
"""


def test_the_process_exits_on_q_while_a_check_never_ends(db_path: Path, tmp_path: Path) -> None:
    """End to end: the app runs as a program, quits with a check blocked forever, and the
    process ends (before the fix it waited for the check's thread, here: forever)."""
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", _QUIT_SCRIPT, str(db_path), str(tmp_path / "config")],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=GUARD,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] in ("exited None", "exited 0")
