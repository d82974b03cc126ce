"""Pilot tests of browse, import, settings and the exercise screen, checked in the database."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, Input

from quizapp.store.db import open_database, run_sql
from quizapp.tui.screens.browse import BrowseScreen
from quizapp.tui.screens.exercise import ExerciseScreen
from quizapp.tui.screens.import_cards import ImportScreen
from quizapp.tui.screens.review import ReviewScreen
from quizapp.tui.screens.settings import SettingsScreen

from .conftest import CARDS, AppFactory, press_to, settle


def rows(db_path: Path, sql: str) -> list[tuple[object, ...]]:
    db = open_database(db_path, auto_backup=False)
    try:
        return run_sql(db, sql)
    finally:
        db.close()


async def test_browse_query_filters_the_table(db_path: Path, make_app: AppFactory) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = await press_to(pilot, "b", BrowseScreen)
        assert len(screen.shown) == 6
        await pilot.press("slash")
        assert screen.focused is screen.query_one("#browse-query", Input)
        await pilot.press(*"tag:reg")
        screen.query_one("#browse-query", Input).value = "tag:regularisation -difficulty:easy"
        await settle(pilot)
        assert [stored.card.title for stored in screen.shown] == ["L2 Penalty"]
        assert screen.query_one(DataTable).row_count == 1

        screen.query_one("#browse-query", Input).value = "is:new difficulty:hard"
        await settle(pilot)
        assert sorted(s.card.title for s in screen.shown) == [
            "Bias and Variance",
            "Gradients of a Two-Layer Network",
        ]
        screen.query_one("#browse-query", Input).value = "colour:red"
        await settle(pilot)
        status = str(screen.query_one("#status-line").render())
        assert "unknown field 'colour:'" in status


async def test_browse_takes_a_query_typed_at_once(db_path: Path, make_app: AppFactory) -> None:
    """Typed straight away, letters search (s, o, m are the rows' keys once there)."""
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = await press_to(pilot, "b", BrowseScreen)
        await pilot.press(*"momentum")
        await settle(pilot)
        assert screen.query_one("#browse-query", Input).value == "momentum"
        assert [stored.card.title for stored in screen.shown] == ["Momentum"]
        assert rows(db_path, "SELECT count(*) FROM cards WHERE suspended") == [(0,)]
        await pilot.press("down")
        assert screen.focused is screen.query_one(DataTable)
        await pilot.press("s")
        await settle(pilot)
        assert rows(db_path, "SELECT title FROM cards WHERE suspended") == [("Momentum",)]


async def test_browse_suspend_and_study_these(db_path: Path, make_app: AppFactory) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = await press_to(pilot, "b", BrowseScreen)
        screen.query_one("#browse-query", Input).value = "momentum"
        await settle(pilot)
        screen.query_one(DataTable).focus()
        await pilot.press("s")
        await settle(pilot)
        assert rows(db_path, "SELECT title FROM cards WHERE suspended") == [("Momentum",)]
        screen.query_one("#browse-query", Input).value = "tag:optimisation -is:suspended"
        await settle(pilot)
        review = await press_to(pilot, "S", ReviewScreen)
        assert review.turn is not None
        assert review.turn.stored.card.title == "L2 Penalty"


async def test_browse_reset_makes_the_card_new(db_path: Path, make_app: AppFactory) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # review the first card due, then go back
        await settle(pilot)
        review = app.screen
        assert isinstance(review, ReviewScreen) and review.turn is not None
        title = review.turn.stored.card.title
        await pilot.press("a", "3")
        await settle(pilot)
        await app.action_go("browse")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, BrowseScreen)
        screen.query_one("#browse-query", Input).value = "-is:new"
        await settle(pilot)
        assert [s.card.title for s in screen.shown] == [title]
        screen.query_one(DataTable).focus()
        await pilot.press("R")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert rows(
            db_path,
            f"SELECT s.reps FROM card_states s JOIN cards c ON c.id = s.card_id "
            f"WHERE c.title = '{title}'",
        ) == [(0,)]
        assert rows(db_path, "SELECT count(*) FROM review_logs") == [(1,)]
        assert screen.shown == []  # the query is read again: no card is answered now


