"""Markdown with its LaTeX drawn by ``quizapp.mathtext``, never on the event loop.

Textual's ``Markdown`` widget knows nothing of math, so the parser is taught quizapp's
one definition of it (``quizapp.cards.formulas.use_math``: "$5 and $10" is prose):
``$$…$$`` blocks become ``MathBlock`` widgets that draw the two-dimensional rendering for
their current width, and inline ``$…$`` spans are turned into plain text tokens holding
the one-line rendering. It is also taught what Obsidian draws beyond Markdown
(``quizapp.cards.display_markdown``: wikilinks drawn as links, ``==highlights==``,
callouts as titled panels, images as placeholders, footnotes), which the blocks of
``markdown_blocks.py`` draw. Everything else (code fences with highlighting, lists,
tables, emphasis) stays Textual's. Links are never opened. Chinese, Japanese and Korean
text wraps at any character (``quizapp.tui.line_breaks``).

Drawing a formula costs about a millisecond, and a card may hold hundreds, so none is
drawn on the event loop, where it would freeze the screen. Inline formulas are drawn by
the parser, which Textual already runs in a thread. Display formulas are drawn in a
thread before the blocks are mounted (the first few, :data:`PREDRAWN`, at the widths they
are expected to get), and any other one, or one whose width then changes, is shown as its
LaTeX source until a thread worker has drawn it and the block is refreshed.
"""

from __future__ import annotations

import asyncio
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import ClassVar
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.await_complete import AwaitComplete
from textual.geometry import Size
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Markdown
from textual.widgets._markdown import MarkdownBlock
from textual.worker import get_current_worker

from quizapp.cards.display_markdown import obsidian_plugin
from quizapp.cards.formulas import use_math
from quizapp.tui import line_breaks
from quizapp.tui.literal import visible
from quizapp.tui.widgets.markdown_blocks import CARD_BLOCKS, HIGHLIGHT
from quizapp.tui.widgets.markdown_lists import LIST_BLOCKS

line_breaks.install()

#: Display formulas drawn before a document's blocks are mounted: enough for every
#: formula of a usual card, so it appears drawn at once; the rest follow from a worker.
PREDRAWN = 128
#: ...and at most this much LaTeX, so that a caller awaiting :meth:`MathMarkdown.update`
#: waits for a bounded amount of drawing whatever the card holds.
PREDRAWN_CHARS = 6000

#: A document's blocks are mounted about this many widgets at a time, each batch in turns
#: of the event loop of its own, so that a long card never holds up the screen for the
#: styling and layout of all its widgets at once (``bench/parts/card_display.py``).
MOUNT_BATCH = 12

_DISPLAY_TYPES = ("math_block", "math_block_label")


@lru_cache(maxsize=4096)
def inline_math(latex: str) -> str:
    """One-line rendering of ``latex`` (cached: cards are shown many times)."""
    from quizapp.mathtext import render_inline

    return visible(render_inline(latex))


def draw(latex: str, width: int) -> tuple[str, ...]:
    """Draw ``latex`` for ``width`` cells with ``quizapp.mathtext`` (slow: threads only)."""
    from quizapp.mathtext import render_display

    lines = [visible(line) for line in render_display(latex, max(width, 10))] or [""]
    widest = max(cell_len(line) for line in lines)
    return tuple(line + " " * (widest - cell_len(line)) for line in lines)


class DisplayCache:
    """Drawn display formulas by (LaTeX, width), shared by the event loop and the threads
    that draw them; the least recently used go first. The loop only ever looks here
    (:meth:`get`); drawing happens in :func:`display_math`, called from threads."""

    def __init__(self, size: int = 2048) -> None:
        self.size = size
        self._lines: OrderedDict[tuple[str, int], tuple[str, ...]] = OrderedDict()
        self._latest: dict[str, tuple[str, ...]] = {}
        self._lock = threading.Lock()

    def get(self, latex: str, width: int) -> tuple[str, ...] | None:
        """The drawing of ``latex`` for ``width`` cells, if it has been drawn."""
        with self._lock:
            lines = self._lines.get((latex, width))
            if lines is not None:
                self._lines.move_to_end((latex, width))
            return lines

    def latest(self, latex: str) -> tuple[str, ...] | None:
        """The drawing of ``latex`` made last, at whatever width: a stand-in while the
        drawing for a new width is being made, so a resize does not make blocks jump."""
        with self._lock:
            return self._latest.get(latex)

    def put(self, latex: str, width: int, lines: tuple[str, ...]) -> None:
        """Keep a drawing."""
        with self._lock:
            self._lines[(latex, width)] = lines
            self._latest[latex] = lines
            while len(self._lines) > self.size:
                (old, _), _ = self._lines.popitem(last=False)
                self._latest.pop(old, None)

    def clear(self) -> None:
        """Forget every drawing."""
        with self._lock:
            self._lines.clear()
            self._latest.clear()


