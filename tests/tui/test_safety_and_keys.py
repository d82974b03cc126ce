"""Terminal safety with a hostile card, key remapping, the command palette, and helpers."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from quizapp.tui.keymap import KeymapError, parse_keymap
from quizapp.tui.literal import literal, visible
from quizapp.tui.screens.review import ReviewScreen
from quizapp.tui.widgets.card_view import CardView
from quizapp.tui.widgets.math_markdown import MathMarkdown

from .conftest import AppFactory, MessageLog, press_to, settle


def test_visible_escapes_controls_and_bidi_but_keeps_layout() -> None:
    text = "a\x1b[2Jb\x07c\u202ed\ttab\nline\r\x9b"
    assert visible(text) == "a\\x1b[2Jb\\x07c\\u202ed\ttab\nline\\x0d\\x9b"
    assert literal("[bold]x[/]").plain == "[bold]x[/]"
    assert literal("[bold]x[/]").spans == []


async def test_hostile_card_never_styles_links_or_controls_the_screen(
    hostile_db_path: Path, make_app: AppFactory
) -> None:
    app = make_app(hostile_db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        screen = await press_to(pilot, "a", ReviewScreen)
        view = screen.query_one(CardView)
        title = str(view.query_one("#card-title", Static).render())
        assert "[bold red]Card[/]" in title
        assert "\\x1b[2J" in title and "\x1b" not in title
        question = view.query_one("#card-question", MathMarkdown)
        shown = " ".join(str(block.render()) for block in question.query(Static))
        assert "[@click=app.quit]here[/]" in shown
        assert "[link=file:///etc/passwd]this link[/link]" in shown
        assert "\\x1b]52;c;" in shown and "\\u202e" in shown
        assert "\x1b" not in shown and "\u202e" not in shown
        # Clicking the would-be action link does nothing: the app keeps running.
        await pilot.click(MathMarkdown, offset=(8, 0))
        await settle(pilot)
        assert app.is_running
        screenshot = app.export_screenshot()
        assert "\x1b" not in screenshot and "\u202e" not in screenshot
    assert app.return_code in (None, 0)


def test_keymap_file_parsing() -> None:
    assert parse_keymap('[keymap]\n"review.reveal" = "j"\n') == {"review.reveal": "j"}
    with pytest.raises(KeymapError, match=r"keymap\.toml"):
        parse_keymap("[keymap\n")
    with pytest.raises(KeymapError, match=r"review\.reveal"):
        parse_keymap('[keymap]\n"review.reveal" = 3\n')


async def test_remapped_key_reveals_and_shows_in_help(
    db_path: Path, make_app: AppFactory, tmp_path: Path
) -> None:
    config = tmp_path / "config"
    config.mkdir()
    (config / "keymap.toml").write_text('[keymap]\n"review.reveal" = "j"\n', encoding="utf-8")
    app = make_app(db_path, config_dir=config)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        view = app.screen.query_one(CardView)
        await pilot.press("space")  # no longer bound
        await settle(pilot)
        assert view.revealed == 0
        await pilot.press("j")
        await settle(pilot)
        assert view.revealed == 1
        from quizapp.tui.screens.help import binding_rows

        rows = {binding_id: keys for keys, _, binding_id in binding_rows(app.screen)}
        assert rows["review.reveal"] == "j"


async def test_bad_keymap_is_reported_not_fatal(
    db_path: Path, make_app: AppFactory, tmp_path: Path
) -> None:
    config = tmp_path / "config"
    config.mkdir()
    (config / "keymap.toml").write_text("[keymap\n", encoding="utf-8")
    app = make_app(db_path, config_dir=config)
    log = MessageLog()
    async with app.run_test(size=(100, 30), message_hook=log) as pilot:
        await settle(pilot)
        assert any("keymap.toml" in note for note in log.notifications), log.notifications


async def test_every_screen_action_is_in_the_command_palette(
    db_path: Path, make_app: AppFactory
) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        titles = {command.title for command in app.get_system_commands(app.screen)}
    assert {
        "Next step",
        "Show all",
        "Undo",
        "End session",
        "Suspend",
        "Bury",
        "Related",
        "Edit source",
        "Go to Browse",
        "Go to Statistics",
    } <= titles


async def test_a_file_that_is_not_a_database_ends_the_app_with_its_reason(
    tmp_path: Path, make_app: AppFactory
) -> None:
    bad = tmp_path / "notes.db"
    bad.write_text("these are not the tables you are looking for\n" * 20, encoding="utf-8")
    app = make_app(bad)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
    assert app.return_code == 2  # as the command line's --db errors
    assert app.startup_error is not None and "notes.db" in app.startup_error
    assert app.db is None
