"""The exercise screen's layout (issue 17) on the bundled deck's widest exercise, the
attention card: givens packed by measured width with every matrix whole, a sideways
scroll when one matrix alone is too wide, a name both given and shown drawn once, and a
hint panel that shows only the current ask's part of the card step, folds, and never
pushes the answer box off an 80x24 screen."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.content import Content
from textual.pilot import Pilot
from textual.widgets import Collapsible, Input, Static

from quizapp.services.importer import import_paths
from quizapp.store.db import open_database
from quizapp.store.records import StoredCard
from quizapp.store.sqlite.card_repo import CardRepository
from quizapp.tui.screens.exercise import ExerciseScreen
from quizapp.tui.widgets.givens import Givens, join_rows, pack, value_block
from quizapp.tui.widgets.math_markdown import MathBlock

from .conftest import AppFactory, settle

CONTENT = Path(__file__).parents[2] / "content"
ATTENTION = CONTENT / "architectures" / "attention.md"
SOFTMAX = CONTENT / "probability" / "softmax-stability.md"

Snap = Callable[..., bool]


@pytest.fixture(scope="module")
def deck_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database of two bundled cards: attention (the widest exercise) and softmax
    stability (whose ``show`` repeats a given)."""
    folder = tmp_path_factory.mktemp("deck")
    for source in (ATTENTION, SOFTMAX):
        shutil.copy(source, folder / source.name)
    path = folder / "deck.db"
    db = open_database(path, auto_backup=False)
    report = import_paths(db, [folder])
    assert report.ok, report.errors
    db.close()
    return path


def _stored(db_path: Path, card_id: str) -> StoredCard:
    db = open_database(db_path, auto_backup=False)
    stored = CardRepository(db).get(card_id)
    db.close()
    assert stored is not None
    return stored


async def _open(pilot: Pilot[Any], db_path: Path, card_id: str = "attention") -> ExerciseScreen:
    await settle(pilot)
    await pilot.app.push_screen(ExerciseScreen(_stored(db_path, card_id), seed=7))
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ExerciseScreen)
    return screen


def _givens_lines(screen: ExerciseScreen) -> list[str]:
    rendered = screen.query_one("#givens-text", Static).render()
    assert isinstance(rendered, Content)
    return rendered.plain.split("\n")


# ----------------------------------------------------------------- packing, pure


def test_pack_puts_as_many_blocks_per_row_as_fit() -> None:
    assert pack([10, 10, 10, 10], available=36, gap=3) == [[0, 1, 2], [3]]
    assert pack([10, 10, 10, 10], available=35, gap=3) == [[0, 1], [2, 3]]
    assert pack([10, 10], available=100, gap=3) == [[0, 1]]


def test_a_block_wider_than_the_space_gets_a_row_alone() -> None:
    assert pack([5, 50, 5], available=20, gap=3) == [[0], [1], [2]]


def test_join_rows_keeps_each_block_whole_and_side_by_side() -> None:
    a = value_block("A", ["⎡ 1  2 ⎤", "⎣ 3  4 ⎦", "2×2"])
    b = value_block("b", ["7.0000", "scalar"])
    text = join_rows([a, b], available=40, gap=3).plain.split("\n")
    assert text == ["A  2×2     b  scalar", "⎡ 1  2 ⎤   7.0000", "⎣ 3  4 ⎦"]


# ----------------------------------------------------------------- the screen


@pytest.mark.parametrize("width", [80, 120])
async def test_attention_givens_are_whole_matrices_packed_by_width(
    deck_db: Path, make_app: AppFactory, width: int
) -> None:
    app = make_app(deck_db)
    async with app.run_test(size=(width, 40)) as pilot:
        screen = await _open(pilot, deck_db)
        givens = screen.query_one("#values", Givens)
        rows = givens.block_rows
        # Q K V G dk S A O: more than one per row, fewer rows on the wider screen.
        assert sum(len(row) for row in rows) == 8
        assert len(rows) == (3 if width == 80 else 2)
        lines = _givens_lines(screen)
        # Every matrix row is drawn whole on one line: its brackets open and close there.
        for line in lines:
            assert line.count("⎡") == line.count("⎤")
            assert line.count("⎢") == line.count("⎥")
            assert line.count("⎣") == line.count("⎦")
            assert len(line) <= givens.size.width
        assert givens.max_scroll_x == 0
        # The asks line keeps each ask whole: its prompt and its name on one line.
        asks = screen.query_one("#asks", Static).render()
        assert isinstance(asks, Content)
        for prompt, name in [("∂L/∂Q (3×2)", "dQ"), ("∂L/∂K (3×2)", "dK"), ("∂L/∂S (3×3)", "dS")]:
            assert any(f"{prompt} ({name})" in line for line in asks.plain.split("\n"))


