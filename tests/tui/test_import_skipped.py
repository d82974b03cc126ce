"""The Import screen counts the skipped files (not card files) and lists them on ctrl+o."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from textual.message import Message
from textual.widgets import DataTable, Input

from quizapp.store.db import open_database
from quizapp.tui.screens.import_cards import ImportScreen

from .conftest import FIXTURES, AppFactory, press_to, settle


def cells(table: DataTable[Any]) -> list[str]:
    """Every row of a table, its cells joined by a space."""
    return [
        " ".join(str(cell) for cell in table.get_row_at(index)) for index in range(table.row_count)
    ]


async def test_skipped_files_are_counted_and_listed_on_demand(
    tmp_path: Path, make_app: AppFactory
) -> None:
    folder = tmp_path / "deck"
    shutil.copytree(FIXTURES / "cards", folder)
    (folder / "meeting-notes.md").write_text("# Monday\n\nNothing to learn.\n", encoding="utf-8")
    (folder / "todo.md").write_text("", encoding="utf-8")
    empty = tmp_path / "empty.db"
    open_database(empty, auto_backup=False).close()
    reported: list[ImportScreen.Reported] = []

    def hook(message: Message) -> None:
        # Called for each pump the message reaches while it bubbles: count it once.
        if isinstance(message, ImportScreen.Reported) and all(m is not message for m in reported):
            reported.append(message)

    app = make_app(empty)
    async with app.run_test(size=(120, 40), message_hook=hook) as pilot:
        await settle(pilot)
        screen = await press_to(pilot, "i", ImportScreen)
        screen.query_one("#import-path", Input).value = str(folder)
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert [m.report.skipped for m in reported] == [2]
        summary = cells(screen.query_one("#import-summary", DataTable))
        assert "skipped files 2" in summary
        assert [row for row in summary if "read as" in row] == ["  read as native 6"]
        state = str(screen.query_one("#import-state").render())
        assert "2 files skipped (no cards; ctrl+o lists them)" in state
        problems = screen.query_one("#import-problems", DataTable)
        assert not any("skipped:" in row for row in cells(problems))

        await pilot.press("ctrl+o")
        await pilot.pause()
        listed = [row for row in cells(problems) if row.startswith("skipped:")]
        assert listed == [
            "skipped: meeting-notes.md: no cards found (not a card file)",
            "skipped: todo.md: no cards found (empty file)",
        ]

        await pilot.press("ctrl+o")
        await pilot.pause()
        assert not any("skipped:" in row for row in cells(problems))

        await pilot.press("ctrl+r")
        await settle(pilot)
        assert [m.report.skipped for m in reported] == [2, 2]
        assert "2 files skipped" in str(screen.query_one("#import-state").render())


async def test_a_folder_without_any_card_file_says_where_the_layouts_are_shown(
    tmp_path: Path, make_app: AppFactory
) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "meeting-notes.md").write_text("# Monday\n\nNothing to learn.\n", encoding="utf-8")
    empty = tmp_path / "empty.db"
    open_database(empty, auto_backup=False).close()
    app = make_app(empty)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = await press_to(pilot, "i", ImportScreen)
        screen.query_one("#import-path", Input).value = str(folder)
        await pilot.press("ctrl+t")
        await settle(pilot)
        state = str(screen.query_one("#import-state").render())
    assert "1 file skipped: none is in a layout quizapp detects (docs/formats.md" in state
