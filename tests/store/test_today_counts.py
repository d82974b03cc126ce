"""The start-up counts read with plain sqlite3 equal a study session's ``progress()``.

SQLite only, by nature: the fast path reads the database file itself before SQLAlchemy is
loaded. On PostgreSQL there is no file to read, the peek gives None and the home screen
counts through the queue (tests/postgres/test_study_on_postgres.py)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from quizapp.scheduling.filters import StudyFilter
from quizapp.scheduling.queue import day_window
from quizapp.services.importer import import_paths
from quizapp.services.study import StudySession
from quizapp.store import tables
from quizapp.store.db import Database, open_database
from quizapp.store.due_today import DueToday
from quizapp.store.sqlite.today_counts import KIND_NEW, KIND_REVIEW, read_today_counts

pytestmark = pytest.mark.sqlite_only(
    "the start-up peek reads the SQLite file with the standard library's sqlite3"
)

#: 10:00 UTC on a Monday, well after the 04:00 rollover.
T0 = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
ZONE = timezone(timedelta(hours=-5))


class Clock:
    """A settable fixed clock."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def _collection(tmp_path: Path, cards: int = 12) -> tuple[Database, Path]:
    folder = tmp_path / "cards"
    folder.mkdir()
    for i in range(cards):
        (folder / f"c{i:02d}.md").write_text(
            f"# Card {i}\n\n## Question\nWhat is {i}?\n\n## Answer\n\n### Step\nIt is {i}.\n",
            encoding="utf-8",
        )
    path = tmp_path / "c.db"
    db = open_database(path, auto_backup=False)
    assert import_paths(db, [folder]).new == cards
    return db, path


def _answer(db: Database, clock: Clock, count: int, rating: int = 3) -> None:
    session = StudySession(db, clock=clock, zone=ZONE)
    for _ in range(count):
        if session.next_card() is None:
            return
        session.answer(rating, 1000)
        clock.now += timedelta(minutes=2)


def _assert_same(db: Database, path: Path, clock: Clock) -> DueToday:
    progress = StudySession(db, clock=clock, zone=ZONE).progress()
    fast = read_today_counts(path, clock.now, ZONE)
    assert fast == DueToday(new=progress.new, learning=progress.learning, review=progress.review)
    return fast


def test_counts_match_the_session_across_states(tmp_path: Path) -> None:
    db, path = _collection(tmp_path)
    clock = Clock(T0)
    db.settings.save_settings(
        replace(db.settings.load_settings(), new_cards_per_day=5, max_reviews_per_day=1),
        ["new_cards_per_day", "max_reviews_per_day"],
    )
    # 1. a fresh collection: new cards capped by the daily limit
    assert _assert_same(db, path, clock) == DueToday(new=5, learning=0, review=0)
    # 2. some answered: new cards left shrink, learning cards appear as they fall due
    _answer(db, clock, 3, rating=1)
    clock.now += timedelta(minutes=15)
    first = _assert_same(db, path, clock)
    assert first.new < 5 and first.learning > 0
    # 3. the new-card limit reached today
    _answer(db, clock, 20, rating=4)
    assert _assert_same(db, path, clock).new == 0
    # 4. suspended and buried cards drop out
    with sqlite3.connect(path) as connection:
        ids = [row[0] for row in connection.execute("SELECT id FROM cards ORDER BY id")]
    connection.close()
    assert db.answers.set_suspended(ids[:2], True) == 2
    db.answers.bury(ids[2:3], clock.now + timedelta(hours=1))
    db.answers.bury(ids[3:4], clock.now + timedelta(days=30))
    db.answers.bury(ids[4:5], clock.now - timedelta(hours=1))
    _assert_same(db, path, clock)
    clock.now += timedelta(minutes=61)  # the first burial has ended
    _assert_same(db, path, clock)
    # 5. across the rollover: new limit resets, reviews come due, capped at 1
    clock.now += timedelta(days=12)
    after = _assert_same(db, path, clock)
    uncapped = db.queue.due_counts(StudyFilter(), clock.now, day_window(clock.now, 4, ZONE))
    assert after.new == 5 and after.review == 1 < uncapped.review
    # 6. review limit reached by today's answers
    _answer(db, clock, 8)
    capped = _assert_same(db, path, clock)
    assert capped.review == 0
    # 7. a missing card (its file removed) is not counted
    (tmp_path / "cards" / "c11.md").unlink()
    import_paths(db, [tmp_path / "cards"])
    _assert_same(db, path, clock)
    # 8. just before and just after the next rollover (04:00 in ZONE)
    window_end = datetime(2026, 1, 18, 9, 0, tzinfo=UTC)
    clock.now = window_end - timedelta(microseconds=1)
    _assert_same(db, path, clock)
    clock.now = window_end
    _assert_same(db, path, clock)
    db.close()


def test_none_for_a_missing_file(tmp_path: Path) -> None:
    assert read_today_counts(tmp_path / "absent.db", T0, UTC) is None
    assert not (tmp_path / "absent.db").exists()


def test_none_for_another_revision(tmp_path: Path) -> None:
    db, path = _collection(tmp_path, cards=2)
    db.close()
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0001'")
    assert read_today_counts(path, T0, UTC) is None


def test_none_for_a_database_without_revision(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE t (x)")
    connection.close()
    assert read_today_counts(path, T0, UTC) is None


def test_none_for_a_file_that_is_not_sqlite(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("not a database\n" * 100, encoding="utf-8")
    assert read_today_counts(path, T0, UTC) is None


def test_none_for_a_naive_time(tmp_path: Path) -> None:
    db, path = _collection(tmp_path, cards=2)
    db.close()
    assert read_today_counts(path, T0.replace(tzinfo=None), UTC) is None


def test_constants_repeat_the_models() -> None:
    assert (KIND_NEW, KIND_REVIEW) == (tables.KIND_NEW, tables.KIND_REVIEW)


@pytest.mark.parametrize("module", ["quizapp.store.sqlite.today_counts", "quizapp.store.location"])
def test_import_loads_no_sqlalchemy(module: str) -> None:
    """Nor the store's records and the card model: the TUI peeks between its first frame
    and the counts, and those took some 20 ms (``store/due_today.py``)."""
    heavy = ("sqlalchemy", "numpy", "textual", "quizapp.store.records", "quizapp.cards.model")
    code = f"import sys, {module}; print(sorted(m for m in {heavy!r} if m in sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
