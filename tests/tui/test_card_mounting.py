"""A long card is mounted a few widgets at a time and looks as if mounted at once (issue 12:
no legal card may stall the app for more than 100 ms; ``bench/parts/card_display.py``).

Styling and laying out a widget costs time, and Textual mounts a document's blocks, and
the card view its revealed steps, in one go. Now each batch of at most ``MOUNT_BATCH``
widgets (``STEP_BATCH`` steps) is mounted in turns of the event loop of its own: the
tests count the batches and, with a task that counts loop turns, check that the loop
turned between them. What is shown in the end is compared with what one batch shows.
Lists are drawn with one widget fewer per item, and look exactly as Textual draws them.
"""

from __future__ import annotations

import asyncio
import html
import itertools
import re
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.widget import AwaitMount, Widget
from textual.widgets import Markdown
from textual.widgets._markdown import MarkdownBlock, MarkdownParagraph

from quizapp.cards.model import Card, Step
from quizapp.tui.widgets import card_view, math_markdown
from quizapp.tui.widgets.card_view import REVEAL_ALL, CardView, StepHeading, StepView
from quizapp.tui.widgets.markdown_lists import LIST_BLOCKS, ListItemBox, ListItemParagraph
from quizapp.tui.widgets.math_markdown import MOUNT_BATCH, MathMarkdown

from .conftest import settle

SIZE = (80, 30)


class MarkdownHost(App[None]):
    """One card Markdown in a scrolling view."""

    def __init__(self, document: type[MathMarkdown] = MathMarkdown) -> None:
        super().__init__()
        self.document = document

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield self.document()


class CardHost(App[None]):
    """The card view alone."""

    def compose(self) -> ComposeResult:
        yield CardView()


class TextualLists(MathMarkdown):
    """Card Markdown with Textual's own list widgets, to compare ours with."""

    def get_block_class(self, block_name: str) -> type[MarkdownBlock]:
        if block_name in LIST_BLOCKS:
            return Markdown.get_block_class(self, block_name)
        return super().get_block_class(block_name)


class Turns:
    """Counts turns of the event loop: a task that yields once per turn."""

    def __init__(self) -> None:
        self.count = 0
        self._task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(0)
            self.count += 1

    def __enter__(self) -> Turns:
        self._task = asyncio.create_task(self._run())
        return self

    def __exit__(self, *_exc: object) -> None:
        assert self._task is not None
        self._task.cancel()


class MountSpy:
    """Records each ``mount_all`` call made by widgets of one class: the widgets it
    mounts (with everything composed inside them) and the loop turn it was made in."""

    def __init__(self, turns: Turns) -> None:
        self.turns = turns
        self.calls: list[tuple[Sequence[Widget], int]] = []
        self.sizes: list[int] = []
        self.first = asyncio.Event()

    def install(self, monkeypatch: pytest.MonkeyPatch, owner: type[Widget]) -> None:
        original: Callable[..., AwaitMount] = Widget.mount_all
        spy = self

        def mount_all(self: Widget, widgets: Sequence[Widget], **options: Any) -> AwaitMount:
            batch = list(widgets)
            spy.calls.append((batch, spy.turns.count))
            spy.first.set()
            return original(self, batch, **options)

        monkeypatch.setattr(owner, "mount_all", mount_all)

    def count_widgets(self) -> list[int]:
        """How many widgets each call put on screen, counted once they are mounted."""
        return [
            sum(1 + len(list(widget.query("*"))) for widget in batch) for batch, _ in self.calls
        ]

    def each_on_a_later_turn(self) -> bool:
        """True when every call was made on a later turn of the loop than the one before."""
        turns = [turn for _batch, turn in self.calls]
        return all(later > earlier for earlier, later in itertools.pairwise(turns))


def sections(count: int, word: str = "Paragraph") -> str:
    """``count`` paragraphs, each under a heading of its own (two widgets a section: the
    headings keep the paragraphs from being one run, ``math_markdown.join_runs``)."""
    return "\n\n".join(
        f"#### Part {index}\n\n{word} {index} of a long answer." for index in range(count)
    )


