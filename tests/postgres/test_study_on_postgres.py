"""Studying on PostgreSQL end to end: a study session through the services, the home
screen's counts (read through the queue, never the SQLite fast path), the study app
itself driven by Pilot, and the CLI's study commands on a ``postgresql+psycopg://`` URL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from quizapp.cli import cli
from quizapp.services.overview import peek_today_counts, today_counts
from quizapp.services.study import StudySession
from quizapp.store.db import Database, open_database, run_sql
from quizapp.store.transfer import copy_database

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

CARD = """# {title}

## Question

What is fact {n}?

## Answer

Fact {n} is {n}.

## Tags

{tag}

## Difficulty

{difficulty}
"""

TITLES = ["Chain Rule", "Bayes Rule", "Gradient Descent", "Softmax"]


def run(url: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", url, "--no-bundled", *args])


@pytest.fixture
def collection(tmp_path: Path, postgres_url: str) -> str:
    """A PostgreSQL collection of four new cards, imported into SQLite and copied across."""
    cards = tmp_path / "cards"
    cards.mkdir()
    for n, title in enumerate(TITLES):
        text = CARD.format(
            title=title,
            n=n,
            tag="calculus" if n % 2 == 0 else "probability",
            difficulty="easy" if n < 2 else "hard",
        )
        (cards / f"card-{n}.md").write_text(text, encoding="utf-8")
    source = tmp_path / "source.db"
    imported = run(str(source), "import", str(cards))
    assert imported.exit_code == 0, imported.output
    copy_database(source, postgres_url)
    return postgres_url


@pytest.fixture
def database(collection: str) -> Iterator[Database]:
    opened = open_database(collection)
    yield opened
    opened.close()


def test_a_session_on_postgresql_answers_buries_and_undoes(database: Database) -> None:
    session = StudySession(database, clock=lambda: NOW, zone=UTC)
    assert (session.progress().new, session.progress().review) == (4, 0)
    first = session.next_card()
    assert first is not None
    session.answer(3, 2000)
    assert [log.rating for log in database.answers.reviews_of(first.pk)] == [3]
    assert session.progress().new == 3
    undone = session.undo()
    assert undone is not None
    assert database.answers.reviews_of(first.pk) == []
    assert session.progress().new == 4
    shown = session.next_card()
    assert shown is not None
    session.bury()
    assert session.progress().new == 3
    shown = session.next_card()
    assert shown is not None
    session.suspend()
    assert session.progress().new == 2


def test_the_home_screen_counts_come_from_the_queue_not_a_sqlite_file(
    collection: str, database: Database
) -> None:
    assert peek_today_counts(collection, NOW, UTC) is None  # a URL has no file to peek at
    counts = today_counts(database, clock=lambda: NOW, zone=UTC)
    assert (counts.new, counts.learning, counts.review) == (4, 0, 0)


async def test_the_study_app_opens_on_postgresql_and_stores_an_answer(
    collection: str, tmp_path: Path
) -> None:
    from tui.conftest import MessageLog, settle, settle_until

    from quizapp.tui.app import QuizApp
    from quizapp.tui.screens.home import HomeScreen
    from quizapp.tui.screens.review import ReviewScreen
    from quizapp.tui.widgets.card_view import CardView

    app = QuizApp(
        collection,
        clock=lambda: NOW,
        zone=UTC,
        config_dir=tmp_path / "config",
        seed=7,
        first_run_import=False,
    )
    log = MessageLog()
    async with app.run_test(size=(100, 30), message_hook=log) as pilot:
        await settle_until(pilot, lambda: bool(log.of(HomeScreen.TodayLoaded)), "home's counts")
        # Counted through the queue repository: the SQLite file peek has nothing to read.
        assert log.of(HomeScreen.TodayPeeked) == []
        (loaded,) = log.of(HomeScreen.TodayLoaded)
        assert (loaded.today.new, loaded.today.learning, loaded.today.review) == (4, 0, 0)
        await pilot.press("enter")
        await settle_until(
            pilot, lambda: isinstance(app.screen, ReviewScreen), "the review screen opened"
        )
        card = app.screen.query_one(CardView).card
        assert card is not None and card.title in TITLES
        await pilot.press("space")
        await pilot.press("3")
        await settle(pilot)
    stored = open_database(collection)
    try:
        rows = run_sql(
            stored,
            "SELECT c.title, r.rating FROM review_logs r JOIN cards c ON c.id = r.card_id",
        )
    finally:
        stored.close()
    assert rows == [(card.title, 3)]


def test_optimize_runs_on_postgresql(collection: str, database: Database) -> None:
    session = StudySession(database, clock=lambda: NOW, zone=UTC)
    for _ in range(3):
        assert session.next_card() is not None
        session.answer(3, 1000)
    result = run(collection, "optimize")
    assert result.exit_code == 0, result.output
    assert "error" not in result.output
