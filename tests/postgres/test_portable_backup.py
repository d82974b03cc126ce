"""``quizapp backup`` on PostgreSQL writes a portable archive, which restores into either
backend; restoring into PostgreSQL replaces its collection (against the real server)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from store.full_collection import build_full, digests

from quizapp.cli import cli
from quizapp.store.db import open_database, run_sql


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def test_postgres_backup_restores_into_sqlite_and_postgres(
    tmp_path: Path, postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    source = build_full(tmp_path / "a.db")
    assert run("copy-db", "--from", str(source), "--to", postgres_url).exit_code == 0
    made = run("--db", postgres_url, "backup")
    assert made.exit_code == 0, made.output
    archives = list((tmp_path / "data" / "quizapp" / "backups").glob("*.quizapp.jsonl.gz"))
    assert len(archives) == 1
    assert made.output.startswith(f"backed up 47 rows to {archives[0]}")
    into_sqlite = run("--db", str(tmp_path / "b.db"), "restore", str(archives[0]), "--yes")
    assert into_sqlite.exit_code == 0, into_sqlite.output
    pg = open_database(postgres_url)
    run_sql(pg, "DELETE FROM review_logs WHERE id > 3")
    pg.close()
    into_postgres = run("--db", postgres_url, "restore", str(archives[0]), "--yes")
    assert into_postgres.exit_code == 0, into_postgres.output
    assert into_postgres.output == f"restored 47 rows from {archives[0]}\n"
    a, b, pg = open_database(source), open_database(tmp_path / "b.db"), open_database(postgres_url)
    try:
        assert digests(a) == digests(b) == digests(pg)
        run_sql(
            pg,
            "INSERT INTO practice_logs (card_id, rating, reviewed_at, duration_ms)"
            " VALUES (1, 3, now(), 5)",
        )
        assert run_sql(pg, "SELECT max(id) FROM practice_logs") == [(2,)]
    finally:
        for db in (a, b, pg):
            db.close()


def test_postgres_gets_no_automatic_backup(
    tmp_path: Path, postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    source = build_full(tmp_path / "a.db")
    assert run("copy-db", "--from", str(source), "--to", postgres_url).exit_code == 0
    open_database(postgres_url, auto_backup=True).close()
    assert not (tmp_path / "data").exists()
