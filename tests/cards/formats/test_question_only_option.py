"""``--question-only`` on ``quizapp import`` and ``check`` and ``question_only=`` in the
services: questions written without an answer become question-only cards in files that
hold other cards, and a file read without the option is read again with it."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from quizapp.cli import cli
from quizapp.services.importer import check_paths
from quizapp.store.db import Database, open_database

from .history import counts, present, run, write

#: Two answered question headings, one without an answer, and a drill list.
MIXED = "## What is A?\na\n\n## What is B?\nb\n\n## What is C?\n\n## Drill\n\n- Why D?\n- Why E?\n"
#: A note whose only questions are a short list among prose: claimed only with the option.
NOTE = "# Reading\n\nThoughts on the paper.\nMore thoughts.\nStill more.\n\n- Why F?\n- Why G?\n"


def invoke(*args: str) -> dict[str, object]:
    result = CliRunner().invoke(cli, [*args, "--json"])
    assert result.exit_code == 0, result.output
    report: dict[str, object] = json.loads(result.stdout)
    return report


def test_check_reads_question_only_cards_only_with_the_option(tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    write(folder, "mixed.md", MIXED)
    write(folder, "note.md", NOTE)
    plain = invoke("check", str(folder))
    warnings = plain["warnings"]
    assert isinstance(warnings, list)
    # What is C? is left out with a warning; the drill list is not read at all.
    assert (plain["new"], plain["skipped"], len(warnings)) == (2, 1, 1)
    opted = invoke("check", "--question-only", str(folder))
    assert (opted["new"], opted["skipped"], opted["warnings"]) == (7, 0, [])
    report = check_paths([folder], question_only=True)
    assert (report.new, report.skipped) == (7, 0)


def test_import_with_the_option_reads_unchanged_and_skipped_files_again(tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    write(folder, "mixed.md", MIXED)
    write(folder, "note.md", NOTE)
    db_path = str(tmp_path / "q.db")
    first = invoke("--db", db_path, "import", "--no-bundled", str(folder))
    assert (first["new"], first["skipped"]) == (2, 1)
    again = invoke("--db", db_path, "import", "--no-bundled", str(folder))
    assert (again["new"], again["updated"], again["skipped"]) == (0, 0, 1)
    opted = invoke("--db", db_path, "import", "--no-bundled", "--question-only", str(folder))
    assert (opted["new"], opted["updated"], opted["skipped"]) == (5, 0, 0)
    # Once stored, the cards stay while the files are unchanged, with or without it.
    plain = invoke("--db", db_path, "import", "--no-bundled", str(folder))
    assert (plain["new"], plain["updated"], plain["missing"]) == (0, 0, 0)
    database = open_database(Path(db_path), auto_backup=False)
    try:
        assert present(database) == [
            "mixed#what-is-a",
            "mixed#what-is-b",
            "mixed#what-is-c",
            "mixed#why-d",
            "mixed#why-e",
            "note#why-f",
            "note#why-g",
        ]
    finally:
        database.close()


def test_front_matter_makes_the_choice_stick(db: Database, tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    path = write(folder, "mixed.md", "---\nquizapp-question-only: true\n---\n" + MIXED)
    assert counts(run(db, folder)) == (5, 0, 0)
    path.write_text("---\nquizapp-question-only: false\n---\n" + MIXED, encoding="utf-8")
    assert counts(run(db, folder, question_only=True)) == (0, 0, 3)
    assert present(db) == ["mixed#what-is-a", "mixed#what-is-b"]


def test_the_option_is_listed_in_the_help() -> None:
    for command in ("import", "check"):
        result = CliRunner().invoke(cli, [command, "--help"])
        assert result.exit_code == 0 and "--question-only" in result.output
