"""The exercise's answer box and keys (issue 17): the prompt names the ask and what an
answer may use; a wrong answer stays selected; Up/Down recall earlier inputs; a refused
answer is reported once and is not a wrong try; hint and reveal work from inside the box;
finished exercises drop their hint/reveal footer entries."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Static

from quizapp.cards.model import ExerciseSource
from quizapp.store.db import open_database
from quizapp.store.records import StoredCard
from quizapp.store.sqlite.card_repo import CardRepository
from quizapp.tui.screens.exercise import ExerciseScreen
from quizapp.tui.widgets.answer_box import AnswerBox

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
    hint: "A square's slope grows with its argument."
"""


def _card(db_path: Path) -> StoredCard:
    db = open_database(db_path, auto_backup=False)
    stored = CardRepository(db).get("two-layer-gradients")
    db.close()
    assert stored is not None
    block = ExerciseSource(SPEC, line=1)
    return replace(stored, card=replace(stored.card, exercises=(block,)))


async def _open(pilot: Pilot[Any], db_path: Path) -> ExerciseScreen:
    await settle(pilot)
    await pilot.app.push_screen(ExerciseScreen(_card(db_path), seed=3))
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ExerciseScreen)
    return screen


async def _submit(pilot: Pilot[Any], text: str) -> None:
    """Type ``text`` (replacing a selection) and check it."""
    await pilot.press(*text)
    await pilot.press("enter")
    await settle(pilot)


def _box(screen: ExerciseScreen) -> AnswerBox:
    return screen.query_one("#answer", AnswerBox)


def _shown(screen: ExerciseScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def test_the_prompt_names_the_ask_and_the_usable_names(
    db_path: Path, make_app: AppFactory
) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot, db_path)
        prompt = _shown(screen, "#prompt")
        assert "∂L/∂x = ?" in prompt
        assert "answer dx" in prompt
        assert "you can use: x, L" in prompt
        assert "(dx)" in _shown(screen, "#asks")


async def test_a_wrong_answer_stays_selected_and_typing_replaces_it(
    db_path: Path, make_app: AppFactory
) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot, db_path)
        await _submit(pilot, "3*x")
        box = _box(screen)
        assert "incorrect" in _shown(screen, "#verdict")
        assert box.value == "3*x"
        assert screen.focused is box
        assert (box.selection.start, box.selection.end) in ((0, 3), (3, 0))
        await pilot.press("4")
        assert box.value == "4"


async def test_up_and_down_recall_earlier_inputs(db_path: Path, make_app: AppFactory) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot, db_path)
        await _submit(pilot, "3*x")
        await _submit(pilot, "4*x")
        box = _box(screen)
        await pilot.press("5")  # a draft replacing the selected wrong answer
        await pilot.press("up")
        assert box.value == "4*x"
        await pilot.press("up")
        assert box.value == "3*x"
        await pilot.press("up")  # the oldest stays
        assert box.value == "3*x"
        await pilot.press("down")
        assert box.value == "4*x"
        await pilot.press("down")
        assert box.value == "5"
        assert box.cursor_position == 1


async def test_a_refused_answer_is_reported_once_and_not_counted(
    db_path: Path, make_app: AppFactory
) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot, db_path)
        await _submit(pilot, "foo")
        verdict = _shown(screen, "#verdict")
        assert verdict.count("unknown name") == 1
        assert "not counted" in verdict
        await _submit(pilot, "3*x")
        await _submit(pilot, "2*x")
        await settle(pilot)
        summary = _shown(screen, "#summary")
        assert "1 wrong try" in summary
        assert screen.attempt is not None
        assert screen.attempt.suggested_rating == 2  # one real wrong try: Hard


async def test_hint_and_reveal_keys_work_in_the_box_and_leave_the_footer_after(
    db_path: Path, make_app: AppFactory
) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot, db_path)
        actions = {b.binding.action for b in screen.active_bindings.values()}
        assert {"hint", "reveal"} <= actions
        assert screen.focused is _box(screen)
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert not screen.query_one("#hint").has_class("hidden")
        assert _box(screen).value == ""  # nothing typed into the box
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert "(revealed)" in _shown(screen, "#verdict")
        assert screen.attempt is not None
        actions = {b.binding.action for b in screen.active_bindings.values()}
        assert "hint" not in actions
        assert "reveal" not in actions


async def test_h_and_r_work_when_the_box_is_not_focused(
    db_path: Path, make_app: AppFactory
) -> None:
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot, db_path)
        screen.set_focus(None)
        await pilot.press("h")
        await settle(pilot)
        assert not screen.query_one("#hint").has_class("hidden")
        await pilot.press("r")
        await settle(pilot)
        assert screen.attempt is not None
