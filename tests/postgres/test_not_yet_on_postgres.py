"""What does not run on PostgreSQL yet (studying, the study app) is refused
with one line that says so and points at ``copy-db``, never a driver's traceback; what
does run (list, show, tags, import) keeps working beside it."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from quizapp.cli import cli
from quizapp.store.db import open_database
from quizapp.store.errors import NotOnThisBackend

CARD = """# Chain Rule

## Question

What is the derivative of $f(g(x))$?

## Answer

$$\\frac{d}{dx} f(g(x)) = f'(g(x))\\, g'(x)$$

## Tags

Calculus

## Difficulty

easy
"""


def run(url: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", url, "--no-bundled", *args])


@pytest.fixture
def collection(tmp_path: Path, postgres_url: str) -> str:
    """A PostgreSQL collection of one card, copied there from SQLite."""
    cards = tmp_path / "cards"
    cards.mkdir()
    (cards / "chain-rule.md").write_text(CARD, encoding="utf-8")
    source = tmp_path / "source.db"
    assert run(str(source), "import", str(cards)).exit_code == 0
    copied = CliRunner().invoke(cli, ["copy-db", "--from", str(source), "--to", postgres_url])
    assert copied.exit_code == 0, copied.output
    return postgres_url


@pytest.mark.parametrize(
    ("command", "what"),
    [
        (["optimize"], "studying"),
    ],
)
def test_a_command_that_needs_sqlite_sql_is_one_line(
    collection: str, command: list[str], what: str
) -> None:
    result = run(collection, *command)
    assert result.exit_code == 1
    assert result.output.startswith(f"quizapp: error: {what} does not run on PostgreSQL yet")
    assert "copy-db" in result.output
    assert result.output.count("\n") == 1


def test_reading_commands_still_run(collection: str) -> None:
    assert "Chain Rule" in run(collection, "show", "chain-rule").output
    assert run(collection, "tags").output.split() == ["1", "Calculus"]


def test_the_study_ports_refuse_by_name(collection: str) -> None:
    database = open_database(collection)
    try:
        assert database.backend == "PostgreSQL"
        with pytest.raises(NotOnThisBackend, match=r"^studying does not run on PostgreSQL"):
            database.queue  # noqa: B018 (the property is what refuses)
        assert [stored.card.id for stored in database.cards.find()] == ["chain-rule"]
    finally:
        database.close()


def test_the_study_app_does_not_start_on_postgresql(collection: str) -> None:
    from quizapp.tui.app import StartupFailed
    from quizapp.tui.app import run as run_app

    with pytest.raises(StartupFailed, match="the study app does not run on PostgreSQL yet"):
        run_app(collection, None, first_run_import=False)
