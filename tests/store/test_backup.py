"""Backups: made with SQLite's backup API, at most daily, pruned to 7 daily + 4 weekly,
and restorable after the current state is saved.

SQLite only (``sqlite_only``): these are SQLite's file backups. PostgreSQL's portable
backup and restore are tested in tests/postgres/test_portable_backup.py."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from quizapp.store.db import Database, open_database, run_sql
from quizapp.store.errors import StoreError
from quizapp.store.records import BackupInfo, SourceFileInfo
from quizapp.store.sqlite.backup import (
    backup_dir,
    backup_if_due,
    backup_now,
    list_backups,
    prune,
    stage_restore,
)
from quizapp.store.sqlite.import_repo import ImportWriter
from store.cards_factory import NOW, make_card

pytestmark = pytest.mark.sqlite_only(
    "SQLite's file backups (backup API, PRAGMAs, file restore); PostgreSQL's portable"
    " backup is tests/postgres/test_portable_backup.py"
)


def _fill(db: Database, *uids: str) -> None:
    writer = ImportWriter.load(db)
    for uid in uids:
        writer.write_file(SourceFileInfo(f"/c/{uid}.md", 1, 1, "0" * 64), [make_card(uid)], NOW)


def _uids(path: Path) -> list[str]:
    with sqlite3.connect(path) as raw:
        rows = raw.execute("SELECT uid FROM cards ORDER BY uid").fetchall()
    raw.close()
    return [row[0] for row in rows]


def restore(
    database: Database | Path, backup: Path, *, now: datetime | None = None
) -> BackupInfo | None:
    """What ``quizapp restore`` does: replace the database's contents with ``backup``, after
    backing up the current state.

    Every check comes before anything is replaced (``stage_restore``); only then is the
    current state saved and the staged copy put in place. Returns the backup of the state
    that was replaced (None if there was no database file yet). Works on a bare path too,
    so a database that no longer opens can still be restored.
    """
    with stage_restore(database, backup) as staged:
        if not isinstance(database, Path):
            database.engine.dispose()
        try:
            return staged.install(now=now)
        finally:
            if not isinstance(database, Path):
                database.engine.dispose()


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
    assert saved is not None and _uids(saved.path) == ["a", "b"]
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


def _damage(path: Path) -> None:
    """Make ``path`` fail ``integrity_check`` while it still opens and answers queries:
    an index whose definition no longer matches its entries."""
    with sqlite3.connect(path) as raw:
        raw.execute("PRAGMA writable_schema = ON")
        raw.execute(
            "UPDATE sqlite_master SET sql = replace(sql, '(difficulty)', '(title)')"
            " WHERE name = 'ix_cards_difficulty'"
        )
    raw.close()
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone() != ("ok",)
    raw.close()


def test_backup_of_a_damaged_database_is_refused_and_the_good_ones_stay(db: Database) -> None:
    _fill(db, "a")
    good = [backup_now(db, now=NOW + timedelta(days=day)) for day in range(3)]
    assert db.path is not None
    db.close()
    _damage(db.path)
    later = NOW + timedelta(days=40)  # every good backup is old enough to be pruned
    with pytest.raises(StoreError, match="fails SQLite's integrity check") as info:
        backup_now(db, now=later)
    assert good[-1].path.name in str(info.value) and "quizapp doctor" in str(info.value)
    with pytest.raises(StoreError, match="integrity check"):
        backup_if_due(db, now=later)
    assert [b.path for b in list_backups(db)] == [g.path for g in reversed(good)]
    assert sorted(p.name for p in backup_dir(db.path).iterdir()) == sorted(
        g.path.name for g in good
    )  # no partial or corrupt copy left behind


def test_prune_always_keeps_the_newest_backup(db: Database) -> None:
    _fill(db, "a")
    newest = backup_now(db, now=NOW)
    assert prune(db, now=NOW - timedelta(days=400)) == []  # a clock gone backwards
    assert prune(db, now=NOW + timedelta(days=400)) == []
    assert list_backups(db)[0].path == newest.path


def test_backups_are_single_files(db: Database) -> None:
    """A backup has a rollback journal: reading or checking it leaves nothing beside it."""
    _fill(db, "a")
    info = backup_now(db, now=NOW)
    assert sorted(p.name for p in info.path.parent.iterdir()) == [info.path.name]
    with sqlite3.connect(info.path) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    raw.close()


def _snapshot(path: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as raw:
        rows = raw.execute("SELECT uid, title FROM cards ORDER BY uid").fetchall()
        rows += raw.execute("SELECT version_num FROM alembic_version").fetchall()
    raw.close()
    return rows


def test_restore_refuses_a_backup_from_a_newer_quizapp(db: Database, tmp_path: Path) -> None:
    _fill(db, "a")
    future = backup_now(db, now=NOW).path
    with sqlite3.connect(future) as raw:
        raw.execute("UPDATE alembic_version SET version_num = '9999'")
    raw.close()
    _fill(db, "b")
    assert db.path is not None
    before = _snapshot(db.path)
    with pytest.raises(StoreError, match="schema revision 9999 is unknown") as info:
        restore(db, future, now=NOW + timedelta(hours=1))
    assert "\n" not in str(info.value)
    assert _snapshot(db.path) == before
    assert len(list_backups(db)) == 1  # the current state was not even saved


def test_restore_refuses_a_hollow_backup(db: Database, tmp_path: Path) -> None:
    """Only ``alembic_version``, at the current revision: every table is missing."""
    from quizapp.store.db import HEAD_REVISION

    hollow = tmp_path / "hollow.db"
    with sqlite3.connect(hollow) as raw:
        raw.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)")
        raw.execute("INSERT INTO alembic_version VALUES (?)", (HEAD_REVISION,))
    raw.close()
    _fill(db, "a")
    assert db.path is not None
    before = _snapshot(db.path)
    with pytest.raises(StoreError, match=r"hollow\.db: not a complete quizapp database") as info:
        restore(db, hollow)
    assert "cards" in str(info.value)
    assert _snapshot(db.path) == before
    assert list_backups(db) == []
    assert sorted(p.name for p in db.path.parent.iterdir() if "restoring" in p.name) == []


def test_restore_refuses_a_table_without_its_columns(db: Database, tmp_path: Path) -> None:
    _fill(db, "a")
    partial = backup_now(db, now=NOW).path
    with sqlite3.connect(partial) as raw:
        raw.execute("ALTER TABLE cards DROP COLUMN question")
    raw.close()
    with pytest.raises(StoreError, match=r"missing: cards\.question"):
        restore(db, partial)


def test_restore_refuses_a_damaged_backup(db: Database) -> None:
    _fill(db, "a")
    damaged = backup_now(db, now=NOW).path
    _damage(damaged)
    _fill(db, "b")
    assert db.path is not None
    before = _snapshot(db.path)
    with pytest.raises(StoreError, match="fails SQLite's integrity check"):
        restore(db, damaged)
    assert _snapshot(db.path) == before


def test_restore_upgrades_an_older_backup_before_replacing(db: Database) -> None:
    import shutil

    from quizapp.store.db import HEAD_REVISION

    old = db.path.with_name("old.db") if db.path else None
    assert old is not None and db.path is not None
    shutil.copy(Path(__file__).with_name("fixtures") / "schema_0001.db", old)
    uids = _uids(old)
    restore(db, old, now=NOW)
    assert _uids(db.path) == uids
    assert run_sql(db, "SELECT version_num FROM alembic_version") == [(HEAD_REVISION,)]


def test_a_damaged_database_can_be_restored(db: Database) -> None:
    """Restoring works on the bare file: the damaged state is kept aside, not in the rotation."""
    _fill(db, "a")
    good = backup_now(db, now=NOW)
    _fill(db, "b")
    assert db.path is not None
    path = db.path
    db.close()
    _damage(path)
    saved = restore(path, good.path, now=NOW + timedelta(hours=1))
    assert saved is not None and saved.path.name.endswith(".corrupt")
    assert _uids(saved.path) == ["a", "b"]
    assert [b.path for b in list_backups(path)] == [good.path]
    assert _uids(path) == ["a"]
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    raw.close()


def test_a_file_that_is_no_database_any_more_can_be_restored(db: Database) -> None:
    _fill(db, "a")
    good = backup_now(db, now=NOW)
    assert db.path is not None
    path = db.path
    db.close()
    path.write_bytes(b"overwritten by accident " * 200)
    saved = restore(path, good.path, now=NOW + timedelta(hours=1))
    assert saved is not None and saved.path.read_bytes().startswith(b"overwritten")
    assert _uids(path) == ["a"]
