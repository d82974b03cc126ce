"""``quizapp export`` and exercise attempts on PostgreSQL give what they give on SQLite.

The export reads the same cards and answers from a ``copy-db`` copy of a studied SQLite
collection, and writes an Anki package whose notes, card schedules and review log are the
same; ``quizapp exercise`` stores its attempt on PostgreSQL and prints what it prints on
SQLite, and the attempts read back equal.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from datetime import UTC
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from studied_history import LATER, build_history

from quizapp.cli import cli
from quizapp.services import anki_export
from quizapp.store.db import Database, open_database, run_sql
from quizapp.store.records import CardFilter
from quizapp.store.transfer import copy_database

EXERCISE_CARD = r"""# Square and Double

## Question
For $L = \sum x^2$ and $M = 2L$, find both gradients.

## Answer

### Gradients
Each square's slope grows with its argument.

$$\frac{\partial L}{\partial x} = 2x, \qquad \frac{\partial M}{\partial x} = 4x$$

```exercise
title: Square and double
given:
  x: normal(2, 1)
compute:
  L: sum(x**2)
  M: 2 * L
ask:
  - name: dx
    prompt: "∂L/∂x (2×1)"
    answer: grad(L, x)
  - name: dMx
    prompt: "∂M/∂x (2×1)"
    answer: grad(M, x)
```

