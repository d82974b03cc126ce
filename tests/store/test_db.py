"""Opening databases: location, pragmas, and one-line errors for bad targets."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from quizapp.store.db import (
    DB_ENV_VAR,
    HEAD_REVISION,
    MAX_PROBLEMS,
    WAL_AUTOCHECKPOINT_PAGES,
    default_database_path,
    open_database,
    readonly_uri,
    resolve_target,
    run_sql,
)
from quizapp.store.errors import StoreError

#: PostgreSQL's side: tests/postgres/test_open_postgres.py.
pytestmark = pytest.mark.sqlite_only("opening SQLite files: locations, PRAGMAs, file errors")


def test_new_database_has_wal_and_foreign_keys(tmp_path: Path) -> None:
    db = open_database(tmp_path / "sub" / "q.db", auto_backup=False)
    try:
        assert run_sql(db, "PRAGMA journal_mode") == [("wal",)]
        assert run_sql(db, "PRAGMA foreign_keys") == [(1,)]
        assert run_sql(db, "PRAGMA busy_timeout")[0][0] >= 1000
        assert run_sql(db, "PRAGMA synchronous") == [(1,)]  # NORMAL
        assert run_sql(db, "PRAGMA wal_autocheckpoint") == [(WAL_AUTOCHECKPOINT_PAGES,)]
        assert run_sql(db, "SELECT version_num FROM alembic_version") == [(HEAD_REVISION,)]
    finally:
        db.close()


def test_env_var_and_url_and_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DB_ENV_VAR, str(tmp_path / "env.db"))
    assert resolve_target(None) == f"sqlite:///{tmp_path / 'env.db'}"
    assert resolve_target("sqlite:///x.db") == "sqlite:///x.db"
    monkeypatch.delenv(DB_ENV_VAR)
    assert resolve_target(None).endswith("quizapp.db")
    assert default_database_path().name == "quizapp.db"
    db = open_database(f"sqlite:///{tmp_path / 'url.db'}", auto_backup=False)
    db.close()
    assert (tmp_path / "url.db").exists()


def test_in_memory_url_works() -> None:
    db = open_database("sqlite://", auto_backup=False)
    try:
        assert run_sql(db, "SELECT count(*) FROM cards") == [(0,)]
    finally:
        db.close()


def test_folder_that_cannot_be_created(tmp_path: Path) -> None:
    blocker = tmp_path / "somefile"
    blocker.write_text("not a folder")
    with pytest.raises(StoreError, match=r"cannot create the database folder .*somefile"):
        open_database(blocker / "x.db")


def test_file_that_is_not_sqlite(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.db"
    bogus.write_bytes(b"this is plain text, not a database\n" * 200)
    with pytest.raises(StoreError, match=r"notes\.db: not a SQLite database") as info:
        open_database(bogus)
    assert "\n" not in str(info.value)


def test_foreign_sqlite_database_is_refused(tmp_path: Path) -> None:
    import sqlite3

    other = tmp_path / "other.db"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE t (x)")
    with pytest.raises(StoreError, match="not a quizapp database"):
        open_database(other)


def test_database_path_is_a_folder(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="is a folder"):
        open_database(tmp_path)


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    db = open_database(tmp_path / "q.db", auto_backup=False)
    run_sql(db, "UPDATE alembic_version SET version_num = '9999'")
    db.close()
    with pytest.raises(StoreError, match="9999 is newer"):
        open_database(tmp_path / "q.db", auto_backup=False)


def test_url_of_another_database_kind_is_refused() -> None:
    with pytest.raises(StoreError, match="SQLite and PostgreSQL databases only"):
        open_database("mysql://localhost/quiz")


@pytest.mark.parametrize("name", ["a?mode=ro.db", "c%41.db", "x#y.db", "p%3Fq.db"])
def test_path_with_url_characters_opens_exactly_that_file(tmp_path: Path, name: str) -> None:
    """``?``, ``#`` and ``%xx`` belong to the file name, not to a URL around it."""
    target = tmp_path / name
    db = open_database(target, auto_backup=False)
    try:
        assert db.path == target
        run_sql(db, "INSERT INTO decks (name) VALUES ('here')")
    finally:
        db.close()
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(("-wal", "-shm"))) == [
        name
    ]
    with sqlite3.connect(target) as raw:
        assert raw.execute("SELECT name FROM decks").fetchall() == [("here",)]
    raw.close()


