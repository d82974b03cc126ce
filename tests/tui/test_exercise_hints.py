"""Two-level hints (issue 16): the first press shows the idea without the formula, the
second the step, and only then the card's derivation step it links to."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from textual.widgets import Collapsible, Static

from quizapp.cards.model import ExerciseSource
from quizapp.store.db import open_database
from quizapp.store.records import StoredCard
from quizapp.store.sqlite.card_repo import CardRepository
from quizapp.tui.screens.exercise import ExerciseScreen

from .conftest import AppFactory, settle

SPEC = """\
given:
  x: normal(2, 1)
compute:
  L: sum(x**2)
show: [L]
ask:
  - name: dx
    prompt: "∂L/∂x"
    answer: grad(L, x)
    step: "Output"
    hint: ["A square's slope grows with its argument.", "∂(x²)/∂x = 2x, entry by entry."]
"""


def _card(db_path: Path) -> StoredCard:
    db = open_database(db_path, auto_backup=False)
    stored = CardRepository(db).get("two-layer-gradients")
    db.close()
    assert stored is not None
    block = ExerciseSource(SPEC, line=1)
    return replace(stored, card=replace(stored.card, exercises=(block,)))


def _hint_text(screen: ExerciseScreen) -> list[str]:
    return [str(w.render()) for w in screen.query("#hint-body Static").results(Static)]


async def test_the_hint_shows_one_level_per_press(db_path: Path, make_app: AppFactory) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await app.push_screen(ExerciseScreen(_card(db_path), seed=3))
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ExerciseScreen)
        await pilot.press("ctrl+t")
        await settle(pilot)
        first = _hint_text(screen)
        assert first == ["A square's slope grows with its argument."]
        assert "^t again" in screen.query_one("#hint", Collapsible).title
        await pilot.press("ctrl+t")
        await settle(pilot)
        second = _hint_text(screen)
        assert second[:2] == [
            "A square's slope grows with its argument.",
            "∂(x²)/∂x = 2x, entry by entry.",
        ]
        assert any(text.startswith("From the card:") for text in second[2:])
        assert screen.query_one("#hint", Collapsible).title == "Hint"