DISPLAY_CACHE = DisplayCache()


def display_math(latex: str, width: int) -> tuple[str, ...]:
    """Two-dimensional rendering of ``latex`` for ``width`` cells, lines padded to one width.

    Padding every line to the widest keeps the block's columns aligned when it is centred.
    Cached; call it from a thread, since drawing may take long. A formula the renderer
    fails on is shown as its source rather than asked for again and again.
    """
    lines = DISPLAY_CACHE.get(latex, width)
    if lines is None:
        try:
            lines = draw(latex, width)
        except Exception:
            lines = (_source(latex),)
        DISPLAY_CACHE.put(latex, width, lines)
    return lines


def _source(latex: str) -> str:
    """A formula's LaTeX on one line: what stands in for it until it is drawn."""
    return visible(" ".join(latex.split()))


def _inline_math_to_text(state: StateCore) -> None:
    """markdown-it core rule: replace inline math tokens with text tokens."""
    for token in state.tokens:
        if token.type != "inline" or not token.children:
            continue
        for child in token.children:
            if child.type in ("math_inline", "math_inline_double"):
                child.type = "text"
                child.content = inline_math(child.content)


def math_parser() -> MarkdownIt:
    """The parser used for every card: GFM-like Markdown, quizapp's math, and what
    Obsidian adds. Inline formulas are drawn first, so a callout's title shows them."""
    parser = use_math(MarkdownIt("gfm-like"))
    parser.core.ruler.push("quizapp_inline_math", _inline_math_to_text)
    return parser.use(obsidian_plugin)


def _display_formulas(markdown: str) -> list[str]:
    """The LaTeX of a document's display formulas, in order (block pass only)."""
    parser = use_math(MarkdownIt("gfm-like"))
    parser.disable(["inline", "text_join"], ignoreInvalid=True)
    return [t.content.strip() for t in parser.parse(markdown) if t.type in _DISPLAY_TYPES]


def _widgets(block: MarkdownBlock) -> int:
    """About how many widgets mounting ``block`` makes: it and the blocks inside it."""
    return 1 + sum(_widgets(inner) for inner in block._blocks)


def _batches(blocks: Iterable[MarkdownBlock], size: int) -> Iterator[list[MarkdownBlock]]:
    """``blocks`` in order, in runs of about ``size`` widgets (:func:`_widgets`); a block
    larger than that is a run of its own."""
    batch: list[MarkdownBlock] = []
    weight = 0
    for block in blocks:
        blocks_weight = _widgets(block)
        if batch and weight + blocks_weight > size:
            yield batch
            batch, weight = [], 0
        batch.append(block)
        weight += blocks_weight
    if batch:
        yield batch