## Tags
#Calculus
"""


def run(target: str | Path, *args: str, typed: str | None = None) -> Result:
    return CliRunner().invoke(cli, ["--db", str(target), "--no-bundled", *args], input=typed)


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_history(tmp_path_factory.mktemp("history") / "history.db")


@pytest.fixture
def copied(history: Path, postgres_url: str) -> Iterator[tuple[Database, Database]]:
    """The studied collection on SQLite and its copy on PostgreSQL."""
    copy_database(history, postgres_url)
    sqlite = open_database(history, auto_backup=False)
    postgres = open_database(postgres_url, auto_backup=False)
    yield sqlite, postgres
    sqlite.close()
    postgres.close()


@pytest.mark.parametrize(
    "chosen",
    [
        CardFilter(),
        CardFilter(tags=("stats",)),
        CardFilter(deck="maths", difficulties=("easy", "hard")),
    ],
)
def test_an_export_reads_the_same_cards_and_answers(
    copied: tuple[Database, Database], chosen: CardFilter
) -> None:
    sqlite, postgres = copied
    cards = sqlite.exports.cards(chosen)
    assert postgres.exports.cards(chosen) == cards
    reviews = sqlite.exports.reviews(chosen)
    assert postgres.exports.reviews(chosen) == reviews
    assert cards and sum(len(answers) for answers in reviews.values()) > 20
    assert sqlite.problems == postgres.problems == []


def test_a_damaged_review_log_is_reported_and_skipped_alike(
    copied: tuple[Database, Database],
) -> None:
    sqlite, postgres = copied
    ((log, pk),) = run_sql(postgres, "SELECT id, card_id FROM review_logs WHERE id = 5")
    run_sql(postgres, "UPDATE review_logs SET state_after = '[1, 2]' WHERE id = 5")
    reviews = postgres.exports.reviews()
    assert log not in [answer.id for answer in reviews[pk]]
    assert len(postgres.problems) == 1
    assert postgres.problems[0].startswith(f"review log {log} of card {pk}: ")
    assert len(reviews[pk]) == len(sqlite.exports.reviews()[pk]) - 1


def _package(package: Path) -> dict[str, Any]:
    """What Anki reads from ``package``: notes' fields, cards' schedules, the review log."""
    from anki.collection import (
        Collection,
        ImportAnkiPackageOptions,
        ImportAnkiPackageRequest,
    )

    col = Collection(str(package.with_suffix(".anki2")))
    try:
        options = ImportAnkiPackageOptions(with_scheduling=True, with_deck_configs=True)
        col.import_anki_package(
            ImportAnkiPackageRequest(package_path=str(package), options=options)
        )
        db = col.db
        assert db is not None
        return {
            "notes": sorted(tuple(col.get_note(nid).fields) for nid in col.find_notes("")),
            "cards": db.all(
                "SELECT n.sfld, c.type, c.queue, c.due, c.ivl, c.factor, c.reps, c.lapses"
                " FROM cards c JOIN notes n ON n.id = c.nid ORDER BY n.sfld"
            ),
            "revlog": db.all(
                "SELECT id, ease, ivl, lastIvl, factor, time, type FROM revlog ORDER BY id"
            ),
            "decks": sorted(deck.name for deck in col.decks.all_names_and_ids()),
        }
    finally:
        col.close()


def test_the_export_command_writes_the_same_package(
    copied: tuple[Database, Database],
    history: Path,
    postgres_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pytest.importorskip("anki")
    fixed = functools.partial(anki_export.export_anki, now=LATER, zone=UTC)
    monkeypatch.setattr(anki_export, "export_anki", fixed)
    written = {}
    for name, target in (("sqlite", history), ("postgres", postgres_url)):
        out = tmp_path / f"{name}.apkg"
        result = run(target, "export", str(out), "--with-history", "--json")
        assert result.exit_code == 0, result.output
        report = json.loads(result.output)
        assert report.pop("path") == str(out)
        written[name] = (report, _package(out))
    assert written["postgres"] == written["sqlite"]
    report, package = written["postgres"]
    assert report["cards"] == len(package["notes"]) == 27
    assert len(package["revlog"]) == report["reviews"] > 200


def test_an_exercise_attempt_is_stored_and_read_back_alike(
    tmp_path: Path, postgres_url: str
) -> None:
    cards = tmp_path / "cards"
    cards.mkdir()
    (cards / "square.md").write_text(EXERCISE_CARD, encoding="utf-8")
    outputs = {}
    attempts = {}
    for name, target in (("sqlite", str(tmp_path / "q.db")), ("postgres", postgres_url)):
        assert run(target, "import", str(cards)).exit_code == 0
        answered = run(
            target, "exercise", "square", "--seed", "5", "--answer", "dx=2*x", "--answer", "dMx=x"
        )
        prompted = run(target, "exercise", "square", "--seed", "7", typed="2*x\n!\n")
        assert answered.exit_code == prompted.exit_code == 0, answered.output + prompted.output
        outputs[name] = (answered.output, prompted.output.split("Exercise done")[0])
        database = open_database(target, auto_backup=False)
        try:
            stored = database.cards.get("square")
            assert stored is not None
            attempts[name] = [
                {
                    key: value
                    for key, value in attempt.to_dict().items()
                    if key not in ("started_at", "duration_ms")  # the real clock's
                }
                for attempt in database.exercises.attempts_for(stored.pk)
            ]
        finally:
            database.close()
    assert outputs["postgres"] == outputs["sqlite"]
    assert attempts["postgres"] == attempts["sqlite"]
    newest, oldest = attempts["postgres"]
    assert (newest["seed"], oldest["seed"]) == (7, 5)
    assert newest["revealed"] == ["dMx"] and oldest["suggested_rating"] < 4


def test_a_seed_beyond_postgresql_s_column_is_one_line_and_stores_nothing(
    tmp_path: Path, postgres_url: str
) -> None:
    cards = tmp_path / "cards"
    cards.mkdir()
    (cards / "square.md").write_text(EXERCISE_CARD, encoding="utf-8")
    assert run(postgres_url, "import", str(cards)).exit_code == 0
    seed = str(2**31)
    result = run(postgres_url, "exercise", "square", "--seed", seed, "--answer", "dx=2*x")
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == (
        f"quizapp: error: the attempt was not saved: seed {seed} is larger than a PostgreSQL"
        " collection stores (up to 2,147,483,647); use a smaller --seed"
    )
    database = open_database(postgres_url, auto_backup=False)
    try:
        assert run_sql(database, "SELECT count(*) FROM exercise_attempts") == [(0,)]
    finally:
        database.close()
