"""The command line over cards: import/check/list/show/tags, exit codes, JSON shapes,
one-line errors, and card text that cannot take over the terminal.

The tests taking ``backend_url`` run with ``--db`` a SQLite file and a PostgreSQL URL. The
others stay on SQLite files: a file that is not a database, a folder that cannot be made,
the first run's bundled deck into a new file, ``QUIZAPP_DB`` making a file, and ``backup``/
``restore`` of SQLite's file backups (PostgreSQL's: tests/postgres/test_portable_backup.py)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from quizapp.cli import cli
from quizapp.store.db import open_database, run_sql

CARD = """---
tags: [Optimisation, ml/gradients]
---
# Gradient Descent Step

## Question

How does one step of gradient descent update the weights?

## Answer

### Update rule

Move against the gradient: $w \\leftarrow w - \\eta \\nabla L(w)$ and repeat → converge.

### Step size

Too large a step diverges; too small a step crawls.

## Difficulty

Easy

## Related Questions

- [[Momentum Step]]
- What is a saddle point?
"""

OTHER = (
    CARD.replace("Gradient Descent Step", "Momentum Step")
    .replace("Easy", "Hard")
    .replace("[Optimisation, ml/gradients]", "[optimisation]")
)


def run(db: Path | str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", str(db), *args])


@pytest.fixture
def cards(tmp_path: Path) -> Path:
    folder = tmp_path / "cards"
    folder.mkdir()
    (folder / "gd.md").write_text(CARD, encoding="utf-8")
    (folder / "momentum.md").write_text(OTHER, encoding="utf-8")
    return folder


def test_import_json_then_reimport(backend_url: str, cards: Path) -> None:
    db = backend_url
    first = run(db, "import", "--no-bundled", str(cards), "--json")
    assert first.exit_code == 0, first.output
    report = json.loads(first.stdout)
    assert {k: report[k] for k in ("new", "updated", "unchanged", "repaired", "missing")} == {
        "new": 2,
        "updated": 0,
        "unchanged": 0,
        "repaired": 0,
        "missing": 0,
    }
    assert report["warnings"] == [] and report["errors"] == []
    again = json.loads(run(db, "import", "--no-bundled", str(cards), "--json").stdout)
    assert (again["new"], again["updated"], again["unchanged"]) == (0, 0, 2)


def test_import_human_report_and_failure_exit_code(backend_url: str, cards: Path) -> None:
    (cards / "broken.md").write_text("# Title only\n\n## Question\n\nWhy?\n", encoding="utf-8")
    result = run(backend_url, "import", "--no-bundled", str(cards))
    assert result.exit_code == 1
    assert "Imported: 2 new, 0 updated, 0 unchanged" in result.stdout
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and errors[0].startswith("error: broken.md:")


def test_dry_run_and_check_write_nothing(backend_url: str, cards: Path) -> None:
    db = backend_url
    dry = run(db, "import", "--no-bundled", "--dry-run", str(cards), "--json")
    assert dry.exit_code == 0 and json.loads(dry.stdout)["new"] == 2
    database = open_database(db, auto_backup=False)
    assert run_sql(database, "SELECT count(*) FROM cards") == [(0,)]
    database.close()
    check = CliRunner().invoke(cli, ["check", str(cards), "--json"])
    assert check.exit_code == 0 and json.loads(check.stdout)["new"] == 2


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run(tmp_path / "q.db", "import").exit_code == 2
    assert run(tmp_path / "q.db", "list", "--difficulty", "impossible").exit_code == 2


def test_missing_path_is_an_error_line(tmp_path: Path) -> None:
    result = run(tmp_path / "q.db", "import", "--no-bundled", str(tmp_path / "nope"))
    assert result.exit_code == 1
    assert "nope:0: no such file or folder" in result.stderr


@pytest.mark.sqlite_only("a file that is not a SQLite database")
def test_bad_database_targets_are_one_line(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.db"
    bogus.write_bytes(b"definitely not sqlite" * 100)
    result = run(bogus, "list")
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        f"quizapp: error: {bogus}: not a SQLite database (is --db pointing at the right file?)"
    ]
    blocker = tmp_path / "somefile"
    blocker.write_text("x")
    result = run(blocker / "x.db", "list")
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("quizapp: error: cannot create the database folder")
    assert "Traceback" not in result.output


def test_list_json_and_filters(backend_url: str, cards: Path) -> None:
    db = backend_url
    run(db, "import", "--no-bundled", str(cards))
    listed = json.loads(run(db, "list", "--json").stdout)
    assert [item["id"] for item in listed] == ["gd", "momentum"]
    assert set(listed[0]) == {"id", "title", "deck", "tags", "difficulty", "due", "kind"}
    assert listed[0]["tags"] == ["Optimisation", "ml/gradients"]
    assert listed[0]["deck"] == "cards"

    def ids(*args: str) -> list[str]:
        return [item["id"] for item in json.loads(run(db, "list", "--json", *args).stdout)]

    assert ids("--tag", "ML") == ["gd"]
    assert ids("--tag", "optimisation", "--tag", "ml/gradients") == ["gd"]
    assert ids("--difficulty", "hard") == ["momentum"]
    assert ids("--difficulty", "hard", "--difficulty", "easy") == ["gd", "momentum"]
    assert ids("--deck", "cards", "--due") == ["gd", "momentum"]
    # A filter that matches no card at all is an error (tests/cli/test_empty_filter.py).
    refused = run(db, "list", "--json", "--deck", "elsewhere")
    assert refused.exit_code == 1 and refused.stdout == ""
    assert "no cards match --deck elsewhere" in refused.stderr


def test_show_json_shape_and_math(backend_url: str, cards: Path) -> None:
    db = backend_url
    run(db, "import", "--no-bundled", str(cards))
    result = run(db, "show", "gd", "--json")
    assert result.exit_code == 0, result.output
    shown = json.loads(result.stdout)
    assert {"id", "title", "question", "steps", "tags", "difficulty", "related", "source"} <= set(
        shown
    )
    assert shown["title"] == "Gradient Descent Step" and shown["difficulty"] == "easy"
    assert [step["path"] for step in shown["steps"]] == [["Update rule"], ["Step size"]]
    assert "→" in shown["steps"][0]["text"] and "\\leftarrow" not in shown["steps"][0]["text"]
    assert [link["id"] for link in shown["related"]] == ["momentum", None]
    assert shown["source"] == "gd.md"
    human = run(db, "show", "GD")
    assert human.exit_code == 0 and "1. Update rule" in human.stdout
    assert "- Momentum Step  → momentum" in human.stdout


def test_show_unknown_id(backend_url: str, cards: Path) -> None:
    db = backend_url
    run(db, "import", "--no-bundled", str(cards))
    result = run(db, "show", "nope")
    assert result.exit_code == 1
    assert result.stderr == 'quizapp: error: no card with id "nope" (see `quizapp list`)\n'


def test_tags_json(backend_url: str, cards: Path) -> None:
    db = backend_url
    run(db, "import", "--no-bundled", str(cards))
    tags = json.loads(run(db, "tags", "--json").stdout)
    assert tags == [{"name": "Optimisation", "count": 2}, {"name": "ml/gradients", "count": 1}]
    assert run(db, "tags").stdout.splitlines()[0].split() == ["2", "Optimisation"]


HOSTILE_TITLE = "Evil \x1b[2J\x1b]52;c;cHduZWQ=\x07 \u202etxt.exe \x1b]8;;file:///etc/passwd\x1b\\x"


def test_card_text_cannot_drive_the_terminal(tmp_path: Path, backend_url: str) -> None:
    folder = tmp_path / "evil"
    folder.mkdir()
    body = CARD.replace("Gradient Descent Step", HOSTILE_TITLE).replace(
        "Too large a step", "Too large \x1b[31mred\x1b[0m a step \x9b31m"
    )
    (folder / "evil.md").write_bytes(body.encode("utf-8"))
    db = backend_url
    imported = run(db, "import", "--no-bundled", str(folder))
    outputs = [imported]
    card_id = "evil"
    outputs += [
        run(db, "show", card_id),
        run(db, "list"),
        run(db, "show", card_id, "--json"),
        run(db, "list", "--json"),
    ]
    for result in outputs:
        for stream in (result.stdout_bytes, result.stderr_bytes):
            assert b"\x1b" not in stream and b"\x07" not in stream
            assert "\u202e".encode() not in stream and "\x9b".encode() not in stream
    shown = run(db, "show", card_id).stdout
    assert "\\x1b[2J" in shown and "\\u202e" in shown and "\\x1b]52;c;cHduZWQ=\\x07" in shown
    assert "\\x1b[31mred\\x1b[0m" in shown and "\\x9b31m" in shown
    # JSON still carries the exact text for scripts.
    data = json.loads(run(db, "show", card_id, "--json").stdout)
    assert data["title"] == HOSTILE_TITLE


def test_no_command_without_tui_prints_the_queue(
    backend_url: str, cards: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = backend_url
    run(db, "import", "--no-bundled", str(cards))
    monkeypatch.setitem(sys.modules, "quizapp.tui.app", None)  # as if the TUI were absent
    result = run(db)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "Today: 0 due for review, 2 new."
    assert "gd  Gradient Descent Step" in result.stdout


@pytest.mark.sqlite_only("the first run is a new SQLite file")
def test_first_run_imports_the_bundled_deck(
    tmp_path: Path, cards: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import quizapp.content

    monkeypatch.setattr(quizapp.content, "bundled_deck_dir", lambda: cards)
    result = run(tmp_path / "fresh.db", "list", "--json")
    assert result.exit_code == 0
    assert [item["id"] for item in json.loads(result.stdout)] == ["gd", "momentum"]
    assert "imported the bundled deck (2 cards;" in result.stderr


def test_help_documents_every_command() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    for name in ("import", "check", "list", "show", "tags", "backup", "restore"):
        assert f"  {name} " in result.stdout


def test_bundled_deck_dir_is_the_checkout_content() -> None:
    from quizapp.content import bundled_deck_dir

    folder = bundled_deck_dir()
    assert folder.name in ("content", "_content") and folder.is_dir()


@pytest.mark.sqlite_only("SQLite's file backups")
def test_backup_and_restore_commands(tmp_path: Path, cards: Path) -> None:
    db = tmp_path / "q.db"
    run(db, "import", "--no-bundled", str(cards / "gd.md"))
    made = run(db, "backup")
    assert made.exit_code == 0 and made.stdout.startswith("backed up to ")
    run(db, "import", "--no-bundled", str(cards / "momentum.md"))
    listing = run(db, "restore")
    assert listing.exit_code == 0 and listing.stdout.lstrip().startswith("1  ")
    refused = CliRunner().invoke(cli, ["--db", str(db), "restore", "1"], input="n\n")
    assert refused.exit_code == 1
    assert [item["id"] for item in json.loads(run(db, "list", "--json").stdout)] == [
        "gd",
        "momentum",
    ]
    done = run(db, "restore", "1", "--yes")
    assert done.exit_code == 0, done.output
    assert [item["id"] for item in json.loads(run(db, "list", "--json").stdout)] == ["gd"]
    assert run(db, "restore", "99", "--yes").exit_code == 2


@pytest.mark.sqlite_only("QUIZAPP_DB names a SQLite file that is made")
def test_env_var_picks_the_database(
    tmp_path: Path, cards: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "from-env.db"
    monkeypatch.setenv("QUIZAPP_DB", str(db))
    result = CliRunner().invoke(cli, ["import", "--no-bundled", str(cards / "gd.md"), "--json"])
    assert result.exit_code == 0 and json.loads(result.stdout)["new"] == 1
    assert db.exists()


def test_progress_bar_only_for_long_imports_on_a_terminal() -> None:
    import io

    from quizapp.cli import import_cmd

    short = import_cmd._Bar(enabled=True)
    short(10, 10)
    assert short.bar is None
    off = import_cmd._Bar(enabled=False)
    off(100, 100)
    assert off.bar is None
    stream = io.StringIO()
    long = import_cmd._Bar(enabled=True)
    long.bar = click.progressbar(length=100, file=stream)
    long.bar.__enter__()
    long(60, 100)
    long(100, 100)
    assert long.bar.pos == 100
    long.close()
