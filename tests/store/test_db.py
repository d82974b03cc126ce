"""Opening databases: location, pragmas, and one-line errors for bad targets."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.store.db import (
    DB_ENV_VAR,
    HEAD_REVISION,
    WAL_AUTOCHECKPOINT_PAGES,
    default_database_path,
    open_database,
    resolve_target,
    run_sql,
)
from quizapp.store.errors import StoreError


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


def test_non_sqlite_url_is_refused() -> None:
    with pytest.raises(StoreError, match="SQLite databases only"):
        open_database("postgresql://localhost/quiz")
