"""Home's deck and tag panels share the width by what their names need: at 120 columns no
name is shortened; at 80 columns, where the tags' five figure columns leave no room for
their names beside the decks, the panels show one at a time, each name whole (``g``
turns between them); the figures (recall, interview) are never cut. The welcome banner
is two lines that go once the first card is answered."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Static

from quizapp.services.importer import import_paths
from quizapp.services.settings import set_setting
from quizapp.services.study import StudySession
from quizapp.store.db import open_database
from quizapp.tui.screens.home import HomeScreen, split_width
from quizapp.tui.widgets.name_table import NameTable

from .conftest import NOW, AppFactory, fixed_clock, settle

#: (deck folder, tags): long deck and tag names, as a real collection has.
CARDS = [
    ("reinforcement-learning", "#ReinforcementLearning #Bandits"),
    ("distributed-training-systems", "#DistributedTraining #MLSystems"),
    ("probability", "#Probability #InformationTheory"),
    ("llm-inference", "#LLM #SpeculativeDecoding"),
]

CARD = """# {title}

## Question
What is {title}?

## Answer
It is {title}.

## Tags
{tags}

## Difficulty
Medium
"""


def _collection(tmp_path: Path, *, interview: bool, answered: int) -> Path:
    """A database of ``CARDS`` (imported), ``answered`` of them answered Easy at ``NOW``."""
    folder = tmp_path / "cards"
    for deck, tags in CARDS:
        (folder / deck).mkdir(parents=True)
        title = deck.replace("-", " ").title()
        (folder / deck / "card.md").write_text(CARD.format(title=title, tags=tags), "utf-8")
    path = tmp_path / "home.db"
    db = open_database(path, auto_backup=False)
    import_paths(db, [folder], now=NOW)
    if interview:
        set_setting(db, "interview_date", "2026-04-15", today=NOW.date())
    session = StudySession(db, clock=fixed_clock, zone=UTC)
    for _ in range(answered):
        assert session.next_card() is not None
        session.answer(4, 3000)
    db.close()
    return path


def _shown_names(table: NameTable) -> list[str]:
    return [str(table.get_row_at(row)[0]) for row in range(table.row_count)]


def _figures_whole(table: NameTable) -> None:
    """Every column of the table is inside the panel: nothing is cut at its right edge."""
    assert table.virtual_size.width <= table.scrollable_content_region.width
    labels = [column.label.plain for column in table.ordered_columns]
    for (label, width), column in zip(table.figures, table.ordered_columns[1:], strict=True):
        assert column.width == width and column.label.plain == label
    assert labels[0] in {"deck", "tag"}


async def test_at_120_columns_every_name_is_whole(tmp_path: Path, make_app: AppFactory) -> None:
    app = make_app(_collection(tmp_path, interview=True, answered=2))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        decks, tags = (
            app.screen.query_one("#decks", NameTable),
            app.screen.query_one("#tags", NameTable),
        )
        assert sorted(_shown_names(decks)) == sorted(deck for deck, _ in CARDS)
        assert sorted(_shown_names(tags)) == sorted(tags.full_names)
        assert "ReinforcementLearning" in _shown_names(tags)
        _figures_whole(decks)
        _figures_whole(tags)
        # The decks panel takes what its names need, the tags panel the rest of the row.
        assert decks.outer_size.width == decks.wanted_width()
        assert decks.outer_size.width + tags.outer_size.width == 120


async def test_at_80_columns_decks_and_tags_show_one_at_a_time_with_every_name_whole(
    tmp_path: Path, make_app: AppFactory
) -> None:
    """Tags beside five figure columns do not fit whole next to the decks at 80 columns:
    the panels show one at a time, each the full width, and ``g`` turns between them."""
    app = make_app(_collection(tmp_path, interview=True, answered=4))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, HomeScreen)
        decks, tags = (
            screen.query_one("#decks", NameTable),
            screen.query_one("#tags", NameTable),
        )
        assert decks.wanted_width() + tags.wanted_width() > 80
        assert screen.one_at_a_time
        assert decks.display and not tags.display
        assert decks.outer_size.width == 80
        assert str(decks.border_title) == "Decks · g tags"
        # The palette offers the switch too, while it does something.
        assert "Decks/Tags" in [c.title for c in app.get_system_commands(screen)]
        assert sorted(_shown_names(decks)) == sorted(deck for deck, _ in CARDS)
        _figures_whole(decks)

        await pilot.press("g")
        await settle(pilot)
        assert tags.display and not decks.display
        assert tags.outer_size.width == 80
        assert str(tags.border_title) == "Tags · g decks"
        assert sorted(_shown_names(tags)) == sorted(tags.full_names)
        assert "SpeculativeDecoding" in _shown_names(tags)
        _figures_whole(tags)
        assert [c.label.plain for c in tags.ordered_columns][1:] == [
            "cards",
            "due",
            "recall",
            "interview",
        ]
        recall = [str(tags.get_row_at(row)[3]) for row in range(tags.row_count)]
        assert "100%" in recall  # answered Easy a moment ago

        # Focus follows the panel that is shown; g turns back to the decks.
        tags.focus()
        await pilot.press("g")
        await settle(pilot)
        assert decks.display and not tags.display and decks.has_focus


async def test_wide_enough_again_the_panels_stand_side_by_side(
    tmp_path: Path, make_app: AppFactory
) -> None:
    app = make_app(_collection(tmp_path, interview=True, answered=2))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, HomeScreen) and screen.one_at_a_time
        await pilot.resize_terminal(120, 40)
        await settle(pilot)
        decks, tags = (
            screen.query_one("#decks", NameTable),
            screen.query_one("#tags", NameTable),
        )
        assert not screen.one_at_a_time
        assert decks.display and tags.display
        assert (str(decks.border_title), str(tags.border_title)) == ("Decks", "Tags")
        assert decks.outer_size.width + tags.outer_size.width == 120
        assert "Decks/Tags" not in [c.title for c in app.get_system_commands(screen)]
        # g does nothing while both are shown.
        await pilot.press("g")
        await settle(pilot)
        assert decks.display and tags.display


def test_split_width_gives_the_first_what_it_wants_when_both_fit() -> None:
    assert split_width(120, (40, 50), (30, 40)) == 40
    assert split_width(90, (40, 50), (30, 40)) == 40
    # Too narrow for both: in proportion, but never below either's least width.
    assert split_width(80, (40, 60), (30, 40)) == 32
    assert split_width(80, (70, 30), (30, 45)) == 35
    assert split_width(80, (20, 90), (30, 40)) == 30


async def test_welcome_is_two_lines_until_the_first_answer(
    tmp_path: Path, make_app: AppFactory
) -> None:
    app = make_app(_collection(tmp_path, interview=False, answered=0))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        welcome = app.screen.query_one("#welcome", Static)
        assert welcome.display and welcome.outer_size.height == 4  # two lines and a border
        assert str(welcome.render()).startswith("Welcome! 4 interview questions ready")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("space", "space", "3")
        await settle(pilot)
        await pilot.press("escape")  # the session's summary first, then back home
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert not app.screen.query_one("#welcome", Static).display


Snap = Callable[..., bool]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_home_snapshot(
    snap_compare: Snap, make_app: AppFactory, tmp_path: Path, size: tuple[int, int]
) -> None:
    app = make_app(_collection(tmp_path, interview=True, answered=3))

    async def run_before(pilot: Any) -> None:
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


def test_home_tags_at_80_columns_snapshot(
    snap_compare: Snap, make_app: AppFactory, tmp_path: Path
) -> None:
    """The tags panel, shown with ``g`` at 80 columns: every tag whole beside its figures."""
    app = make_app(_collection(tmp_path, interview=True, answered=3))

    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("g")
        await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


async def test_decks_are_listed_by_name_whatever_their_case(
    tmp_path: Path, make_app: AppFactory
) -> None:
    folder = tmp_path / "cards"
    for deck in ("Zeta notes", "alpha", "Beta", "beta/inner"):
        (folder / deck).mkdir(parents=True)
        (folder / deck / "card.md").write_text(CARD.format(title=deck, tags="#t"), "utf-8")
    path = tmp_path / "home.db"
    db = open_database(path, auto_backup=False)
    import_paths(db, [folder], now=NOW)
    db.close()
    app = make_app(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        names = _shown_names(app.screen.query_one("#decks", NameTable))
    assert names == ["alpha", "Beta", "beta/inner", "Zeta notes"]