async def test_browse_reads_rows_page_by_page(
    db_path: Path, make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("quizapp.tui.screens.browse.PAGE_SIZE", 4)
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = await press_to(pilot, "b", BrowseScreen)
        assert len(screen.shown) == 4 and screen.total == 6
        assert "m for more" in str(screen.query_one("#status-line").render())
        await pilot.press("down", "m")  # to the rows (the query box takes letters), more
        await settle(pilot)
        assert len(screen.shown) == 6
        assert screen.query_one(DataTable).row_count == 6
        titles = [s.card.title.casefold() for s in screen.shown]
        assert titles == sorted(titles)


async def test_import_screen_adds_the_cards(
    tmp_path: Path, make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    from quizapp.store.db import open_database as fresh

    empty = tmp_path / "empty.db"
    fresh(empty, auto_backup=False).close()
    monkeypatch.chdir(CARDS.parent)
    app = make_app(empty)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = await press_to(pilot, "i", ImportScreen)
        screen.query_one("#import-path", Input).value = str(CARDS)
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert rows(empty, "SELECT count(*) FROM cards") == [(0,)]  # a dry run writes nothing
        assert "Dry run: 6 new" in str(screen.query_one("#import-state").render())
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert "Imported: 6 new" in str(screen.query_one("#import-state").render())
    assert rows(empty, "SELECT count(*) FROM cards") == [(6,)]


async def test_settings_persist_across_a_restart(db_path: Path, make_app: AppFactory) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = await press_to(pilot, "comma", SettingsScreen)
        screen.query_one("#setting-desired_retention", Input).value = "0.85"
        screen.query_one("#setting-new_cards_per_day", Input).value = "5"
        screen.query_one("#setting-interview_date", Input).value = "2026-04-01"
        screen.query_one("#setting-learning_steps", Input).value = "2m 15m"
        await pilot.press("ctrl+s")
        await settle(pilot)
        app.theme = "nord"
        await settle(pilot)

    again = make_app(db_path)
    async with again.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert again.theme == "nord"
        screen = await press_to(pilot, "comma", SettingsScreen)
        values = {
            key: screen.query_one(f"#setting-{key}", Input).value
            for key in (
                "desired_retention",
                "new_cards_per_day",
                "interview_date",
                "learning_steps",
            )
        }
    assert values == {
        "desired_retention": "0.85",
        "new_cards_per_day": "5",
        "interview_date": "2026-04-01",
        "learning_steps": "2m 15m",
    }


async def test_bad_setting_is_named_and_not_saved(db_path: Path, make_app: AppFactory) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = await press_to(pilot, "comma", SettingsScreen)
        screen.query_one("#setting-desired_retention", Input).value = "1.5"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "desired_retention" in str(screen.query_one("#error-desired_retention").render())
    assert rows(db_path, "SELECT value FROM settings WHERE key = 'desired_retention'") == []


async def test_exercise_screen_stores_the_attempt_and_rating(
    db_path: Path, make_app: AppFactory
) -> None:
    from quizapp.store.sqlite.card_repo import CardRepository

    db = open_database(db_path, auto_backup=False)
    stored = CardRepository(db).get("two-layer-gradients")
    db.close()
    assert stored is not None
    app = make_app(db_path)
    results: list[int | None] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await app.push_screen(ExerciseScreen(stored, seed=3), results.append)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ExerciseScreen)
        answers = [
            "yhat - y",  # the spec's own mistake: a wrong try
            "(yhat - y) * yhat * (1 - yhat)",
            "delta2 @ a1.T",
            "(W2.T @ delta2) * a1 * (1 - a1)",
            "delta1 @ x.T",
            "delta1",
        ]
        for text in answers:
            field = screen.query_one("#answer", Input)
            field.value = text
            await pilot.press("enter")
            await settle(pilot)
        assert screen.attempt is not None
        assert screen.attempt.suggested_rating == 2  # corrections were needed: Hard
        await pilot.press("4")  # the learner overrides the suggestion
        await settle(pilot)
    assert results == [4]
    stored_rows = rows(
        db_path,
        "SELECT seed, suggested_rating, json_extract(attempt, '$.rating') FROM exercise_attempts",
    )
    assert stored_rows == [(3, 2, 4)]
