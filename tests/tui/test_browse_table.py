"""Browse's table: ``o`` sorts by the column under the column cursor, the title takes the
free width at any terminal size, and the search box's example finds cards in the bundled deck."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Static

from quizapp.cards.kinds import display_title
from quizapp.content import import_bundled_deck
from quizapp.services.query import browse_page, parse_query
from quizapp.store.db import open_database
from quizapp.tui.screens.browse import EXAMPLE_QUERY, BrowseScreen
from quizapp.tui.widgets.card_table import COLUMNS, TITLE_MIN, CardTable, fit_columns

from .conftest import NOW, AppFactory, press_to, settle


def _status(screen: BrowseScreen) -> str:
    return str(screen.query_one("#status-line", Static).render())


async def test_o_sorts_by_the_column_under_the_column_cursor(
    db_path: Path, make_app: AppFactory
) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = await press_to(pilot, "b", BrowseScreen)
        table = screen.query_one(CardTable)
        assert table.cursor_key == "title" and "by title ▲" in _status(screen)
        await pilot.press("down")  # from the query box to the rows
        await pilot.press("left")  # already at the first column: stays
        assert table.cursor_key == "title"
        steps = [c.key for c in table.shown_columns].index("difficulty")
        await pilot.press(*["right"] * steps)
        assert table.cursor_key == "difficulty"
        assert table.sort_key == "title"  # moving the cursor does not sort by itself
        await pilot.press("o")
        await settle(pilot)
        diffs = [stored.card.difficulty for stored in screen.shown]
        assert diffs == ["easy", "easy", "medium", "medium", "hard", "hard"]
        assert "by difficulty ▲" in _status(screen)
        assert table.columns["difficulty"].label.plain == "diff▲"  # type: ignore[index]
        assert table.columns["title"].label.plain == "title"  # type: ignore[index]
        await pilot.press("o")  # the same column again: descending
        await settle(pilot)
        diffs = [stored.card.difficulty for stored in screen.shown]
        assert diffs == ["hard", "hard", "medium", "medium", "easy", "easy"]
        assert "by difficulty ▼" in _status(screen)
        # The rows on screen follow: the first row is a hard card's.
        first = table.get_row_at(0)
        assert first[[c.key for c in table.shown_columns].index("difficulty")].plain == "hard"


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (200, 50)])
async def test_title_takes_the_free_width(
    db_path: Path, make_app: AppFactory, size: tuple[int, int]
) -> None:
    app = make_app(db_path)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        screen = await press_to(pilot, "b", BrowseScreen)
        table = screen.query_one(CardTable)
        await settle(pilot)
        # Nothing scrolls sideways, and no width is left over but the vertical scrollbar's.
        assert table.size.width == size[0]
        spare = table.scrollable_content_region.width - table.virtual_size.width
        assert spare == table.styles.scrollbar_size_vertical == 1
        assert not table.show_horizontal_scrollbar
        assert table.title_width >= TITLE_MIN
        if size[0] >= 200:
            assert [c.key for c in table.shown_columns] == [c.key for c in COLUMNS]
            assert table.title_width > 60


async def test_a_wider_terminal_shows_the_dropped_columns_filled_in(
    db_path: Path, make_app: AppFactory
) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = await press_to(pilot, "b", BrowseScreen)
        table = screen.query_one(CardTable)
        assert "deck" not in [c.key for c in table.shown_columns]
        await pilot.resize_terminal(200, 40)
        await settle(pilot)
        keys = [c.key for c in table.shown_columns]
        assert "deck" in keys and table.row_count == len(screen.shown) == 6
        decks = {table.get_row_at(i)[keys.index("deck")].plain for i in range(table.row_count)}
        assert decks == {stored.card.deck for stored in screen.shown} and "" not in decks


async def test_at_80_columns_the_highlighted_cards_title_and_tags_are_whole_under_the_table(
    db_path: Path, make_app: AppFactory
) -> None:
    """The title and tags columns cut long ones at 80 columns; the lines under the table
    show the highlighted card's in full."""
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = await press_to(pilot, "b", BrowseScreen)
        table = screen.query_one(CardTable)
        long_row = next(
            row
            for row, stored in enumerate(screen.shown)
            if len(stored.card.title) > table.title_width
        )
        assert table.columns["title"].width < len(screen.shown[long_row].card.title)  # type: ignore[index]
        table.move_cursor(row=long_row)
        await settle(pilot)
        box = screen.query_one("#browse-card", Static)
        card = screen.shown[long_row].card
        title, details = str(box.render()).split("\n")
        assert title.strip() == display_title(card)
        assert details.strip() == f"deck {card.deck} · tags {' '.join(card.tags)}"
        assert box.size.width >= max(len(title.strip()), len(details.strip()))


def test_columns_drop_least_useful_first() -> None:
    wide, title = fit_columns(300)
    assert len(wide) == len(COLUMNS) and title > 100
    narrow, title = fit_columns(77)
    assert [c.key for c in narrow] == ["title", "tags", "difficulty", "state", "due"]
    assert title == 77 - (16 + 6 + 9 + 8) - 2 * 5
    medium, title = fit_columns(117)
    assert "lapses" not in [c.key for c in medium] and title >= TITLE_MIN


def test_the_example_query_finds_cards_in_the_bundled_deck(tmp_path: Path) -> None:
    db = open_database(tmp_path / "bundled.db", auto_backup=False)
    try:
        import_bundled_deck(db)
        page = browse_page(db, parse_query(EXAMPLE_QUERY), now=NOW, limit=5)
    finally:
        db.close()
    assert page.total >= 1, EXAMPLE_QUERY


async def test_the_search_box_shows_the_example(db_path: Path, make_app: AppFactory) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = await press_to(pilot, "b", BrowseScreen)
        box = screen.query_one("#browse-query", Input)
        assert EXAMPLE_QUERY in box.placeholder
        assert len(box.placeholder) <= box.content_region.width  # whole at 80 columns