def steps_card(count: int, name: str = "Step") -> Card:
    steps = tuple(
        Step((f"{name} {index}",), f"Text of {name.lower()} {index}.") for index in range(count)
    )
    return Card(id=name.lower(), title=f"{name}s", question="Q?", steps=steps)


async def picture(app: App[None], pilot: Any) -> str:
    """The screen as an SVG, once every worker has finished; without the SVG's id, which
    Rich derives from the segments' hidden data too (a cell's offset in its widget)."""
    await settle(pilot)
    return re.sub(r"terminal-\d+", "terminal", app.export_screenshot())


def cells(svg: str) -> dict[tuple[int, int], tuple[str, str, str]]:
    """What an SVG screenshot shows, cell by cell: (row, column) -> (background, character,
    its text style). Two pictures drawn alike but cut into other runs of cells (a blank
    row that is a margin in one and an empty line of text in the other) compare equal."""
    styles = dict(re.findall(r"\.(terminal-r\d+) \{ ([^}]*) \}", svg))
    found: dict[tuple[int, int], tuple[str, str, str]] = {}
    backgrounds: dict[tuple[int, int], str] = {}
    for fill, x, y, width in re.findall(
        r'<rect fill="([^"]+)" x="([\d.]+)" y="([\d.]+)" width="([\d.]+)"', svg
    ):
        column = round(float(x) / CELL_WIDTH)
        for offset in range(round(float(width) / CELL_WIDTH)):
            backgrounds[(round(float(y)), column + offset)] = fill
    text: dict[tuple[int, int], tuple[str, str]] = {}
    for style, x, y, shown in re.findall(
        r'<text class="(terminal-r\d+)" x="([\d.]+)" y="([\d.]+)"[^>]*>(.*?)</text>', svg
    ):
        column = round(float(x) / CELL_WIDTH)
        for offset, character in enumerate(html.unescape(shown)):
            if character not in " \xa0":
                text[(round(float(y)), column + offset)] = (character, styles.get(style, ""))
    for key, fill in backgrounds.items():
        character, style = text.get(key, (" ", ""))
        found[key] = (fill, character, style)
    return found


#: The width of one cell in Rich's SVG export.
CELL_WIDTH = 12.2


