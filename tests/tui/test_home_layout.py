"""Home's deck and tag panels share the width by what their names need: at 120 columns no
name is shortened, at 80 columns the figures (recall, interview) are never cut; and the
welcome banner is two lines that go once the first card is answered."""

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


async def test_at_80_columns_recall_and_interview_are_whole(
    tmp_path: Path, make_app: AppFactory
) -> None:
    app = make_app(_collection(tmp_path, interview=True, answered=4))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        decks, tags = (
            app.screen.query_one("#decks", NameTable),
            app.screen.query_one("#tags", NameTable),
        )
        _figures_whole(decks)
        _figures_whole(tags)
        assert [c.label.plain for c in tags.ordered_columns][1:] == [
            "cards",
            "due",
            "recall",
            "interview",
        ]
        recall = [str(tags.get_row_at(row)[3]) for row in range(tags.row_count)]
        assert "100%" in recall  # answered Easy a moment ago
        assert decks.outer_size.width + tags.outer_size.width == 80


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
