"""The first commands a new user types: the bundled deck whatever the first command is
(``--no-bundled`` skips it), and ``list`` with a header row (issue 17)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import quizapp.content
from quizapp.cli import cli

CARD = """# Own Card

## Question

What is mine?

## Answer

This.
"""

BUNDLED = """# Bundled Card

## Question

What ships with quizapp?

## Answer

This.
"""


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


@pytest.fixture
def bundled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A one-card stand-in for the bundled deck (the real one takes seconds to import)."""
    folder = tmp_path / "bundled"
    folder.mkdir()
    (folder / "shipped.md").write_text(BUNDLED, encoding="utf-8")
    monkeypatch.setattr(quizapp.content, "bundled_deck_dir", lambda: folder)
    return folder


@pytest.fixture
def mine(tmp_path: Path) -> Path:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "own.md").write_text(CARD, encoding="utf-8")
    return folder


def _ids(db: Path) -> list[str]:
    result = run("--db", str(db), "list", "--json")
    assert result.exit_code == 0, result.output
    return [item["id"] for item in json.loads(result.stdout)]


def test_import_as_the_first_command_adds_the_bundled_deck_too(
    tmp_path: Path, bundled: Path, mine: Path
) -> None:
    db = tmp_path / "q.db"
    result = run("--db", str(db), "import", str(mine))
    assert result.exit_code == 0, result.output
    assert "Imported: 1 new" in result.stdout  # the report is about what the user named
    assert "imported the bundled deck (1 card;" in result.stderr
    assert "--no-bundled" in result.stderr
    assert sorted(_ids(db)) == ["own", "shipped"]


def test_the_bundled_deck_is_added_only_to_a_database_without_cards(
    tmp_path: Path, bundled: Path, mine: Path
) -> None:
    db = tmp_path / "q.db"
    assert run("--db", str(db), "--no-bundled", "import", str(mine)).exit_code == 0
    again = run("--db", str(db), "import", str(mine))
    assert "bundled" not in again.stderr
    assert _ids(db) == ["own"]


@pytest.mark.parametrize(
    "args",
    [
        ["import", "--no-bundled"],  # the import command's own flag
        ["--no-bundled", "import"],  # the global one, before any command
    ],
)
def test_no_bundled_skips_it(tmp_path: Path, bundled: Path, mine: Path, args: list[str]) -> None:
    db = tmp_path / "q.db"
    result = run("--db", str(db), *args, str(mine))
    assert result.exit_code == 0, result.output
    assert "bundled" not in result.stderr
    assert _ids(db) == ["own"]


def test_no_bundled_from_the_environment_keeps_list_empty(tmp_path: Path, bundled: Path) -> None:
    result = CliRunner(env={"QUIZAPP_NO_BUNDLED": "1"}).invoke(
        cli, ["--db", str(tmp_path / "q.db"), "list", "--json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == []


def test_a_dry_run_import_writes_no_bundled_deck(tmp_path: Path, bundled: Path, mine: Path) -> None:
    db = tmp_path / "q.db"
    result = run("--db", str(db), "import", "--dry-run", str(mine))
    assert result.exit_code == 0, result.output
    assert "bundled" not in result.stderr
    assert _ids(db) == ["shipped"]  # list, a later first command, still adds it


def test_list_has_a_header_row_over_aligned_columns(tmp_path: Path, bundled: Path) -> None:
    result = run("--db", str(tmp_path / "q.db"), "list")
    assert result.exit_code == 0, result.output
    header, row = result.stdout.splitlines()
    assert header.split() == ["ID", "KIND", "DIFFICULTY", "STATE", "DUE", "TITLE"]
    assert row.startswith("shipped  basic  -           new    ")
    assert header.index("TITLE") == row.index("Bundled Card")
    assert result.stderr.endswith("1 card\n")


def test_list_of_nothing_has_no_header(tmp_path: Path, bundled: Path) -> None:
    # The bundled card is basic: no cloze to list (a tag no card has is an error instead,
    # tests/cli/test_empty_filter.py).
    result = run("--db", str(tmp_path / "q.db"), "list", "--kind", "cloze")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr.endswith("0 cards\n")


@pytest.mark.parametrize(("args", "wanted"), [([], True), (["--no-bundled"], False)])
def test_the_app_is_told_whether_to_add_the_bundled_deck(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], wanted: bool
) -> None:
    """The study app imports the bundled deck itself (in its worker); --no-bundled reaches
    it, for `quizapp` alone and for `quizapp review`."""
    import quizapp.tui.app

    seen: list[bool] = []

    def fake_run(target: object, spec: object = None, *, first_run_import: bool = True) -> int:
        seen.append(first_run_import)
        return 0

    monkeypatch.setattr(quizapp.tui.app, "run", fake_run)
    assert run("--db", str(tmp_path / "q.db"), *args).exit_code == 0
    assert run("--db", str(tmp_path / "q.db"), *args, "review").exit_code == 0
    assert seen == [wanted, wanted]