class MathBlock(MarkdownBlock):
    """A ``$$…$$`` formula drawn in two dimensions, re-drawn when its width changes.

    Until its drawing for the current width exists, it shows the drawing for another
    width, or else its LaTeX source, and asks its document to have it drawn.
    """

    DEFAULT_CSS = """
    MathBlock {
        width: 1fr;
        height: auto;
        text-align: center;
        margin: 0 0 1 0;
        color: $text;
        &.-joined { margin: 0; }
    }
    """

    def __init__(self, markdown: MathMarkdown, token: Token) -> None:
        super().__init__(markdown, token)
        self.latex = token.content.strip()
        self.document = markdown

    def lines_for(self, width: int) -> tuple[str, ...]:
        """The drawn formula for ``width`` cells, or a stand-in while it is being drawn."""
        lines = DISPLAY_CACHE.get(self.latex, width)
        if lines is not None:
            return lines
        self.document.request_drawing(self, width)
        return DISPLAY_CACHE.latest(self.latex) or (_source(self.latex),)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """As many rows as the drawing needs at this width."""
        return len(self.lines_for(width))

    def render(self) -> Text:
        """The drawing for the current width, as literal text (dim while a stand-in)."""
        width = self.content_region.width or self.app.size.width
        drawn = DISPLAY_CACHE.get(self.latex, width) is not None
        lines = self.lines_for(width)
        style = "" if drawn else "dim"
        return Text("\n".join(lines), style=style, no_wrap=True, overflow="crop")


