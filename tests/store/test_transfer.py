"""``copy-db`` between SQLite files: every table copied, checked equal, a non-empty target
refused without --force, bad targets one line. (PostgreSQL: tests/postgres/test_copy_db.py.)
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from quizapp.cli import cli
from quizapp.store.db import open_database, run_sql
from store.full_collection import build_full, digests

pytestmark = pytest.mark.sqlite_only("copy-db between SQLite files")


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def test_every_table_is_copied_equal(tmp_path: Path) -> None:
    source = build_full(tmp_path / "a.db")
    result = run("copy-db", "--from", str(source), "--to", str(tmp_path / "b.db"))
    assert result.exit_code == 0, result.output
    a, b = open_database(source), open_database(tmp_path / "b.db")
    try:
        assert digests(a) == digests(b)
        assert all(table.rows > 0 for table in digests(b))
        assert run_sql(b, "SELECT review_kind FROM review_logs ORDER BY id") == run_sql(
            a, "SELECT review_kind FROM review_logs ORDER BY id"
        )
    finally:
        a.close()
        b.close()
    assert "copied 47 rows from" in result.output
    assert "checked equal" in result.output
    assert "  review_logs" in result.output and "18 rows" in result.output


def test_a_target_holding_a_collection_is_refused_without_force(tmp_path: Path) -> None:
    source = build_full(tmp_path / "a.db")
    other = build_full(tmp_path / "b.db")
    db = open_database(other)
    run_sql(db, "DELETE FROM settings")
    before = digests(db)
    db.close()
    refused = run("copy-db", "--from", str(source), "--to", str(other))
    assert refused.exit_code == 1
    assert refused.output.strip().startswith("quizapp: error: ")
    assert "already holds a collection" in refused.output
    assert "--force replaces it" in refused.output
    assert len(refused.output.strip().splitlines()) == 1
    db = open_database(other)
    assert digests(db) == before
    db.close()
    forced = run("copy-db", "--from", str(source), "--to", str(other), "--force")
    assert forced.exit_code == 0, forced.output
    assert "its previous content replaced" in forced.output
    a, b = open_database(source), open_database(other)
    assert digests(a) == digests(b)
    a.close()
    b.close()


def test_a_missing_source_is_one_line_and_creates_nothing(tmp_path: Path) -> None:
    result = run("copy-db", "--from", str(tmp_path / "nope.db"), "--to", str(tmp_path / "b.db"))
    assert result.exit_code == 2
    assert result.output == f"quizapp: error: {tmp_path / 'nope.db'}: no such database file\n"
    assert not (tmp_path / "nope.db").exists()


def test_copying_a_database_onto_itself_is_refused(tmp_path: Path) -> None:
    source = build_full(tmp_path / "a.db")
    result = run("copy-db", "--from", str(source), "--to", str(source))
    assert result.exit_code == 2
    assert "--from and --to are the same database" in result.output


def test_an_unsupported_url_is_one_line(tmp_path: Path) -> None:
    source = build_full(tmp_path / "a.db")
    result = run("copy-db", "--from", str(source), "--to", "mysql://u:p@host/q")
    assert result.exit_code == 2
    assert result.output.count("\n") == 1
    assert "SQLite and PostgreSQL databases only" in result.output


def test_the_source_is_left_alone(tmp_path: Path) -> None:
    """Copying neither backs the source up nor writes to it."""
    source = build_full(tmp_path / "a.db")
    before = source.read_bytes()
    assert run("copy-db", "--from", str(source), "--to", str(tmp_path / "b.db")).exit_code == 0
    assert not (tmp_path / "a-backups").exists()
    assert source.read_bytes() == before
