"""``quizapp restore FILE``: a FILE that names no backup is blamed (not ``--db``), before
any question, with exit 2; a backup refused is exit 1; declining is exit 1 (issue 17)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from quizapp.cli import cli
from quizapp.store.db import open_database


def run(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), input=input)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A migrated, empty database file with one backup."""
    path = tmp_path / "q.db"
    open_database(path, auto_backup=False).close()
    assert run("--db", str(path), "backup").exit_code == 0
    return path


def _one_error(result: Result) -> str:
    (line,) = result.stderr.splitlines()
    assert line.startswith("quizapp: error: ")
    return line


@pytest.mark.parametrize(
    ("argument", "says"),
    [
        ("missing.db", "missing.db: no such file"),
        ("", "is empty"),
        ("7", "no backup number 7 (there is 1 backup;"),
        ("0", "no backup number 0"),
    ],
)
def test_a_file_that_names_no_backup_is_a_usage_error_before_any_question(
    tmp_path: Path, db: Path, argument: str, says: str
) -> None:
    before = db.read_bytes()
    result = run(
        "--db",
        str(db),
        "restore",
        argument if argument != "missing.db" else str(tmp_path / argument),
        input="y\n",
    )
    assert result.exit_code == 2, result.output
    line = _one_error(result)
    assert "FILE" in line and says in line
    assert "--db" not in line
    assert "Replace" not in result.output  # nothing was asked
    assert db.read_bytes() == before


def test_a_folder_is_not_a_backup(tmp_path: Path, db: Path) -> None:
    result = run("--db", str(db), "restore", str(tmp_path), input="y\n")
    assert result.exit_code == 2
    assert "not a file" in _one_error(result)


def test_a_file_that_is_not_sqlite_blames_the_backup_not_db(tmp_path: Path, db: Path) -> None:
    junk = tmp_path / "notes.txt"
    junk.write_text("hello\n" * 100, encoding="utf-8")
    result = run("--db", str(db), "restore", str(junk), input="y\n")
    assert result.exit_code == 1, result.output  # a backup refused
    line = _one_error(result)
    assert "notes.txt: not a SQLite database, so not a quizapp backup" in line
    assert "--db" not in line
    assert "Replace" not in result.output


def test_declining_is_exit_1_and_says_nothing_changed(db: Path) -> None:
    result = run("--db", str(db), "restore", "1", input="n\n")
    assert result.exit_code == 1
    assert "Replace" in result.stdout
    assert "not restored: the database is unchanged" in result.stderr


def test_restore_by_number_after_yes(db: Path) -> None:
    result = run("--db", str(db), "restore", "1", "--yes")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("restored ")
    listed = run("--db", str(db), "--no-bundled", "list", "--json")
    assert json.loads(listed.stdout) == []
