"""The card view: display formulas are drawn in threads, never on the event loop, so a card
full of math cannot freeze the screen; and invisible characters in card text are shown.

Drawing is held back deterministically: the test's ``draw`` blocks on an event the test
sets, and the test waits (with a bound, never a sleep) for the drawing thread to reach it.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from typing import ClassVar

import pytest
from textual.app import App, ComposeResult
from textual.binding import BindingType
from textual.widgets import Static

from quizapp.cards.model import Card, Step
from quizapp.tui.widgets import math_markdown
from quizapp.tui.widgets.card_view import CardView
from quizapp.tui.widgets.math_markdown import PREDRAWN, DisplayCache, MathBlock, MathMarkdown

from .conftest import settle

REAL_DRAW = math_markdown.draw


class HeldDraw:
    """A ``draw`` that records which thread calls it and blocks on one formula until
    released."""

    def __init__(self, held: str) -> None:
        self.held = held
        self.reached = threading.Event()
        self.release = threading.Event()
        self.on_loop: list[str] = []
        self.drawn: list[str] = []

    def __call__(self, latex: str, width: int) -> tuple[str, ...]:
        if threading.current_thread() is threading.main_thread():
            self.on_loop.append(latex)
        if latex == self.held:
            self.reached.set()
            self.release.wait(30)
        self.drawn.append(latex)
        return REAL_DRAW(latex, width)

    async def wait_until_reached(self) -> None:
        assert await asyncio.to_thread(self.reached.wait, 30), "the formula was never drawn"


class Host(App[None]):
    """A card view and one key that counts presses: is the event loop still answering?"""

    BINDINGS: ClassVar[list[BindingType]] = [("x", "count", "Count")]

    def __init__(self) -> None:
        super().__init__()
        self.presses = 0
        self.pressed = asyncio.Event()

    def compose(self) -> ComposeResult:
        yield CardView()

    def action_count(self) -> None:
        self.presses += 1
        self.pressed.set()

    async def answers_a_key(self) -> bool:
        """Press "x" without waiting for every widget to be idle (one is busy on purpose)
        and wait, with a bound, for the key's action to run."""
        self.pressed.clear()
        self.simulate_key("x")
        await asyncio.wait_for(self.pressed.wait(), 30)
        return True


def formula(index: int) -> str:
    return f"x_{{{index}}} = \\frac{{a_{{{index}}}}}{{b + {index}}}"


def card_with(count: int) -> Card:
    text = "\n\n".join(f"$${formula(index)}$$" for index in range(count))
    return Card(id="math", title="Math", question="Q?", steps=(Step(("Answer",), text),))


@pytest.fixture(autouse=True)
def fresh_cache(monkeypatch: pytest.MonkeyPatch) -> Iterator[DisplayCache]:
    cache = DisplayCache()
    monkeypatch.setattr(math_markdown, "DISPLAY_CACHE", cache)
    yield cache


def block_for(app: App[None], latex: str) -> MathBlock:
    """The block drawing ``latex`` (a run of formulas is one block)."""
    return next(block for block in app.query(MathBlock) if latex in block.latexes)


async def test_a_formula_drawn_by_the_worker_shows_its_source_until_drawn(
    monkeypatch: pytest.MonkeyPatch, fresh_cache: DisplayCache
) -> None:
    held = HeldDraw(formula(PREDRAWN + 3))  # past the ones drawn before mounting
    monkeypatch.setattr(math_markdown, "draw", held)
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.query_one(CardView).show_card(card_with(PREDRAWN + 8), None, 1)
        await held.wait_until_reached()
        await pilot.press("x", "x")
        assert app.presses == 2  # the loop answers while the worker is busy
        block = block_for(app, held.held)
        shown = block.render()
        assert held.held in str(shown).splitlines()  # its LaTeX source stands in, dim
        assert any(
            span.style == "dim" and str(shown)[span.start : span.end] == held.held
            for span in shown.spans
        )
        held.release.set()
        await settle(pilot)
        width = block.content_region.width
        drawn = fresh_cache.get(held.held, width)
        assert drawn is not None and len(drawn) > 1
        shown = block.render()
        assert "\n".join(drawn) in str(shown)
        assert not any(span.style == "dim" for span in shown.spans)
        assert block.size.height == len(block.rows(width)) == len(str(shown).splitlines())
    assert held.on_loop == []
    assert sorted(set(held.drawn)) == sorted(formula(index) for index in range(PREDRAWN + 8))


