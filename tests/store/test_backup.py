"""Backups: made with SQLite's backup API, at most daily, pruned to 7 daily + 4 weekly,
and restorable after the current state is saved."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from quizapp.store.backup import (
    backup_dir,
    backup_if_due,
    backup_now,
    list_backups,
    prune,
    restore,
)
from quizapp.store.db import Database, open_database, run_sql
from quizapp.store.errors import StoreError
from quizapp.store.import_repo import ImportWriter, SourceFileInfo
from store.cards_factory import NOW, make_card


def _fill(db: Database, *uids: str) -> None:
    writer = ImportWriter.load(db)
    for uid in uids:
        writer.write_file(SourceFileInfo(f"/c/{uid}.md", 1, 1, "0" * 64), [make_card(uid)], NOW)


def _uids(path: Path) -> list[str]:
    with sqlite3.connect(path) as raw:
        rows = raw.execute("SELECT uid FROM cards ORDER BY uid").fetchall()
    raw.close()
    return [row[0] for row in rows]


def test_backup_is_a_consistent_copy(db: Database) -> None:
    _fill(db, "a", "b")
    info = backup_now(db, now=NOW)
    assert db.path is not None and info.path.parent == backup_dir(db.path)
    assert _uids(info.path) == ["a", "b"]
    with sqlite3.connect(info.path) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    raw.close()
    assert list_backups(db)[0].created_at == NOW


def test_automatic_backup_at_most_once_a_day(db: Database) -> None:
    _fill(db, "a")
    assert backup_if_due(db, now=NOW) is not None
    assert backup_if_due(db, now=NOW + timedelta(hours=23)) is None
    assert backup_if_due(db, now=NOW + timedelta(hours=23), force=True) is not None
    assert backup_if_due(db, now=NOW + timedelta(hours=47)) is not None
    assert len(list_backups(db)) == 3


def test_open_makes_a_daily_backup(tmp_path: Path) -> None:
    path = tmp_path / "q.db"
    first = open_database(path)
    _fill(first, "a")
    first.close()
    for _ in range(2):
        open_database(path).close()
    backups = list(backup_dir(path).glob("*.db"))
    assert len(backups) == 1  # none for the brand-new database, then one a day
    assert _uids(backups[0]) == ["a"]


def test_prune_keeps_seven_daily_and_four_weekly(db: Database) -> None:
    _fill(db, "a")
    for day in range(60):
        for hour in (8, 20):
            backup_now(db, now=NOW + timedelta(days=day, hours=hour), keep_all=True)
    last = NOW + timedelta(days=59, hours=20)
    everything = [info.created_at for info in list_backups(db)]  # newest first
    expected: set[object] = set()
    days: list[object] = []
    weeks: list[object] = []
    for moment in everything:
        if moment.date() not in days and len(days) < 7:
            days.append(moment.date())
            expected.add(moment)
        if moment.isocalendar()[:2] not in weeks and len(weeks) < 4:
            weeks.append(moment.isocalendar()[:2])
            expected.add(moment)
    prune(db, now=last + timedelta(days=2))
    kept = [info.created_at for info in list_backups(db)]
    assert set(kept) == expected
    assert kept[0] == last and len(kept) <= 11
    assert min(kept) <= last - timedelta(days=14)  # weekly ones reach past the daily ones


def test_restore_brings_back_old_state_after_saving_current(db: Database) -> None:
    _fill(db, "a")
    old = backup_now(db, now=NOW)
    _fill(db, "b")
    saved = restore(db, old.path, now=NOW + timedelta(hours=1))
    assert run_sql(db, "SELECT uid FROM cards ORDER BY uid") == [("a",)]
    assert _uids(saved.path) == ["a", "b"]
    assert old.path.exists() and saved.path.exists()


def test_restore_refuses_bad_files(db: Database, tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"junk" * 1000)
    with pytest.raises(StoreError, match="not a SQLite database"):
        restore(db, junk)
    foreign = tmp_path / "foreign.db"
    with sqlite3.connect(foreign) as raw:
        raw.execute("CREATE TABLE t (x)")
    raw.close()
    with pytest.raises(StoreError, match="not a quizapp database"):
        restore(db, foreign)
    with pytest.raises(StoreError, match="no such backup file"):
        restore(db, tmp_path / "absent.db")
    assert list_backups(db) == []  # nothing was saved for a refused restore
