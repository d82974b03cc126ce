"""The largest legal cards: how long showing one stalls the TUI, and ``quizapp show``.

Issue 12 found that 5,000 display formulas in one step froze the TUI for about 60 s and
that ``show`` of a card with 40,000 inline formulas took 26 s. Cards are now capped
(``quizapp/cards/limits.py``: blocks, formulas and characters per card) and formulas are
drawn in threads, so the goal is that no legal card stalls the event loop for more than
100 ms.

Each card below is built to sit exactly at the limits in one dimension (the parser
accepts it; one more block, formula or character would be refused): paragraphs, list
items, display formulas, inline formulas, characters, steps, table rows, and display
formulas of the longest legal LaTeX. Each is shown in a headless Textual app holding the
review screen's card view (100×40), every step revealed, and then blurred and focused,
scrolled to its end and resized to 90×30, with a coroutine on the event loop measuring
the longest gap between its 1 ms sleeps: the longest time the loop could not answer a
key; the baseline is the same for a one-line card. ``quizapp show`` draws every formula in
the process; it is measured as
``render_markdown_math`` over the card's question and steps.

What a long card costs on the loop is Textual's styling and layout of its widgets: the
card view mounts a document's blocks and the revealed steps a few widgets at a time, on
turns of their own (``MathMarkdown.update``, ``CardView._mount_steps``), and lists take one
widget fewer per item (``markdown_lists.py``), so what is left is the layout of the whole
card when the terminal is resized. Python's cyclic garbage collector can stop the loop
too, at any moment and for any card: the longest full collection seen while each card was
shown is reported beside the stall, so that a stall made by the collector can be told
from one made by the card.
"""

from __future__ import annotations

import asyncio
import gc
import time
from collections.abc import Iterator

from bench.parts.common import guarded, machine_speed, speed_text, verdict
from bench.report import Row, fmt_s

PART = "cards"
FIGURES = [
    ("worst legal card in the TUI: longest event-loop stall", "≤ 100 ms"),
    ("quizapp show of the worst legal card (every formula drawn)", "≤ 1 s"),
]
SIZE = (100, 40)


def bench_cards(smoke: bool) -> list[Row]:
    """The two figures over every kind of largest legal card."""
    return guarded(PART, FIGURES, lambda: _run(smoke))


def _card(answer: str, question: str = "Q?") -> object:
    from quizapp.cards import parse_text

    parsed = parse_text(f"# Big\n\n## Question\n\n{question}\n\n## Answer\n\n{answer}\n")
    if not parsed.ok:  # the generator and the limits disagree: say so, do not measure
        raise ValueError(f"not a legal card: {parsed.errors[0]}")
    return parsed.cards[0]


def _fraction(index: int, terms: int) -> str:
    parts = [f"\\frac{{a_{{{index},{k}}}^2}}{{\\sqrt{{b_{{{k}}} + c}}}}" for k in range(terms)]
    return f"x_{{{index}}} = " + " + ".join(parts)


