"""``quizapp list`` and ``show`` over cards of every kind: the kind column and filter, a
cloze shown masked then filled in, a question-only card's reveal. ``--db`` is a SQLite file
or a PostgreSQL URL (``backend_url``)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from click.testing import CliRunner, Result
from store.kind_cards import write_kind_cards

from quizapp.cli import cli
from quizapp.store.db import open_database

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def db_path(backend_url: str) -> str:
    path = backend_url
    database = open_database(path, auto_backup=False)
    write_kind_cards(database, NOW)
    database.close()
    return path


def run(db: str, *args: str) -> Result:
    result = CliRunner().invoke(cli, ["--db", db, *args])
    return result


def test_list_filters_by_kind_and_shows_it(db_path: str) -> None:
    def ids(*args: str) -> list[str]:
        result = run(db_path, "list", "--json", *args)
        assert result.exit_code == 0, result.output
        return [item["id"] for item in json.loads(result.stdout)]

    assert ids("--kind", "cloze") == ["optim#adam/c1", "optim#adam/c2"]
    assert ids("--kind", "REVERSED", "--kind", "question_only") == [
        "optim#adamw",
        "optim#relu/reverse",
    ]
    listed = json.loads(run(db_path, "list", "--json").stdout)
    assert {item["id"]: item["kind"] for item in listed}["optim#adamw"] == "question_only"
    lines = run(db_path, "list").stdout.splitlines()
    by_id = {line.split()[0]: line for line in lines}
    # The kind column, padded to the widest kind listed; a cloze title filled in, unmarked,
    # its formulas drawn as `show` draws them.
    assert by_id["optim#adamw"].startswith("optim#adamw         question only  medium      new")
    assert by_id["optim#adam/c2"].startswith("optim#adam/c2       cloze          medium      new")
    assert by_id["optim#adam/c1"].endswith(
        "Adam keeps two moving averages of the gradient, mₜ and vₜ, and divides by √v̂ₜ."
    )
    bad = run(db_path, "list", "--kind", "clozes")
    assert bad.exit_code == 2 and "'clozes' is not one of" in bad.output


def test_show_masks_a_cloze_then_fills_it_in(db_path: str) -> None:
    result = run(db_path, "show", "optim#adam/c2", "--width", "80")
    assert result.exit_code == 0, result.output
    text = result.stdout
    question = text.split("\nQuestion\n", 1)[1].split("\n\nAnswer\n", 1)[0]
    assert question == (
        "Adam keeps two moving averages of the gradient, **[its two moments]**, and divides by √v̂ₜ."
    )
    answer = text.split("\n\nAnswer\n", 1)[1].split("\n\n", 1)[0]
    assert answer == (
        "Adam keeps two moving averages of the gradient, **mₜ and vₜ**, and divides by √v̂ₜ."
    )
    assert "1. Extra\nKingma and Ba, 2015." in text
    assert "kind cloze" in text.splitlines()[1]
    # The title is masked too: c1's title is its question's text.
    assert (
        run(db_path, "show", "optim#adam/c1")
        .stdout.splitlines()[0]
        .startswith("**[…]** keeps two moving averages")
    )
    # The title's formulas are drawn, as in the app, not left as LaTeX.
    assert (
        run(db_path, "show", "optim#adam/c1").stdout.splitlines()[0].endswith("and divides by √v̂ₜ.")
    )


def test_show_a_question_only_card_says_there_is_no_written_answer(db_path: str) -> None:
    text = run(db_path, "show", "optim#adamw").stdout
    assert "1. Answer\nNo written answer: rate how well you answered aloud." in text
    assert "kind question only" in text


def test_show_json_names_kind_and_note(db_path: str) -> None:
    shown = json.loads(run(db_path, "show", "optim#relu/reverse", "--json").stdout)
    assert (shown["kind"], shown["note"]) == ("reversed", "optim#relu")
    cloze = json.loads(run(db_path, "show", "optim#adam/c1", "--json").stdout)
    # The stored text, markup and all (math drawn): what the format wrote.
    assert cloze["question"].startswith("{{c1::Adam}} keeps")
    assert (cloze["kind"], cloze["note"]) == ("cloze", "optim#adam")
