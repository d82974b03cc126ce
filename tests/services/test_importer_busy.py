"""An import that meets a held write lock fails once, with one line (issue 12).

Before, every batch and then every file of it was retried, each waiting out the busy
timeout: 10 s plus 20 s per file. Now the first write that gives up stops the import. The
tests hold ``BEGIN IMMEDIATE`` in a plain sqlite3 connection and shorten the busy timeout
to 50 ms; they count the write transactions tried instead of timing anything.

SQLite only (``sqlite_only``): the lock held is SQLite's file lock. PostgreSQL locks rows,
and two imports at once there are tested in test_importer_crash.py.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event
from test_importer import card_text, write

import quizapp.store.db
from quizapp.services.importer import import_paths
from quizapp.store.db import Database, open_database, run_sql
from quizapp.store.errors import DatabaseBusy

pytestmark = pytest.mark.sqlite_only("holds SQLite's file write lock")

BUSY = "the database is busy: another quizapp is writing; try again"


@pytest.fixture
def quick_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    """A database whose connections wait 50 ms for a lock instead of 10 s."""
    monkeypatch.setattr(quizapp.store.db, "BUSY_TIMEOUT_MS", 50)
    database = open_database(tmp_path / "busy.db", auto_backup=False)
    yield database
    database.close()


@pytest.fixture
def deck(tmp_path: Path) -> Path:
    folder = tmp_path / "deck"
    for index in range(5):
        write(folder, f"topic/c{index}.md", card_text(f"Card {index}"))
    return folder


def count_write_begins(database: Database) -> list[str]:
    """Every ``BEGIN IMMEDIATE`` the database's connections send, as it is sent."""
    sent: list[str] = []

    def before(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.strip().upper() == "BEGIN IMMEDIATE":
            sent.append(statement)

    event.listen(database.engine, "before_cursor_execute", before)
    return sent


def hold_write_lock(database: Database) -> sqlite3.Connection:
    """Another writer: a plain connection inside ``BEGIN IMMEDIATE`` until rolled back."""
    assert database.path is not None
    holder = sqlite3.connect(database.path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    return holder


def test_held_write_lock_fails_the_import_once_with_one_line(
    quick_db: Database, deck: Path
) -> None:
    begins = count_write_begins(quick_db)
    holder = hold_write_lock(quick_db)
    try:
        report = import_paths(quick_db, [deck])
    finally:
        holder.rollback()
        holder.close()
    assert [str(problem) for problem in report.errors] == [f"{quick_db.path}:0: {BUSY}"]
    assert (report.new, report.files, report.failed_files) == (0, 5, 5)
    assert len(begins) == 1  # one wait for the lock, not one per batch, retry and file
    assert run_sql(quick_db, "SELECT count(*) FROM cards") == [(0,)]
    # Once the lock is released the same import goes through.
    again = import_paths(quick_db, [deck])
    assert again.ok and again.new == 5


def test_held_write_lock_with_a_touched_and_an_edited_file(quick_db: Database, deck: Path) -> None:
    """The touched file's new mtime and the edited file both wait for the one lock."""
    assert import_paths(quick_db, [deck]).new == 5
    os.utime(deck / "topic" / "c0.md", ns=(1, 1))
    edited = deck / "topic" / "c3.md"
    edited.write_text(card_text("Card 3", answer="A new answer."), encoding="utf-8")
    before = run_sql(quick_db, "SELECT * FROM cards ORDER BY id")
    begins = count_write_begins(quick_db)
    holder = hold_write_lock(quick_db)
    try:
        report = import_paths(quick_db, [deck])
    finally:
        holder.rollback()
        holder.close()
    assert [str(problem) for problem in report.errors] == [f"{quick_db.path}:0: {BUSY}"]
    assert report.failed_files == 1 and len(begins) == 1
    assert run_sql(quick_db, "SELECT * FROM cards ORDER BY id") == before
    again = import_paths(quick_db, [deck])
    assert (again.new, again.updated, again.unchanged, again.errors) == (0, 1, 4, [])


def test_busy_is_a_store_error_that_names_the_database(tmp_path: Path) -> None:
    error = DatabaseBusy(str(tmp_path / "q.db"))
    assert str(error) == f"{tmp_path / 'q.db'}: {BUSY}"
    assert "\n" not in str(error)