def worst_cards(smoke: bool) -> Iterator[tuple[str, object]]:
    """(kind, card) for each kind of largest legal card."""
    from quizapp.cards import limits

    blocks = 12 if smoke else limits.MAX_BLOCKS_PER_CARD
    formulas = 20 if smoke else limits.MAX_FORMULAS_PER_CARD
    chars = 2_000 if smoke else limits.MAX_CARD_CHARS
    room = blocks - 1  # the question's paragraph is one block
    yield "paragraphs", _card("\n\n".join(f"Paragraph {i} of the answer." for i in range(room)))
    if smoke:
        return
    yield "list items", _card("\n".join(f"- item {i}" for i in range((room - 1) // 4)))
    display = min(room, formulas)
    yield "display formulas", _card("\n\n".join(f"$${_fraction(i, 2)}$$" for i in range(display)))
    rows = [
        " ".join(f"$y_{{{j}}}^2$" for j in range(start, min(start + 20, formulas)))
        for start in range(0, formulas, 20)
    ]
    yield "inline formulas", _card("\n\n".join(rows))
    words = (chars - 2 - 10) // 5
    yield "characters", _card("word " * words)
    steps = min(limits.MAX_STEPS_PER_CARD, room // 2)
    per_step = max(1, room // steps - 1)  # paragraphs after each step's heading
    body = "\n\n".join(f"Text {j}." for j in range(per_step))
    yield "steps", _card("\n\n".join(f"### Step {i}\n\n{body}" for i in range(steps)))
    table_rows = (room - 6) // 3
    yield (
        "table rows",
        _card(
            "| a | b |\n|---|---|\n" + "\n".join(f"| {i} | {i * i} |" for i in range(table_rows))
        ),
    )
    long_formula = _fraction(0, 1)
    terms = 1
    while len(_fraction(0, terms + 1)) <= limits.MAX_FORMULA_CHARS:
        terms += 1
    long_formula = _fraction(0, terms)
    count = (chars - 100) // (len(long_formula) + 6)
    yield "longest formulas", _card("\n\n".join(f"$${_fraction(i, terms)}$$" for i in range(count)))


class _Collections:
    """The longest full (generation 2) collection of the cyclic GC while it is installed."""

    def __init__(self) -> None:
        self.longest = 0.0
        self._started = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if info.get("generation") != 2:
            return
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.longest = max(self.longest, time.perf_counter() - self._started)

    def __enter__(self) -> _Collections:
        gc.callbacks.append(self)
        return self

    def __exit__(self, *_exc: object) -> None:
        gc.callbacks.remove(self)


async def _stall(card: object) -> tuple[float, float, float]:
    """(longest event-loop stall, time until drawn, longest full GC collection meanwhile)
    showing ``card`` as described above."""
    from textual.app import App, ComposeResult
    from textual.widgets import Footer

    from quizapp.cards.model import Card
    from quizapp.tui.widgets.card_view import CardView

    assert isinstance(card, Card)

    class Host(App[None]):
        def compose(self) -> ComposeResult:
            yield CardView()
            yield Footer()

    app = Host()
    gaps: list[float] = []
    running = True

    async def watch() -> None:
        last = time.perf_counter()
        while running:
            await asyncio.sleep(0.001)
            now = time.perf_counter()
            gaps.append(now - last - 0.001)
            last = now

    async def settle() -> None:
        for _ in range(10):
            for worker in list(app.workers):
                await worker.wait()
            await pilot.pause()

    async with app.run_test(size=SIZE) as pilot:
        await settle()
        with _Collections() as collector:
            watcher = asyncio.create_task(watch())
            start = time.perf_counter()
            view = app.query_one(CardView)
            await view.show_card(card, None, len(card.steps))
            await settle()
            drawn = time.perf_counter() - start
            app.screen.set_focus(None)
            await pilot.pause()
            view.focus()
            await pilot.pause()
            view.scroll_end(animate=False)
            await pilot.pause()
            await pilot.resize_terminal(90, 30)
            await settle()
            running = False
            await watcher
    return max(gaps), drawn, collector.longest


def _show_seconds(card: object) -> float:
    from quizapp.cards.model import Card
    from quizapp.mathtext import render as math_render
    from quizapp.mathtext import render_markdown_math

    assert isinstance(card, Card)
    math_render._parse.cache_clear()
    math_render.render_block.cache_clear()
    start = time.perf_counter()
    for text in (card.question, *(step.text for step in card.steps)):
        render_markdown_math(text, width=80)
    return time.perf_counter() - start


def _run(smoke: bool) -> list[Row]:
    speed = machine_speed()
    asyncio.run(_stall(_card("warm-up $$x^2$$ and $y$")))  # imports, CSS, first frame
    # The same steps with a one-line card: what Textual itself costs on this machine now.
    minimal, _, _ = asyncio.run(_stall(_card("One line.")))
    # The real app freezes what start-up built once its database is ready
    # (QuizApp._freeze_heap), so full collections do not scan it while a card is shown.
    gc.freeze()
    stalls: dict[str, float] = {}
    drawn: dict[str, float] = {}
    collected: dict[str, float] = {}
    shows: dict[str, float] = {}
    for kind, card in worst_cards(smoke):
        from quizapp.tui.widgets import math_markdown

        math_markdown.DISPLAY_CACHE.clear()
        math_markdown.inline_math.cache_clear()
        stalls[kind], drawn[kind], collected[kind] = asyncio.run(_stall(card))
        shows[kind] = _show_seconds(card)
    worst = max(stalls, key=stalls.__getitem__)
    slowest = max(shows, key=shows.__getitem__)
    each = ", ".join(f"{kind} {stalls[kind] * 1e3:.0f}" for kind in stalls)
    return [
        Row(
            PART,
            f"worst legal card in the TUI ({SIZE[0]}×{SIZE[1]}, all steps, focus, scroll,"
            " resize): longest event-loop stall",
            f"{stalls[worst] * 1e3:.0f} ms ({worst}; drawn in {fmt_s(drawn[worst])};"
            f" longest full GC meanwhile {collected[worst] * 1e3:.0f} ms);"
            f" per kind, ms: {each}",
            f"one-line card {minimal * 1e3:.0f} ms; {speed_text(speed)}",
            "≤ 100 ms",
            verdict(stalls[worst] <= 0.1, smoke),
        ),
        Row(
            PART,
            "quizapp show of the worst legal card: every formula drawn (render_markdown_math)",
            f"{fmt_s(shows[slowest])} ({slowest})",
            speed_text(speed),
            "≤ 1 s",
            verdict(shows[slowest] <= 1.0, smoke),
        ),
    ]