async def test_the_first_formulas_are_drawn_in_a_thread_before_mounting(
    monkeypatch: pytest.MonkeyPatch, fresh_cache: DisplayCache
) -> None:
    held = HeldDraw(formula(0))
    monkeypatch.setattr(math_markdown, "draw", held)
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(CardView)
        showing = asyncio.create_task(view.show_card(card_with(3), None, 1))
        await held.wait_until_reached()
        assert await app.answers_a_key()  # the step waits for its drawing; the loop does not
        assert list(app.query(MathBlock)) == []  # nothing mounted half-drawn
        held.release.set()
        await showing
        await settle(pilot)
        for index in range(3):
            block = block_for(app, formula(index))
            assert fresh_cache.get(formula(index), block.content_region.width) is not None
            assert "\\frac" not in str(block.render())
    assert held.on_loop == []


async def test_a_resize_redraws_in_the_worker(
    monkeypatch: pytest.MonkeyPatch, fresh_cache: DisplayCache
) -> None:
    held = HeldDraw("never held")
    monkeypatch.setattr(math_markdown, "draw", held)
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.query_one(CardView).show_card(card_with(2), None, 1)
        await settle(pilot)
        await pilot.resize_terminal(50, 24)
        await settle(pilot)
        block = block_for(app, formula(1))
        assert block.content_region.width < 70
        assert fresh_cache.get(formula(1), block.content_region.width) is not None
    assert held.on_loop == []


async def test_a_formula_the_renderer_fails_on_shows_its_source(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def failing(latex: str, width: int) -> tuple[str, ...]:
        raise RuntimeError("renderer bug")

    monkeypatch.setattr(math_markdown, "draw", failing)
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.query_one(CardView).show_card(card_with(1), None, 1)
        await settle(pilot)
        assert str(block_for(app, formula(0)).render()) == formula(0)
        assert app.is_running


async def test_formulas_on_consecutive_lines_stay_joined() -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        document = MathMarkdown()
        await app.query_one(CardView).mount(document)
        await document.update("$$a$$\n$$b$$\n\n$$c$$")
        await settle(pilot)
        (block,) = app.query(MathBlock)
        assert block.formulas == [("a", False), ("b", True), ("c", False)]
        width = block.content_region.width
        a, b, c = (math_markdown.display_math(latex, width) for latex in "abc")
        assert [line for line, _stand_in in block.rows(width)] == [*a, *b, "", *c]
        assert str(block.render()).splitlines() == [*a, *b, "", *c]
        assert not block.has_class("-joined")


async def test_a_run_of_formulas_is_one_block_drawn_as_separate_ones_were() -> None:
    """Formulas with only blank lines between them are one widget; anything between
    them, or another container, parts them."""
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        document = MathMarkdown()
        await app.query_one(CardView).mount(document)
        await document.update(
            "$$a$$\n\n\n$$b$$\n\nText.\n\n$$c$$\n\n- $$d$$\n\n- $$e$$\n\n  $$f$$\n"
        )
        await settle(pilot)
        runs = [block.latexes for block in app.query(MathBlock)]
        assert runs == [["a", "b"], ["c"], ["d"], ["e", "f"]]
        first = app.query(MathBlock).first()
        width = first.content_region.width
        a, b = (math_markdown.display_math(latex, width) for latex in "ab")
        assert first.size.height == len(a) + 1 + len(b)
        assert "Text." in str(app.query(CardView).first().query("CardParagraph").first().render())


async def test_format_characters_in_card_text_are_shown_as_escapes() -> None:
    hidden = "zero\u200bwidth, joiner\u200d, word\u2060joiner, tag\U000e0041"
    card = Card(
        id="hidden",
        title=f"Title {hidden}",
        question=f"Q {hidden}?",
        steps=(Step(("Answer",), f"A {hidden}."),),
    )
    app = Host()
    async with app.run_test(size=(120, 24)) as pilot:
        await app.query_one(CardView).show_card(card, None, 1)
        await settle(pilot)
        shown = "\n".join(str(static.render()) for static in app.query(Static))
        for char in ("\u200b", "\u200d", "\u2060", "\U000e0041"):
            assert char not in shown
        escaped = "zero\\u200bwidth, joiner\\u200d, word\\u2060joiner, tag\\U000e0041"
        assert shown.count(escaped) == 3  # title, question and step
