"""Portable backups (gzip JSON lines) on SQLite: written and restored equal, a damaged
archive changes nothing. (PostgreSQL: tests/postgres/test_portable_backup.py.)"""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from quizapp.cli import cli
from quizapp.store.db import open_database, run_sql
from store.full_collection import build_full, digests

pytestmark = pytest.mark.sqlite_only("archives of SQLite files")


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def test_portable_backup_restores_equal_into_a_new_file(tmp_path: Path) -> None:
    source = build_full(tmp_path / "a.db")
    archive = tmp_path / "a.quizapp.jsonl.gz"
    made = run("--db", str(source), "backup", "-o", str(archive))
    assert made.exit_code == 0, made.output
    assert made.output == (
        f"backed up 47 rows to {archive}"
        " (a portable archive; quizapp restore FILE brings it back)\n"
    )
    restored = run("--db", str(tmp_path / "b.db"), "restore", str(archive), "--yes")
    assert restored.exit_code == 0, restored.output
    assert restored.output.startswith(f"restored 47 rows from {archive}; the previous state is in")
    a, b = open_database(source), open_database(tmp_path / "b.db")
    try:
        assert digests(a) == digests(b)
    finally:
        a.close()
        b.close()


def test_a_damaged_archive_changes_nothing(tmp_path: Path) -> None:
    source = build_full(tmp_path / "a.db")
    archive = tmp_path / "a.quizapp.jsonl.gz"
    assert run("--db", str(source), "backup", "--portable", "-o", str(archive)).exit_code == 0
    lines = gzip.decompress(archive.read_bytes()).decode().splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if '"steps' not in line and "Вопрос" in line)
    lines[index] = lines[index].replace("Вопрос", "Ответ")
    damaged = tmp_path / "damaged.quizapp.jsonl.gz"
    damaged.write_bytes(gzip.compress("".join(lines).encode()))
    target = build_full(tmp_path / "b.db")
    db = open_database(target)
    run_sql(db, "DELETE FROM practice_logs")
    before = digests(db)
    db.close()
    result = run("--db", str(target), "restore", str(damaged), "--yes")
    assert result.exit_code == 1
    assert result.output == (
        f"quizapp: error: {damaged}: related does not match its recorded digest\n"
    )
    db = open_database(target)
    assert digests(db) == before
    db.close()


def test_a_truncated_archive_is_one_line(tmp_path: Path) -> None:
    source = build_full(tmp_path / "a.db")
    archive = tmp_path / "a.quizapp.jsonl.gz"
    assert run("--db", str(source), "backup", "-o", str(archive)).exit_code == 0
    text = gzip.decompress(archive.read_bytes())
    cut = tmp_path / "cut.quizapp.jsonl.gz"
    cut.write_bytes(gzip.compress(text[: len(text) // 2].rsplit(b"\n", 1)[0] + b"\n"))
    result = run("--db", str(tmp_path / "b.db"), "restore", str(cut), "--yes")
    assert result.exit_code == 1
    assert result.output.count("\n") == 1
    assert "the archive ends early" in result.output