async def test_a_matrix_wider_than_the_screen_scrolls_sideways(
    deck_db: Path, make_app: AppFactory
) -> None:
    app = make_app(deck_db)
    async with app.run_test(size=(24, 40)) as pilot:
        screen = await _open(pilot, deck_db)
        givens = screen.query_one("#values", Givens)
        assert all(len(row) == 1 for row in givens.block_rows)
        lines = _givens_lines(screen)
        # S (3×3) is 33 cells wide: whole on its lines, the panel scrolls to show it.
        assert any(line.startswith("⎡  0.28317  -0.13150   0.07582 ⎤") for line in lines)
        assert givens.max_scroll_x > 0


async def test_a_name_both_given_and_shown_is_drawn_once(
    deck_db: Path, make_app: AppFactory
) -> None:
    app = make_app(deck_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot, deck_db, "softmax-stability")
        assert screen.session is not None
        instance = screen.session.instance
        repeated = set(instance.given) & set(instance.shown)
        assert repeated  # the card's show lists one of its givens
        heads = [line.split() for line in _givens_lines(screen)]
        for name in repeated:
            assert sum(line.count(name) for line in heads) == 1


async def test_the_hint_shows_the_current_asks_part_of_the_step_only(
    deck_db: Path, make_app: AppFactory
) -> None:
    app = make_app(deck_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot, deck_db)
        await pilot.press("ctrl+t", "ctrl+t")
        await settle(pilot)
        statics = [str(w.render()) for w in screen.query("#hint-body Static").results(Static)]
        assert "From the card: Gradients of V and A" in statics
        formulas = [
            latex
            for block in screen.query("#hint-body MathBlock").results(MathBlock)
            for latex in block.latexes
        ]
        # ∂L/∂V's equation is there; ∂L/∂A's, from the same formula, is asked next: cut.
        assert formulas == [r"\frac{\partial L}{\partial V} = A^T G \quad (m \times d_v)"]


async def test_the_hint_panel_folds_and_keeps_the_answer_box_on_an_80x24_screen(
    deck_db: Path, make_app: AppFactory
) -> None:
    app = make_app(deck_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot, deck_db)
        hint = screen.query_one("#hint", Collapsible)
        box = screen.query_one("#answer", Input)
        assert not hint.display
        await pilot.press("ctrl+t", "ctrl+t")
        await settle(pilot)
        assert hint.display and not hint.collapsed
        assert box.has_focus
        region = box.region
        assert region.height == 1 and 0 <= region.y < 24 - 1  # above the footer
        # All levels are shown: the key now folds the panel, and unfolds it again.
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert hint.collapsed
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert not hint.collapsed
        # A right answer moves on: the panel goes with the ask.
        box.value = "A.T @ G"
        await pilot.press("enter")
        await settle(pilot)
        assert screen.session is not None and screen.session.is_settled("dV")
        assert not hint.display


# ----------------------------------------------------------------- snapshots

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@pytest.mark.parametrize("size", SIZES)
def test_attention_exercise_snapshot(
    snap_compare: Snap, make_app: AppFactory, deck_db: Path, size: tuple[int, int]
) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await _open(pilot, deck_db)
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False
        await pilot.pause()

    assert snap_compare(make_app(deck_db), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_attention_exercise_with_its_hint_snapshot(
    snap_compare: Snap, make_app: AppFactory, deck_db: Path, size: tuple[int, int]
) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await _open(pilot, deck_db)
        await pilot.press("ctrl+t", "ctrl+t")
        await settle(pilot)
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False
        await pilot.pause()

    assert snap_compare(make_app(deck_db), terminal_size=size, run_before=run_before)
