"""The formula drill screen (issue 18): opened with ``f`` in review, a card's equations
one at a time, a wrong answer diagnosed, reveal and skip, and the suggested rating sent
back to the review as its answer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from quizapp.cards.parser import parse_text
from quizapp.store.db import open_database
from quizapp.store.records import StoredCard
from quizapp.tui.screens.drill import DrillScreen
from quizapp.tui.screens.review import ReviewScreen
from quizapp.tui.widgets.answer_box import AnswerBox

from .conftest import AppFactory, settle, settle_until

CARD = """\
# Sigmoid Facts

## Question
What are the sigmoid and its gradient step?

## Answer

### Forward

The activation squashes the pre-activation:

$$a = \\sigma(z)$$

### Backward

The error goes back through the weights:

$$g = W^T \\delta$$
"""


def _card(db_path: Path) -> StoredCard:
    db = open_database(db_path, auto_backup=False)
    stored = db.cards.get("two-layer-gradients")
    db.close()
    assert stored is not None
    [card] = parse_text(CARD, path="sigmoid.md", default_id="sigmoid").cards
    return replace(stored, card=card)


async def _open(pilot: Pilot[Any], db_path: Path, results: list[int | None]) -> DrillScreen:
    await settle(pilot)
    await pilot.app.push_screen(DrillScreen(_card(db_path)), results.append)
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, DrillScreen)
    return screen


def _shown(screen: DrillScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def _submit(pilot: Pilot[Any], screen: DrillScreen, text: str) -> None:
    box = screen.query_one("#drill-answer", AnswerBox)
    box.value = text
    await pilot.press("enter")
    await settle(pilot)


async def test_drills_are_answered_diagnosed_and_rated(db_path: Path, make_app: AppFactory) -> None:
    app = make_app(db_path)
    results: list[int | None] = []
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot, db_path, results)
        assert "1 of 2" in _shown(screen, "#drill-title")
        assert _shown(screen, "#drill-heading") == "Forward"
        assert _shown(screen, "#drill-symbols") == "symbols: z"  # no `z = z`
        await _submit(pilot, screen, r"-\sigma(z)")
        verdict = _shown(screen, "#drill-verdict")
        assert "✗ incorrect" in verdict
        assert "The sign is flipped." in verdict
        await _submit(pilot, screen, r"\frac{1}{1 + e^{-z}")
        assert "cannot read" in _shown(screen, "#drill-verdict")
        assert "not counted as a wrong try" in _shown(screen, "#drill-verdict")
        await _submit(pilot, screen, "1 / (1 + exp(-z))")
        assert _shown(screen, "#drill-verdict").startswith("✓ drill 1 of 2: correct")
        title = _shown(screen, "#drill-title")
        assert "2 of 2" in title
        assert "checked with matrices too" in title
        await _submit(pilot, screen, r"\delta W^T")
        assert "The product's factors are in the wrong order." in _shown(screen, "#drill-verdict")
        await pilot.press("ctrl+r")
        await settle(pilot)
        # The reveal is drawn as math (W with a superscript T), not LaTeX source.
        assert _shown(screen, "#drill-verdict") == "drill 2 of 2, revealed: g = Wᵀ δ"
        summary = _shown(screen, "#drill-summary")
        assert "2 drills · 2 wrong tries · 1 revealed" in summary
        assert "Suggested rating: 1 Again" in summary
        await pilot.press("3")
        await settle(pilot)
    assert results == [3]


async def test_right_at_once_suggests_easy_and_enter_accepts(
    db_path: Path, make_app: AppFactory
) -> None:
    app = make_app(db_path)
    results: list[int | None] = []
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot, db_path, results)
        await _submit(pilot, screen, r"\sigma(z)")
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert "Suggested rating: 4 Easy" in _shown(screen, "#drill-summary")
        await pilot.press("enter")
        await settle(pilot)
    assert results == [4]


async def test_the_answer_box_sits_under_the_drill_on_a_tall_screen(
    db_path: Path, make_app: AppFactory
) -> None:
    """No blank gap between the question and where it is answered: the answer box comes
    right after the symbols line, whatever the terminal's height."""
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot, db_path, [])
        symbols = screen.query_one("#drill-symbols", Static)
        box = screen.query_one("#drill-answer", AnswerBox)
        assert box.region.y == symbols.region.bottom


async def test_escape_leaves_without_a_rating(db_path: Path, make_app: AppFactory) -> None:
    app = make_app(db_path)
    results: list[int | None] = []
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot, db_path, results)
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert "2 of 2" in _shown(screen, "#drill-title")
        await pilot.press("escape")
        await settle(pilot)
    assert results == [None]


async def test_f_in_review_opens_the_cards_drills(db_path: Path, make_app: AppFactory) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle_until(
            pilot,
            lambda: isinstance(app.screen, ReviewScreen) and app.screen.turn is not None,
            "the review shows a card",
        )
        await pilot.press("f")
        await settle(pilot)
        assert isinstance(app.screen, DrillScreen)
        shown = str(app.screen.query_one("#drill-title", Static).render())
        assert "Formula drills" in shown or "no formula" in shown


async def test_a_formula_recall_session_opens_each_cards_drills(
    db_path: Path, make_app: AppFactory
) -> None:
    from textual.widgets import Switch

    from quizapp.tui.dialogs.custom_session import CustomSessionDialog

    app = make_app(db_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, CustomSessionDialog)
        dialog.query_one("#text", Input).value = "Two-Layer"
        dialog.query_one("#formula-recall", Switch).value = True
        dialog.query_one("#cram", Switch).value = True
        await pilot.press("ctrl+s")
        await settle_until(pilot, lambda: isinstance(app.screen, DrillScreen), "drills open")
        screen = app.screen
        assert isinstance(screen, DrillScreen)
        review = app.screen_stack[-2]
        assert isinstance(review, ReviewScreen)
        assert review.request.formula_recall
        assert review.request.describe().startswith("formula recall (cram)")
        await settle(pilot)
        assert "Formula drills · Gradients of a Two-Layer Network" in _shown(screen, "#drill-title")
        await pilot.press("ctrl+r")
        await settle(pilot)
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert "Suggested rating: 1 Again" in _shown(screen, "#drill-summary")
        await pilot.press("enter")
        await settle(pilot)
        assert review.adapter is not None
        assert review.adapter.ratings == [1]
        # Again in cram brings the card back, and with it its drills, afresh.
        assert isinstance(app.screen, DrillScreen)
        assert app.screen is not screen


Snap = Callable[..., bool]
SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@pytest.mark.parametrize("size", SIZES)
def test_drill_screen_snapshot(
    snap_compare: Snap, make_app: AppFactory, db_path: Path, size: tuple[int, int]
) -> None:
    """A wrong answer to the second drill, diagnosed, with the formula drawn as math."""

    async def run_before(pilot: Pilot[Any]) -> None:
        screen = await _open(pilot, db_path, [])
        await _submit(pilot, screen, r"\sigma(z)")
        await _submit(pilot, screen, r"\delta W^T")
        screen.query_one("#drill-answer", AnswerBox).cursor_blink = False
        await pilot.pause()

    assert snap_compare(make_app(db_path), terminal_size=size, run_before=run_before)