@pytest.fixture(autouse=True)
def fresh_cache(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(math_markdown, "DISPLAY_CACHE", math_markdown.DisplayCache())
    yield


async def test_a_long_document_is_mounted_in_small_batches_on_turns_of_their_own(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = MarkdownHost()
    async with app.run_test(size=SIZE) as pilot:
        document = app.query_one(MathMarkdown)
        with Turns() as turns:
            spy = MountSpy(turns)
            spy.install(monkeypatch, MathMarkdown)
            await document.update(sections(60))
        assert spy.count_widgets() == [MOUNT_BATCH] * 10
        assert spy.each_on_a_later_turn()
        await settle(pilot)
        sources = [(block.source or "").strip() for block in document.query(MarkdownParagraph)]
        assert sources == [f"Paragraph {index} of a long answer." for index in range(60)]


async def test_a_block_larger_than_a_batch_is_mounted_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    items = "\n".join(f"- item {index}" for index in range(20))  # 21 widgets, one block
    app = MarkdownHost()
    async with app.run_test(size=SIZE) as pilot:
        with Turns() as turns:
            spy = MountSpy(turns)
            spy.install(monkeypatch, MathMarkdown)
            await app.query_one(MathMarkdown).update(f"{sections(3)}\n\n{items}\n\nAfter.")
        await settle(pilot)
        assert [len(batch) for batch, _turn in spy.calls] == [6, 1, 1]
        assert spy.count_widgets() == [6, 21, 1]


@pytest.mark.parametrize(
    "document",
    [
        pytest.param(sections(60), id="sections"),
        pytest.param(
            "\n\n".join(f"$$x_{{{index}}} = \\frac{{a}}{{b_{{{index}}}}}$$" for index in range(40)),
            id="display-formulas",
        ),
        pytest.param(
            "\n\n".join(
                f"## Part {index}\n\n- one $y^{index}$\n- two\n\n> quoted {index}"
                for index in range(12)
            ),
            id="mixed",
        ),
    ],
)
async def test_a_document_mounted_in_batches_looks_as_if_mounted_at_once(
    monkeypatch: pytest.MonkeyPatch, document: str
) -> None:
    pictures: list[str] = []
    structures: list[list[str]] = []
    for batch in (MOUNT_BATCH, 10**6):
        monkeypatch.setattr(math_markdown, "MOUNT_BATCH", batch)
        app = MarkdownHost()
        async with app.run_test(size=SIZE) as pilot:
            markdown = app.query_one(MathMarkdown)
            await markdown.update(document)
            pictures.append(await picture(app, pilot))
            structures.append([type(widget).__name__ for widget in markdown.query("*")])
    assert pictures[0] == pictures[1]
    assert structures[0] == structures[1]


async def test_a_document_replaced_while_mounting_is_not_mounted_further(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = MarkdownHost()
    async with app.run_test(size=SIZE) as pilot:
        document = app.query_one(MathMarkdown)
        with Turns() as turns:
            spy = MountSpy(turns)
            spy.install(monkeypatch, MathMarkdown)
            first = document.update(sections(60, "Old"))
            await spy.first.wait()
            await document.update(sections(15, "New"))
            await first
        await settle(pilot)
        sources = [(block.source or "").strip() for block in document.query(MarkdownParagraph)]
        assert sources == [f"New {index} of a long answer." for index in range(15)]
        assert document.source == sections(15, "New")


async def test_revealed_steps_are_mounted_a_few_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    app = CardHost()
    async with app.run_test(size=SIZE) as pilot:
        view = app.query_one(CardView)
        with Turns() as turns:
            spy = MountSpy(turns)
            spy.install(monkeypatch, CardView)
            await view.show_card(steps_card(30), None, REVEAL_ALL)
        await settle(pilot)
        batches = [
            [widget for widget in batch if isinstance(widget, StepView)]
            for batch, _turn in spy.calls
            if any(isinstance(widget, StepView) for widget in batch)
        ]
        assert [len(batch) for batch in batches] == [4, 4, 4, 4, 4, 4, 4, 2]
        assert spy.each_on_a_later_turn()
        assert [step.number for step in view.query(StepView)] == list(range(1, 31))


async def test_each_step_is_its_heading_then_its_markdown_in_the_view_itself() -> None:
    """A step is two of the view's own children, no container around them (one widget
    fewer per step to lay out again on a resize): its heading, then its Markdown."""
    app = CardHost()
    async with app.run_test(size=SIZE) as pilot:
        view = app.query_one(CardView)
        await view.show_card(steps_card(3), None, REVEAL_ALL)
        await settle(pilot)
        children = [child for child in view.children if isinstance(child, (StepHeading, StepView))]
        assert [type(child) for child in children] == [StepHeading, StepView] * 3
        pairs = zip(children[::2], children[1::2], strict=True)
        for number, (heading, step) in enumerate(pairs, start=1):
            assert isinstance(step, StepView) and step.heading is heading
            assert f"Step {number - 1}  step {number}/3" in str(heading.render())
            assert step.source == f"Text of step {number - 1}."
        await view.show_card(steps_card(1, "Other"), None, REVEAL_ALL)
        await settle(pilot)
        assert len(view.query(StepHeading)) == len(view.query(StepView)) == 1


async def test_steps_mounted_in_batches_look_as_if_mounted_at_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pictures: list[str] = []
    for batch in (card_view.STEP_BATCH, 10**6):
        monkeypatch.setattr(card_view, "STEP_BATCH", batch)
        app = CardHost()
        async with app.run_test(size=SIZE) as pilot:
            view = app.query_one(CardView)
            await view.show_card(steps_card(30), None, 3)
            await settle(pilot)
            await view.show_card(steps_card(30), None, REVEAL_ALL)
            pictures.append(await picture(app, pilot))
            view.scroll_end(animate=False)
            await pilot.pause()
            pictures.append(app.export_screenshot())
    assert pictures[:2] == pictures[2:]


async def test_steps_of_a_card_replaced_while_mounting_are_not_mounted_further(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = CardHost()
    async with app.run_test(size=SIZE) as pilot:
        view = app.query_one(CardView)
        with Turns() as turns:
            spy = MountSpy(turns)
            spy.install(monkeypatch, CardView)
            first = asyncio.create_task(view.show_card(steps_card(30, "Old"), None, REVEAL_ALL))
            await spy.first.wait()
            await view.show_card(steps_card(5, "New"), None, REVEAL_ALL)
            await first
        await settle(pilot)
        titles = [step.step.title for step in view.query(StepView)]
        assert titles == [f"New {index}" for index in range(5)]


LISTS = {
    "bullets": "- one\n- two, long enough to wrap at forty columns for certain, and more\n- three",
    "nested": "- a\n  - b\n    - c with $x^2$ and **bold**\n  - d\n- e\n\n  e goes on",
    "ordered": "7. seven\n8. eight\n9. nine\n10. ten, long enough to wrap at forty columns too",
    "mixed": "1. first\n   - inner\n2. second\n\n   ```python\n   x = 1\n   ```\n\n3. $$x^2$$",
    "quoted": "> - quoted item\n> - another\n\n- [ ] task\n- [x] done",
    "empty items": "- \n- x\n-",
}


@pytest.mark.parametrize("width", [40, 80])
@pytest.mark.parametrize("name", list(LISTS))
async def test_lists_look_as_textual_draws_them_with_fewer_widgets(name: str, width: int) -> None:
    pictures: list[str] = []
    counts: list[int] = []
    for document in (TextualLists, MathMarkdown):
        app = MarkdownHost(document)
        async with app.run_test(size=(width, 30)) as pilot:
            markdown = app.query_one(MathMarkdown)
            await markdown.update(LISTS[name])
            pictures.append(await picture(app, pilot))
            counts.append(len(list(markdown.query("*"))))
            boxes = len(list(markdown.query(ListItemBox)))
            paragraphs = len(list(markdown.query(ListItemParagraph)))
    assert pictures[0] == pictures[1]
    # Textual's item is a Horizontal holding a bullet and a Vertical around its blocks:
    # an item of one paragraph is that paragraph alone, any other a box around its blocks
    assert counts[1] == counts[0] - 3 * paragraphs - 2 * boxes
    assert paragraphs + boxes > 0


RUNS = {
    "paragraphs": "\n\n".join(
        f"Paragraph {index} with *emphasis*, `code`, $x_{index}^2$, ==marked== and a "
        "[link](https://example.com), long enough to wrap at forty columns."
        for index in range(6)
    ),
    "between other blocks": (
        "Alone.\n\n## Heading\n\nOne.\n\nTwo.\n\n> Quoted.\n>\n> Still.\n\nThree."
    ),
    "in a list item": "- First.\n\n  Second, in the same item.\n- Next item.",
}


@pytest.mark.parametrize("width", [40, 80])
@pytest.mark.parametrize("name", list(RUNS))
async def test_a_run_of_paragraphs_is_one_widget_drawn_as_the_paragraphs_were(
    monkeypatch: pytest.MonkeyPatch, name: str, width: int
) -> None:
    """Paragraphs directly in the document, one after another, are one widget with a
    blank line where each paragraph's margin was; the picture is the same."""
    pictures: list[str] = []
    counts: list[int] = []
    for joined in (True, False):
        if not joined:
            monkeypatch.setattr(math_markdown, "join_runs", lambda blocks: blocks)
        app = MarkdownHost()
        async with app.run_test(size=(width, 30)) as pilot:
            markdown = app.query_one(MathMarkdown)
            await markdown.update(RUNS[name])
            pictures.append(await picture(app, pilot))
            counts.append(len(list(markdown.query(MarkdownParagraph))))
    assert cells(pictures[0]) == cells(pictures[1])
    expected = {"paragraphs": (1, 6), "between other blocks": (5, 6), "in a list item": (3, 3)}
    assert tuple(counts) == expected[name]
