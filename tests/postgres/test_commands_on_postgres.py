"""Every command that reads or changes a collection prints the same on PostgreSQL as on the
SQLite collection it was copied from: the commands are front ends over the same services,
and the backend is the store's business alone."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from quizapp.cli import cli

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


@pytest.fixture
def both(tmp_path: Path, postgres_url: str) -> tuple[str, str]:
    """The same one-card collection twice: a SQLite file, and its copy in PostgreSQL."""
    cards = tmp_path / "cards"
    cards.mkdir()
    (cards / "chain-rule.md").write_text(CARD, encoding="utf-8")
    source = str(tmp_path / "source.db")
    assert run(source, "import", str(cards)).exit_code == 0
    copied = CliRunner().invoke(cli, ["copy-db", "--from", source, "--to", postgres_url])
    assert copied.exit_code == 0, copied.output
    return source, postgres_url


@pytest.mark.parametrize(
    "command",
    [
        ["list"],
        ["list", "--json"],
        ["show", "chain-rule"],
        ["tags"],
        ["config", "get"],
        ["config", "set", "desired_retention", "0.85"],
        ["drill", "chain-rule"],
        ["drill", "chain-rule", "--formula", "1", "--answer", "fprime(g(x))*gprime(x)"],
        ["stats", "--json"],
        ["optimize"],
    ],
    ids=" ".join,
)
def test_a_command_prints_the_same_on_both_backends(
    both: tuple[str, str], command: list[str]
) -> None:
    sqlite, postgres = both
    on_sqlite, on_postgres = run(sqlite, *command), run(postgres, *command)
    assert (on_postgres.exit_code, on_postgres.output) == (on_sqlite.exit_code, on_sqlite.output)
    assert "Traceback" not in on_postgres.output


def test_reading_commands_still_run(collection: str) -> None:
    assert "Chain Rule" in run(collection, "show", "chain-rule").output
    assert run(collection, "tags").output.split() == ["1", "Calculus"]