def test_readonly_uri_keeps_every_character(tmp_path: Path) -> None:
    target = tmp_path / "we?ird#na%41me.db"
    with sqlite3.connect(target) as raw:
        raw.execute("CREATE TABLE t (x)")
    raw.close()
    probe = sqlite3.connect(readonly_uri(target), uri=True)
    try:
        assert probe.execute("SELECT name FROM sqlite_master").fetchall() == [("t",)]
    finally:
        probe.close()
    assert not (tmp_path / "we").exists()


@pytest.mark.parametrize("target", ["", "   "])
def test_empty_target_is_refused(target: str) -> None:
    with pytest.raises(StoreError, match="database path is empty"):
        resolve_target(target)
    with pytest.raises(StoreError, match="database path is empty"):
        open_database(target)


def _with_data(path: Path) -> None:
    db = open_database(path, auto_backup=False)
    run_sql(db, "INSERT INTO decks (name) VALUES ('d')")
    db.close()


def test_failed_daily_backup_is_reported_and_the_database_opens(tmp_path: Path) -> None:
    """``<name>-backups`` being a file must not lock the user out of the collection."""
    path = tmp_path / "q.db"
    _with_data(path)
    (tmp_path / "q-backups").write_text("in the way")
    heard: list[str] = []
    db = open_database(path, on_problem=heard.append)
    try:
        assert run_sql(db, "SELECT name FROM decks") == [("d",)]
    finally:
        db.close()
    assert len(heard) == 1 and db.problems == heard
    assert heard[0].startswith("the automatic backup was skipped: cannot back up")
    assert "q-backups" in heard[0] and "\n" not in heard[0]


def test_full_disk_during_daily_backup_is_only_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from quizapp.store.sqlite import backup

    def full(source: Path, target: Path, *, standalone: bool = False) -> None:
        target.write_bytes(b"half")
        raise sqlite3.OperationalError("database or disk is full")

    path = tmp_path / "q.db"
    _with_data(path)
    monkeypatch.setattr(backup, "_copy", full)
    db = open_database(path)
    db.close()
    assert db.problems == [
        f"the automatic backup was skipped: cannot back up {path} into "
        f"{tmp_path / 'q-backups'}: database or disk is full"
    ]
    assert list((tmp_path / "q-backups").iterdir()) == []  # the partial copy is gone


def test_backup_before_an_upgrade_is_required(tmp_path: Path) -> None:
    """Without its backup the schema is not upgraded, and the file is left as it was."""
    import shutil

    path = tmp_path / "old.db"
    shutil.copy(Path(__file__).with_name("fixtures") / "schema_0001.db", path)
    (tmp_path / "old-backups").write_text("in the way")
    with pytest.raises(StoreError, match="not upgraded because the backup before it failed"):
        open_database(path)
    with sqlite3.connect(path) as raw:
        assert raw.execute("SELECT version_num FROM alembic_version").fetchall() == [("0001",)]
    raw.close()


def test_report_keeps_each_problem_once_and_summarises_a_flood(tmp_path: Path) -> None:
    heard: list[str] = []
    db = open_database(tmp_path / "q.db", auto_backup=False, on_problem=heard.append)
    db.close()
    for _round in range(2):
        for number in range(MAX_PROBLEMS + 5):
            db.report(f"problem {number}")
    assert heard == db.problems
    assert heard[:MAX_PROBLEMS] == [f"problem {n}" for n in range(MAX_PROBLEMS)]
    assert len(heard) == MAX_PROBLEMS + 1 and "quizapp doctor" in heard[-1]


def test_start_up_counts_read_the_file_the_database_opens(tmp_path: Path) -> None:
    """``today_counts`` (plain sqlite3, before SQLAlchemy) and ``open_database`` must agree
    on which file a ``--db`` path names, whatever characters it holds."""
    from datetime import UTC, datetime

    from quizapp.services.study import StudySession
    from quizapp.store.due_today import DueToday
    from quizapp.store.location import sqlite_file
    from quizapp.store.records import SourceFileInfo
    from quizapp.store.sqlite.import_repo import ImportWriter
    from quizapp.store.sqlite.today_counts import read_today_counts
    from store.cards_factory import NOW, make_card

    target = str(tmp_path / "a?mode=ro#x%41.db")
    db = open_database(target, auto_backup=False)
    try:
        ImportWriter.load(db).write_file(
            SourceFileInfo("/c/one.md", 1, 1, "0" * 64), [make_card("one")], NOW
        )
        now = datetime(2026, 1, 6, 12, tzinfo=UTC)
        progress = StudySession(db, clock=lambda: now, zone=UTC).progress()
    finally:
        db.close()
    path = sqlite_file(target)
    assert path is not None
    assert read_today_counts(path, now, UTC) == DueToday(
        progress.new, progress.learning, progress.review
    )
    assert progress.new == 1