class MathMarkdown(Markdown):
    """A ``Markdown`` widget for card text: math drawn off the event loop, links inert,
    text literal."""

    DEFAULT_CSS = """
    MathMarkdown {
        padding: 0 1;
        & MarkdownFence { margin: 0 0 1 0; }
        & > .markdown--highlight { background: $warning 35%; color: $text; }
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {HIGHLIGHT}

    @dataclass
    class Drawn(Message):
        """A worker has drawn formulas of this document: their blocks are re-laid out."""

        blocks: list[MathBlock]

    def __init__(self, markdown: str = "", *, id: str | None = None) -> None:
        super().__init__(visible(markdown), id=id, parser_factory=math_parser, open_links=False)
        self._requests: dict[MathBlock, int] = {}
        self._lock = threading.Lock()
        self._drawing = False
        self._previous_math: tuple[int, MathBlock] | None = None
        self._generation = 0

    def on_markdown_link_clicked(self, event: Markdown.LinkClicked) -> None:
        """A web link in a card opens through Textual's ``open_url``: a new tab of the
        learner's browser when the app is served (``quizapp serve``), the local browser in
        a terminal. Anything else (a file, a relative or wiki link) is not followed, so a
        card never makes the machine it runs on open something."""
        event.stop()
        href = event.href.strip()
        if urlsplit(href).scheme.lower() in ("http", "https"):
            self.app.open_url(href, new_tab=True)
        else:
            self.notify(f"Not a web link: {href}", severity="warning", markup=False)

    def get_block_class(self, block_name: str) -> type[MarkdownBlock]:
        """Textual's block for ``block_name``, or ours where card text needs more
        (``markdown_blocks.CARD_BLOCKS``: highlights, callouts)."""
        return (
            CARD_BLOCKS.get(block_name)
            or LIST_BLOCKS.get(block_name)  # lists with fewer widgets (markdown_lists.py)
            or super().get_block_class(block_name)
        )

    @property
    def pending(self) -> int:
        """How many formulas wait to be drawn."""
        with self._lock:
            return len(self._requests)

    def update(self, markdown: str) -> AwaitComplete:
        """Show ``markdown``: its first display formulas are drawn in a thread at the width
        they are expected to get, then its blocks are mounted a few at a time
        (:meth:`_mount_document`). Awaiting it waits until every block is mounted, or
        until a later call replaces the document."""
        widths = self.expected_widths()
        self._generation += 1
        generation = self._generation
        self._markdown = markdown  # as Textual's update: the source is the new one at once
        self._table_of_contents = None

        def predraw() -> None:
            budget = PREDRAWN_CHARS
            for latex in _display_formulas(markdown)[:PREDRAWN]:
                budget -= len(latex)
                if budget < 0:
                    break
                for width in widths:
                    display_math(latex, width)

        async def predraw_then_update() -> None:
            if "$$" in markdown:
                await asyncio.get_running_loop().run_in_executor(None, predraw)
            await self._mount_document(markdown, generation)

        return AwaitComplete(predraw_then_update())

    async def _mount_document(self, markdown: str, generation: int) -> None:
        """Replace the blocks on display with those of ``markdown``, as Textual's
        ``Markdown.update`` (8.2.8) does, but :data:`MOUNT_BATCH` widgets at a time.

        Textual mounts up to 200 blocks in one go, and styling and laying out each widget
        costs time, so the largest legal card stalled the screen for over 100 ms. Here the
        first batch replaces the old blocks (in one screen update, as Textual does) and
        each further batch is mounted in turns of the event loop of its own, with keys and
        the screen's refreshes handled in between; what is shown in the end is the same.
        A document replaced meanwhile by a later :meth:`update` stops being mounted.
        """
        old_blocks = self.query("MarkdownBlock")
        async with self.lock:
            if generation != self._generation:
                return  # replaced before it began
            self._theme = self.app.theme
            tokens = await asyncio.get_running_loop().run_in_executor(
                None, math_parser().parse, markdown
            )
            first = True
            for batch in _batches(self._parse_markdown(tokens), MOUNT_BATCH):
                if generation != self._generation:
                    return  # the later document's update removes what was mounted
                if first:
                    with self.app.batch_update():
                        await old_blocks.remove()
                        await self.mount_all(batch)
                    first = False
                else:
                    await asyncio.sleep(0)  # let the screen and the keys have a turn
                    await self.mount_all(batch)
            if first:
                await old_blocks.remove()
        lines = markdown.splitlines()
        self._last_parsed_line = len(lines) - (1 if lines and lines[-1] else 0)
        self.post_message(
            Markdown.TableOfContentsUpdated(self, self.table_of_contents).set_sender(self)
        )

    def expected_widths(self) -> tuple[int, ...]:
        """The widths a top-level display formula may get: this widget's content width, or,
        before it is laid out, what its nearest laid-out ancestor offers; and that less a
        scrollbar, when the ancestor scrolls but shows none yet (the new blocks may be
        what makes it appear)."""
        gutter = self.styles.gutter.width
        node: Widget | None = self
        while isinstance(node, Widget) and not node.scrollable_content_region.width:
            node = node.parent if isinstance(node.parent, Widget) else None
        if node is None:
            return (max(self.app.size.width - gutter, 1),)
        width = node.scrollable_content_region.width - (0 if node is self else gutter)
        scroller: Widget | None = node
        while scroller is not None and not scroller.is_scrollable:
            scroller = scroller.parent if isinstance(scroller.parent, Widget) else None
        if scroller is None or scroller.show_vertical_scrollbar:
            return (max(width, 1),)
        thinner = width - scroller.styles.scrollbar_size_vertical
        return (max(width, 1), max(thinner, 1))

    def unhandled_token(self, token: Token) -> MarkdownBlock | None:
        """Turn dollarmath's block tokens into ``MathBlock`` widgets.

        Formulas written on consecutive lines stay together, without blank rows: decided
        here, in document order, rather than by each block searching its siblings.
        """
        if token.type not in _DISPLAY_TYPES:
            return super().unhandled_token(token)
        block = MathBlock(self, token)
        previous = self._previous_math
        if (
            previous is not None
            and previous[0] == token.level
            and previous[1].source_range[1] == block.source_range[0]
        ):
            previous[1].add_class("-joined")
        self._previous_math = (token.level, block)
        return block

    def request_drawing(self, block: MathBlock, width: int) -> None:
        """Have ``block`` drawn for ``width`` cells by a thread worker (one at a time per
        document, taking every request made meanwhile)."""
        with self._lock:
            self._requests[block] = width
            if self._drawing:
                return
            self._drawing = True
        self.run_worker(self._draw_requests, thread=True, group="math", exit_on_error=False)

    def _draw_requests(self) -> None:
        """Worker: draw what was asked, in the order asked, until nothing is left. Taking
        the requests and finding none ends the worker under one lock, so a request made
        meanwhile either is taken or starts the next worker."""
        worker = get_current_worker()
        while True:
            with self._lock:
                requests = self._requests
                self._requests = {}
                if not requests or worker.is_cancelled:
                    self._drawing = False
                    return
            for block, width in requests.items():
                if worker.is_cancelled:
                    break
                display_math(block.latex, width)
            self.post_message(self.Drawn(list(requests)))

    @on(Drawn)
    def _redraw(self, message: Drawn) -> None:
        """Lay the drawn blocks out again, now with their drawings."""
        message.stop()
        for block in message.blocks:
            if block.is_attached:
                block.refresh(layout=True)
