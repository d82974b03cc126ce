"""Text that named the wrong thing: the session-complete screen's keys and destination,
the command palette's duplicates, and Textual's scrolling keys in help."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from quizapp.tui.app import QuizApp
from quizapp.tui.screens.browse import BrowseScreen
from quizapp.tui.screens.help import HelpScreen
from quizapp.tui.screens.home import HomeScreen
from quizapp.tui.screens.review import ReviewScreen

from .conftest import AppFactory, press_to, settle, settle_until


def _footer_ids(app: QuizApp) -> set[str]:
    """The ids of the quizapp bindings the footer of the screen in front offers."""
    return {
        active.binding.id
        for active in app.screen.active_bindings.values()
        if active.binding.id and active.binding.show and active.enabled
    }


async def _finish(app: QuizApp, pilot: Pilot[Any], cards: int) -> ReviewScreen:
    """Answer ``cards`` cards Easy on the review screen in front; returns it, complete."""
    screen = app.screen
    assert isinstance(screen, ReviewScreen)
    for _ in range(cards):
        await pilot.press("a", "4")
        await settle(pilot)
    await settle_until(pilot, lambda: screen.complete, "the summary")
    return screen


async def test_session_complete_offers_undo_and_back_to_home(
    db_path: Path, make_app: AppFactory
) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle_until(pilot, lambda: isinstance(app.screen, ReviewScreen), "review")
        assert "review.rate_good" in {a.binding.id for a in app.screen.active_bindings.values()}
        assert "review.leave" in _footer_ids(app)
        screen = await _finish(app, pilot, 6)
        summary = str(screen.query_one("#summary-view", Static).render())
        assert "Session complete" in summary
        assert summary.rstrip().endswith("u undo the last answer · escape back to Home")
        footer = _footer_ids(app)
        assert {"review.undo", "review.back"} <= footer
        assert not {i for i in footer if i.startswith("review.")} - {"review.undo", "review.back"}
        assert "review.reveal" not in {a.binding.id for a in app.screen.active_bindings.values()}
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


async def test_a_session_started_in_browse_goes_back_to_browse(
    db_path: Path, make_app: AppFactory
) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        browse = await press_to(pilot, "b", BrowseScreen)
        browse.query_one("#browse-query", Input).value = "momentum"
        await settle(pilot)
        await pilot.press("enter", "S")  # the query submitted moves to the rows
        await settle_until(pilot, lambda: isinstance(app.screen, ReviewScreen), "cram")
        screen = await _finish(app, pilot, 1)
        summary = str(screen.query_one("#summary-view", Static).render())
        assert "escape back to Browse" in summary and "back home" not in summary
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is browse


async def test_the_palette_lists_each_command_once(db_path: Path, make_app: AppFactory) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        commands = list(app.get_system_commands(app.screen))
        titles = [command.title for command in commands]
        helps = {command.title: command.help for command in commands}
    assert len(titles) == len(set(titles)), titles
    assert "Go to Browse" in titles and "Browse" not in titles
    assert helps["Go to Browse"].endswith("(b)")  # the key that opens it, from home
    assert not {"Focus Next", "Focus Previous", "Scroll Up", "Page Down", "Keys"} & set(titles)
    assert titles.count("Quit") == 1 and "Theme" in titles


async def test_help_lists_quizapps_keys_not_textuals_scrolling(
    db_path: Path, make_app: AppFactory
) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle_until(pilot, lambda: isinstance(app.screen, ReviewScreen), "review")
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one(DataTable)
        rows = [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
        # Whole at 80 columns: no column runs past the dialog's edge.
        assert table.virtual_size.width <= table.scrollable_content_region.width
    described = {row[1] for row in rows}
    assert {"Next step", "Good", "End session", "Quit the app", "Command palette"} <= described
    for textual_key in ("Scroll Up", "Scroll Down", "Page Up", "Focus Next", "Copy selected text"):
        assert textual_key not in described
    assert all(row[2] for row in rows if row[1] not in {"Quit the app", "Command palette"})


async def test_review_footer_and_hint_fit_80_columns(db_path: Path, make_app: AppFactory) -> None:
    """Every footer key is whole at 80 columns; the exercise, formula drill and show-all
    keys, which did not fit there, are named in the line under the card (which wraps, never
    cut)."""
    from textual.widgets import Footer

    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        browse = await press_to(pilot, "b", BrowseScreen)
        browse.query_one("#browse-query", Input).value = '"two-layer"'
        await settle(pilot)
        await pilot.press("enter", "S")  # the query submitted moves to the rows
        await settle_until(pilot, lambda: isinstance(app.screen, ReviewScreen), "cram")
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and screen.turn is not None
        assert screen.turn.has_exercise
        hint = screen.query_one("#answer-hint", Static)
        assert screen.turn.has_drills
        shown = str(hint.render())
        assert "e: exercise · f: formula drills" in shown and "a: show all" in shown
        await pilot.press("space")
        await settle(pilot)
        text = str(hint.render())
        assert text.endswith(
            "e: exercise · f: formula drills"
        ) and hint.content_region.height * 78 >= len(text)
        footer = screen.query_one(Footer)
        keys = list(footer.query("FooterKey"))
        assert keys and all(key.region.right <= footer.region.right for key in keys)
        assert footer.virtual_size.width <= footer.size.width  # nothing scrolled out of view
