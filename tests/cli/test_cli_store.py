"""The command line over the store's edges: ``--db`` paths, failed automatic backups,
refused restores, and ``doctor``: one-line messages, no traceback, the database intact."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from store.cards_factory import NOW, make_card

from quizapp.cli import cli
from quizapp.store.db import open_database
from quizapp.store.records import SourceFileInfo
from quizapp.store.sqlite.import_repo import ImportWriter


def run(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), input=input)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A database file holding three cards (written by the store, not the importer)."""
    path = tmp_path / "q.db"
    database = open_database(path, auto_backup=False)
    writer = ImportWriter.load(database)
    for uid in ("a", "b", "c"):
        writer.write_file(SourceFileInfo(f"/c/{uid}.md", 1, 1, "0" * 64), [make_card(uid)], NOW)
    database.close()
    return path


def _ids(db: Path) -> list[str]:
    result = run("--db", str(db), "list", "--json")
    assert result.exit_code == 0, result.output
    return [item["id"] for item in json.loads(result.stdout)]


def test_empty_db_option_is_a_usage_error(tmp_path: Path) -> None:
    result = run("--db", "", "list")
    assert result.exit_code == 2
    assert "'--db': is empty" in result.stderr and "Traceback" not in result.output


def test_db_paths_with_url_characters_open_that_file(tmp_path: Path) -> None:
    for name in ("a?mode=ro.db", "c%41.db"):
        assert run("--db", str(tmp_path / name), "config", "get").exit_code == 0
    names = sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(("-wal", "-shm")))
    assert names == ["a?mode=ro.db", "c%41.db"]


def test_failed_automatic_backup_warns_and_the_command_goes_on(tmp_path: Path, db: Path) -> None:
    (tmp_path / "q-backups").write_text("a file where the backups folder should be")
    listed = run("--db", str(db), "list", "--json")
    assert listed.exit_code == 0 and "Traceback" not in listed.output
    assert [item["id"] for item in json.loads(listed.stdout)] == ["a", "b", "c"]
    warnings = listed.stderr.strip().splitlines()
    assert len(warnings) == 1
    assert warnings[0].startswith("quizapp: warning: the automatic backup was skipped:")
    explicit = run("--db", str(db), "backup")
    assert explicit.exit_code == 1 and "Traceback" not in explicit.output
    assert explicit.stderr.strip().splitlines() == [
        f"quizapp: error: cannot back up {db} into {tmp_path / 'q-backups'}: "
        f"{tmp_path / 'q-backups'}: File exists"
    ]


def test_restore_refuses_bad_backups_before_asking(tmp_path: Path, db: Path) -> None:
    before = _ids(db)
    hollow = tmp_path / "hollow.db"
    with sqlite3.connect(hollow) as raw:
        raw.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)")
        raw.execute("INSERT INTO alembic_version VALUES ('0001')")
    raw.close()
    future = tmp_path / "future.db"
    with sqlite3.connect(future) as raw:
        raw.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)")
        raw.execute("INSERT INTO alembic_version VALUES ('0999')")
    raw.close()
    for bad, reason in ((hollow, "cannot be brought up to date"), (future, "unknown")):
        result = run("--db", str(db), "restore", str(bad), input="y\n")
        assert result.exit_code == 1, result.output
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"quizapp: error: {bad}: ")
        assert reason in lines[0] and "Replace" not in result.output
        assert _ids(db) == before


def test_restore_works_when_the_database_no_longer_opens(db: Path) -> None:
    before = _ids(db)
    assert run("--db", str(db), "backup").exit_code == 0
    db.write_bytes(b"not a database any more" * 100)
    assert run("--db", str(db), "list").exit_code == 2
    result = run("--db", str(db), "restore", "1", "--yes")
    assert result.exit_code == 0, result.output
    assert _ids(db) == before


def test_config_set_refuses_an_interview_date_out_of_range(db: Path) -> None:
    result = run("--db", str(db), "config", "set", "interview_date", "0001-01-01")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(
        "quizapp: error: interview_date: invalid value '0001-01-01': must be from today ("
    )
    assert run("--db", str(db), "config", "get", "interview_date").stdout.strip() == "none"


def test_damaged_rows_are_warnings_not_crashes(db: Path) -> None:
    with sqlite3.connect(db) as raw:
        raw.execute("UPDATE cards SET steps = '{not json' WHERE uid = 'b'")
        raw.execute(
            "INSERT OR REPLACE INTO settings (key, value)"
            " VALUES ('interview_date', '\"0001-01-01\"')"
        )
    raw.close()
    listed = run("--db", str(db), "list", "--json")
    assert listed.exit_code == 0 and "Traceback" not in listed.output
    assert [item["id"] for item in json.loads(listed.stdout)] == ["a", "c"]
    assert listed.stderr.strip().splitlines() == [
        "quizapp: warning: card b: stored state unreadable; `quizapp doctor` repairs it"
    ]
    stats = run("--db", str(db), "stats", "--json")
    assert stats.exit_code == 0 and json.loads(stats.stdout)["interview"] is None
    assert stats.stderr.startswith(
        "quizapp: warning: stored setting interview_date = '0001-01-01' is unusable"
    )
    shown = run("--db", str(db), "show", "b")
    assert shown.exit_code == 1
    assert shown.stderr.strip().splitlines() == [
        "quizapp: error: card b: stored state unreadable; `quizapp doctor` repairs it"
    ]


def test_doctor_finds_repairs_and_reports_as_json(db: Path) -> None:
    healthy = run("--db", str(db), "doctor")
    assert healthy.exit_code == 0
    assert healthy.stdout.splitlines() == ["integrity check: ok", "foreign keys: ok", "rows: ok"]
    with sqlite3.connect(db) as raw:
        raw.execute(
            "UPDATE card_states SET due = 'soon' WHERE card_id = (SELECT id FROM cards"
            " WHERE uid = 'b')"
        )
    raw.close()
    found = run("--db", str(db), "doctor", "--json")
    assert found.exit_code == 1
    data = json.loads(found.stdout)
    assert data["ok"] is False and data["integrity"] == "ok" and data["foreign_keys"] == []
    assert [(row["table"], row["card"], row["problem"]) for row in data["rows"]] == [
        ("card_states", "b", "memory state unreadable")
    ]
    assert data["backup"] is None and data["repaired"] == []
    text = run("--db", str(db), "doctor")
    assert text.exit_code == 1
    assert text.stdout.splitlines()[-1] == (
        "repair with: quizapp doctor --repair (a backup is made first)"
    )
    repaired = run("--db", str(db), "doctor", "--repair")
    assert repaired.exit_code == 0, repaired.output
    lines = repaired.stdout.splitlines()
    assert any(line.startswith("backed up to ") for line in lines)
    assert any(line.startswith("repaired: card b: memory state rebuilt") for line in lines)
    assert lines[-1] == "after the repair: ok"
    assert _ids(db) == ["a", "b", "c"]
