"""The Import screen's problems wrap instead of running off the table, and an error clears
the previous run's results and progress bar."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, ProgressBar, Static

from quizapp.store.db import open_database
from quizapp.tui.screens.import_cards import ImportScreen

from .conftest import FIXTURES, AppFactory, press_to, settle

BROKEN = """# A card without any question section at all

## Answer

Something.
"""


def _deck(tmp_path: Path) -> Path:
    """The fixture cards, and one broken card with a long path in a long-named folder."""
    folder = tmp_path / "deck"
    shutil.copytree(FIXTURES / "cards", folder)
    nested = folder / "a-rather-long-folder-name-for-the-deck"
    nested.mkdir()
    (nested / "broken-card-with-a-long-file-name.md").write_text(BROKEN, encoding="utf-8")
    return folder


def _empty_db(tmp_path: Path) -> Path:
    path = tmp_path / "empty.db"
    open_database(path, auto_backup=False).close()
    return path


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_problems_wrap_to_the_tables_width(
    tmp_path: Path, make_app: AppFactory, size: tuple[int, int]
) -> None:
    folder = _deck(tmp_path)
    app = make_app(_empty_db(tmp_path))
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        screen = await press_to(pilot, "i", ImportScreen)
        screen.query_one("#import-path", Input).value = str(folder)
        await pilot.press("ctrl+t")
        await settle(pilot)
        problems: DataTable[object] = screen.query_one("#import-problems", DataTable)
        assert problems.row_count == 1
        message = str(problems.get_row_at(0)[0])
        assert message.endswith(
            'no "## Question" section after "# A card without any question section at all"'
        )
        # The row is as tall as the wrapped message needs, and nothing scrolls sideways.
        width = problems.ordered_columns[0].width
        assert len(message) > width  # long enough to need wrapping at this size
        assert problems.ordered_rows[0].height >= -(-len(message) // width)
        assert problems.virtual_size.width <= problems.scrollable_content_region.width
        assert not problems.show_horizontal_scrollbar


async def test_before_any_run_the_empty_problem_table_fits_at_80_columns(
    tmp_path: Path, make_app: AppFactory
) -> None:
    """No sideways scrollbar under an empty problem table: its column fits the table."""
    app = make_app(_empty_db(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = await press_to(pilot, "i", ImportScreen)
        await settle(pilot)
        problems: DataTable[object] = screen.query_one("#import-problems", DataTable)
        assert problems.row_count == 0
        assert problems.virtual_size.width <= problems.scrollable_content_region.width
        assert not problems.show_horizontal_scrollbar


async def test_problems_rewrap_when_the_terminal_grows(
    tmp_path: Path, make_app: AppFactory
) -> None:
    folder = _deck(tmp_path)
    app = make_app(_empty_db(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = await press_to(pilot, "i", ImportScreen)
        screen.query_one("#import-path", Input).value = str(folder)
        await pilot.press("ctrl+t")
        await settle(pilot)
        problems: DataTable[object] = screen.query_one("#import-problems", DataTable)
        narrow = problems.ordered_rows[0].height
        await pilot.resize_terminal(200, 40)
        await settle(pilot)
        assert problems.ordered_columns[0].width > 100
        assert problems.ordered_rows[0].height < narrow


async def test_an_error_clears_the_previous_run(tmp_path: Path, make_app: AppFactory) -> None:
    folder = _deck(tmp_path)
    app = make_app(_empty_db(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = await press_to(pilot, "i", ImportScreen)
        path = screen.query_one("#import-path", Input)
        path.value = str(folder)
        await pilot.press("ctrl+t")
        await settle(pilot)
        await pilot.press("ctrl+r")
        await settle(pilot)
        summary = screen.query_one("#import-summary", DataTable)
        bar = screen.query_one(ProgressBar)
        assert summary.row_count > 0 and bar.display
        assert screen.query_one("#import-problems", DataTable).row_count == 1

        path.value = str(tmp_path / "nowhere")
        await pilot.press("ctrl+t")
        await settle(pilot)
        state = str(screen.query_one("#import-state", Static).render())
        assert state == f"{tmp_path / 'nowhere'}: no such file or folder"
        assert summary.row_count == 0
        assert screen.query_one("#import-problems", DataTable).row_count == 0
        assert not bar.display
        # The old dry run no longer stands for anything: importing asks for a new one.
        path.value = str(folder)
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert "dry run" in str(screen.query_one("#import-state", Static).render()).casefold()
