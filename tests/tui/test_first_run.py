"""The first run: a new database gets the bundled deck, and later first runs are seeded
from the starter copy the first one kept, with the same home screen (issue 17)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual.widgets import Static

from quizapp import bundled_starter
from quizapp.content import bundled_deck_dir
from quizapp.starter_copy import copy_path
from quizapp.tui.messages import DatabaseReady
from quizapp.tui.screens.home import HomeScreen

from .conftest import AppFactory, MessageLog, settle


def _text(screen: HomeScreen, panel: str) -> str:
    content = screen.query_one(panel, Static).render()
    return str(getattr(content, "plain", content))


async def _first_run(make_app: AppFactory, db: Path) -> tuple[str, str, str | None]:
    """Open the app on the new file ``db``: (Today panel, welcome line, the welcome the
    app was told about)."""
    log = MessageLog()
    app = make_app(db, first_run_import=True)
    async with app.run_test(size=(120, 40), message_hook=log) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, HomeScreen)
        today, welcome = _text(screen, "#today"), _text(screen, "#welcome")
    ready = log.of(DatabaseReady)
    assert ready
    return today, welcome, ready[0].welcome


async def test_later_first_runs_are_seeded_and_look_the_same(
    make_app: AppFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without a shipped starter database (content edited since it was built) the first
    run imports the deck and keeps a copy in the cache folder for the next."""
    monkeypatch.setenv("QUIZAPP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(bundled_starter, "SHIPPED_FOLDER", tmp_path / "nothing-shipped")
    assert not copy_path(bundled_deck_dir()).exists()

    imported = await _first_run(make_app, tmp_path / "first.db")
    assert copy_path(bundled_deck_dir()).is_file()  # the starter copy for next time
    seeded = await _first_run(make_app, tmp_path / "second.db")

    assert seeded == imported
    today, welcome, told = seeded
    cards = int(re.search(r"(\d+) interview questions", welcome).group(1))  # type: ignore[union-attr]
    assert cards > 100
    assert told == f"Imported the bundled deck: {cards} cards."
    assert re.match(r"\d+ to study · new \d+", today)
    assert not (tmp_path / "second-backups").exists()  # made seconds ago: nothing to keep


async def test_the_first_run_after_installing_is_seeded_from_the_shipped_database(
    make_app: AppFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing cached yet: the shipped starter database gives the same home screen as an
    import, and nothing is imported (so nothing is cached)."""
    monkeypatch.setenv("QUIZAPP_CACHE_DIR", str(tmp_path / "cache"))
    shipped = await _first_run(make_app, tmp_path / "shipped.db")
    assert not (tmp_path / "cache").exists()
    monkeypatch.setattr(bundled_starter, "SHIPPED_FOLDER", tmp_path / "nothing-shipped")
    imported = await _first_run(make_app, tmp_path / "imported.db")
    assert shipped == imported
    assert not (tmp_path / "shipped-backups").exists()
