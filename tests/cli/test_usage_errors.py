"""Every usage error is one line, ``quizapp: error: …``, exit status 2 (issue 17)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from quizapp.cli import cli


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


@pytest.mark.parametrize(
    ("args", "names"),
    [
        (["list", "--difficulty", "extreme"], ["'--difficulty'", "extreme", "quizapp list --help"]),
        (["exercise", "some/card", "--seed", "-1"], ["'--seed'", "-1", "quizapp exercise --help"]),
        (["review", "--limit", "-3"], ["'--limit'", "-3", "quizapp review --help"]),
        (["list", "--nope"], ["--nope"]),
        (["frobnicate"], ["frobnicate", "quizapp --help"]),
        (["import"], ["PATH", "quizapp import --help"]),
        (["--db", "", "list"], ["'--db'", "empty"]),
        (["list", "--tag", ""], ["'--tag'", "empty"]),
        (["list", "--tag", "   "], ["'--tag'", "empty"]),
        (["list", "--tag", "bad tag!"], ["'bad tag!'", "'bad-tag!'"]),
        (["review", "--tag", "bad tag!"], ["'bad tag!'"]),
        (["list", "--tag", "a,b"], ["'a,b'"]),
    ],
)
def test_usage_errors_are_one_line_with_exit_2(
    tmp_path: Path, args: list[str], names: list[str]
) -> None:
    result = run("--db", str(tmp_path / "q.db"), *args) if args[0] != "--db" else run(*args)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("quizapp: error: ")
    for name in names:
        assert name in lines[0]
    assert "Usage:" not in result.stderr and "Try '" not in result.stderr
    assert not (tmp_path / "q.db").exists()  # refused before the database is touched


def test_a_tag_with_a_leading_hash_is_the_tag(tmp_path: Path) -> None:
    db = str(tmp_path / "q.db")
    plain = run("--db", db, "--no-bundled", "list", "--tag", "ml", "--json")
    hashed = run("--db", db, "--no-bundled", "list", "--tag", "#ml", "--json")
    # An empty database: both refused alike, naming the tag without its '#'.
    assert plain.exit_code == hashed.exit_code == 1, hashed.output
    assert hashed.stderr == plain.stderr
    assert "no card has the tag 'ml'" in plain.stderr


def test_tui_start_up_errors_use_the_same_prefix_and_status(tmp_path: Path) -> None:
    """A database the app cannot open ends `quizapp` (no command) like a bad --db does."""
    bogus = tmp_path / "notes.db"
    bogus.write_text("not a database\n" * 50, encoding="utf-8")
    app_result = run("--db", str(bogus))
    list_result = run("--db", str(bogus), "list")
    assert app_result.exit_code == list_result.exit_code == 2
    assert app_result.stderr == list_result.stderr
    (line,) = app_result.stderr.splitlines()
    assert line.startswith("quizapp: error: ") and "notes.db" in line
