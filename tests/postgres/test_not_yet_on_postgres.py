"""What does not run on PostgreSQL yet is refused with one line that says so and points at
``copy-db``, never a driver's traceback; what does run (list, show, tags, import) keeps
working beside it."""

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


def test_reading_commands_still_run(collection: str) -> None:
    assert "Chain Rule" in run(collection, "show", "chain-rule").output
    assert run(collection, "tags").output.split() == ["1", "Calculus"]
