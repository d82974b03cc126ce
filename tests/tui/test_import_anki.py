"""The Import screen imports an Anki package through the same service as the command line
(issue 15): cards, history and the report."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.message import Message
from textual.widgets import Input

from quizapp.store.db import open_database
from quizapp.tui.screens.import_cards import ImportScreen

from .conftest import AppFactory, press_to, settle

pytest.importorskip("anki")


async def test_an_apkg_is_imported_from_the_import_screen(
    tmp_path: Path, make_app: AppFactory
) -> None:
    from interop.anki.packages import add, answer_rounds, export, new_collection

    built = new_collection(tmp_path / "anki")
    add(built, "one", "Basic", {"Front": "What is \\(e^0\\)?", "Back": "1"}, deck="Maths")
    add(built, "two", "Cloze", {"Text": "{{c1::Gradient}} descent"}, deck="Maths")
    answers = answer_rounds(built, rounds=2, gap_days=2)
    package = export(built, tmp_path / "maths.apkg")
    built.col.close()
    target = tmp_path / "empty.db"
    open_database(target, auto_backup=False).close()
    reported: list[ImportScreen.Reported] = []

    def hook(message: Message) -> None:
        if isinstance(message, ImportScreen.Reported) and all(m is not message for m in reported):
            reported.append(message)

    app = make_app(target)
    async with app.run_test(size=(120, 40), message_hook=hook) as pilot:
        await settle(pilot)
        screen = await press_to(pilot, "i", ImportScreen)
        screen.query_one("#import-path", Input).value = str(package)
        await pilot.press("ctrl+t")  # a dry run first: nothing written
        await settle(pilot)
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert [(m.report.new, m.report.ok, m.dry_run) for m in reported] == [
            (2, True, True),
            (2, True, False),
        ]
    database = open_database(target, auto_backup=False)
    try:
        history = database.answers.review_history()
    finally:
        database.close()
    assert sum(len(reviews) for reviews in history.values()) == answers
