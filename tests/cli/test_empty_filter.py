"""A filter that matches no card is an error, not an empty session (issue 17): ``review``,
``list`` and ``export`` say "no cards match --tag NoSuchTag", name each tag (and deck)
that matches nothing with the closest stored names, and exit with status 1 before doing
anything (the app is not opened, no file is written)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from quizapp.cli import cli
from quizapp.services.importer import import_paths
from quizapp.store.db import open_database

CARD = """# {title}

## Question
{title}?

## Answer
Because.

## Tags
{tags}

## Difficulty
{difficulty}
"""


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    root = tmp_path / "cards"
    for deck, title, tags, difficulty in [
        ("deep-learning", "Backprop", "#Backpropagation #DeepLearning", "Hard"),
        ("architectures", "Attention", "#Attention #Transformers", "Medium"),
    ]:
        folder = root / deck
        folder.mkdir(parents=True, exist_ok=True)
        text = CARD.format(title=title, tags=tags, difficulty=difficulty)
        (folder / f"{title.lower()}.md").write_text(text, encoding="utf-8")
    path = tmp_path / "quizapp.db"
    database = open_database(path, auto_backup=False)
    try:
        assert import_paths(database, [root]).new == 2
    finally:
        database.close()
    return path


def run(db: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", str(db), *args])


def error_line(result: Result) -> str:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith("quizapp: error: no cards match ")
    return line


def test_review_with_an_unknown_tag_names_close_tags_and_opens_nothing(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[Any] = []

    def fake_run(*args: Any, **options: Any) -> int:
        opened.append(args)
        return 0

    monkeypatch.setattr("quizapp.tui.app.run", fake_run)
    line = error_line(run(db_path, "review", "--tag", "Backprop"))
    assert line == (
        "quizapp: error: no cards match --tag Backprop; "
        "no card has the tag 'Backprop' (close: Backpropagation)"
    )
    assert opened == []


def test_a_tag_with_nothing_close_points_to_the_tags_command(db_path: Path) -> None:
    line = error_line(run(db_path, "review", "--tag", "NoSuchTag"))
    assert line.endswith(
        "no cards match --tag NoSuchTag; no card has the tag 'NoSuchTag' (quizapp tags lists them)"
    )


def test_known_tags_that_match_nothing_together_are_not_blamed(db_path: Path) -> None:
    line = error_line(run(db_path, "list", "--tag", "Attention", "--difficulty", "hard"))
    assert line == "quizapp: error: no cards match --tag Attention --difficulty hard"


def test_a_deck_that_holds_nothing_names_close_decks(db_path: Path) -> None:
    line = error_line(run(db_path, "list", "--deck", "architecture"))
    assert line.endswith("no deck 'architecture' holds a card (close: architectures)")


def test_export_refuses_before_writing(db_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.apkg"
    line = error_line(run(db_path, "export", str(out), "--tag", "attentoin"))
    assert "no card has the tag 'attentoin' (close: Attention)" in line
    assert not out.exists()


def test_a_matching_filter_still_lists(db_path: Path) -> None:
    result = run(db_path, "list", "--tag", "attention")  # tags match in any case
    assert result.exit_code == 0, result.output
    assert "architectures/attention" in result.stdout
    assert result.stderr.strip() == "1 card"
