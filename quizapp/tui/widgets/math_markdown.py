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
import re
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
from rich.segment import Segment
from rich.text import Text
from textual import on
from textual.await_complete import AwaitComplete
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.strip import Strip
from textual.style import Style
from textual.widget import Widget
from textual.widgets import Markdown
from textual.widgets._markdown import MarkdownBlock
from textual.worker import get_current_worker

from quizapp.cards.display_markdown import obsidian_plugin
from quizapp.cards.formulas import use_math
from quizapp.tui import line_breaks
from quizapp.tui.literal import visible
from quizapp.tui.widgets.markdown_blocks import CARD_BLOCKS, HIGHLIGHT, CardParagraph
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
#: How a formula's stand-in (its LaTeX, until it is drawn) is set apart.
_DIM = Style(dim=True)


@lru_cache(maxsize=4096)
def inline_math(latex: str) -> str:
    """One-line rendering of ``latex`` (cached: cards are shown many times)."""
    from quizapp.mathtext import render_inline

    return visible(render_inline(latex))


#: Characters without which a line holds no Markdown that :func:`line_text` draws.
_LINE_MARKS = re.compile(r"[*_~=$`\\<>\[\]!&]")
#: How one line of Markdown drawn by :func:`line_text` styles what it marks up.
_LINE_STYLES = {
    "strong": "bold",
    "em": "italic",
    "s": "strike",
    "mark": "reverse",
    "link": "underline",
}


def line_text(
    markdown: str, style: str = "", *, no_wrap: bool | None = None, overflow: str | None = None
) -> Text:
    """One line of Markdown (a card's title, a step's heading) as styled text: bold,
    italics, strike-through, highlights and links styled, formulas drawn, wikilinks and
    images as the card view shows them, code as written, and nothing read as Rich markup.
    Imported notes often make a question with emphasis or a formula their title
    (hashcards' ``Q: What is *overfitting*?``), which showed its asterisks and LaTeX."""
    text = Text(style=style, no_wrap=no_wrap, overflow=overflow)  # type: ignore[arg-type]
    for part, part_style in _line_runs(markdown):
        text.append(part, part_style or None)
    return text


@lru_cache(maxsize=4096)
def _line_runs(markdown: str) -> tuple[tuple[str, str], ...]:
    """The (text, style) runs :func:`line_text` draws ``markdown`` as (cached: titles are
    drawn again and again, in lists too)."""
    if _LINE_MARKS.search(markdown) is None:  # plain text: nothing to parse
        return ((visible(" ".join(markdown.splitlines())), ""),)
    tokens = _line_parser().parseInline(markdown)
    children = (tokens[0].children or []) if tokens else []
    runs: list[tuple[str, str]] = []
    open_styles: list[str] = []
    for child in children:
        kind = child.type
        if kind.endswith("_open"):
            open_styles.append(_LINE_STYLES.get(kind.removesuffix("_open"), ""))
        elif kind.endswith("_close"):
            if open_styles:
                open_styles.pop()
        elif kind in ("softbreak", "hardbreak"):
            runs.append((" ", ""))
        else:
            content = (
                f"{child.markup}{child.content}{child.markup}"
                if kind == "code_inline"
                else child.content
            )
            runs.append((visible(content), " ".join(s for s in open_styles if s)))
    return tuple(runs)


@lru_cache(maxsize=1)
def _line_parser() -> MarkdownIt:
    return math_parser()


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
    """A run of ``$$…$$`` formulas drawn in two dimensions, re-drawn when its width changes.

    Formulas that follow one another with nothing but blank lines between them are one
    block (:func:`join_runs`), drawn as separate widgets would draw them: each
    centred, a blank row between two formulas unless they were written on consecutive
    lines. A derivation is often such a run, and each widget costs time whenever the
    screen is laid out (a resize of a card of 99 formulas took 60-80 ms as 99 widgets).

    Until a formula's drawing for the current width exists, it shows its drawing for
    another width, or else its LaTeX source, and the block asks its document to have it
    drawn.
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
        self.formulas: list[tuple[str, bool]] = [(token.content.strip(), False)]
        """Each formula's LaTeX, and whether it was written on the line after the one
        before it (then no blank row parts them)."""
        self.document = markdown
        self._rows: tuple[int, list[tuple[str, bool]]] | None = None

    @property
    def latexes(self) -> list[str]:
        """The LaTeX of every formula of the block, in order."""
        return [latex for latex, _joined in self.formulas]

    def absorb(self, other: MathBlock) -> None:
        """Take ``other``, the formula block after this one in the same container, into
        this block; it is then not mounted."""
        joined = self.has_class("-joined")
        self.formulas.extend([(other.formulas[0][0], joined), *other.formulas[1:]])
        self.set_class(other.has_class("-joined"), "-joined")
        self.source_range = (self.source_range[0], other.source_range[1])
        self._rows = None

    def drawings(self, width: int) -> list[tuple[tuple[str, ...], bool]]:
        """Each formula's lines for ``width`` cells and whether they are its drawing for
        that width (else a stand-in, and the block asks for it to be drawn)."""
        found: list[tuple[tuple[str, ...], bool]] = []
        missing = False
        for latex, _joined in self.formulas:
            lines = DISPLAY_CACHE.get(latex, width)
            if lines is None:
                missing = True
                found.append((DISPLAY_CACHE.latest(latex) or (_source(latex),), False))
            else:
                found.append((lines, True))
        if missing:
            self.document.request_drawing(self, width)
        return found

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """As many rows as the drawings need at this width."""
        return len(self.rows(width))

    def rows(self, width: int) -> list[tuple[str, bool]]:
        """Each row of the block at ``width`` cells, and whether it is a stand-in's. Kept
        once every formula is drawn for that width (until :meth:`redrawn`)."""
        if self._rows is not None and self._rows[0] == width:
            return self._rows[1]
        rows: list[tuple[str, bool]] = []
        complete = True
        for (drawing, drawn), (_latex, joined) in zip(
            self.drawings(width), self.formulas, strict=True
        ):
            if rows and not joined:
                rows.append(("", False))
            rows.extend((line, not drawn) for line in drawing)
            complete = complete and drawn
        if complete:
            self._rows = (width, rows)
        return rows

    def redrawn(self) -> None:
        """Formulas of the block have been drawn: show and lay it out again."""
        self._rows = None
        self.refresh(layout=True)

    def render_line(self, y: int) -> Strip:
        """Row ``y``, centred: only the rows on screen are made, so a run of a hundred
        formulas costs a screen update no more than a few do."""
        width = self.size.width
        style = self.visual_style
        rows = self.rows(width)
        if y >= len(rows) or not rows[y][0]:
            return Strip.blank(width, style.rich_style)
        line, stand_in = rows[y]
        excess = width - cell_len(line)
        left = max(excess // 2, 0)
        text_style = (style + _DIM if stand_in else style).rich_style_with_offset(0, y)
        segments = [Segment(" " * left, style.background_style.rich_style)] if left else []
        segments.append(Segment(line, text_style))
        return Strip(segments).crop_extend(0, width, style.rich_style)

    def render(self) -> Text:
        """The drawings for the current width, as literal text (stand-ins dim): what the
        block holds, for selections and tests; the screen draws it by :meth:`render_line`."""
        text = Text(no_wrap=True, overflow="crop")
        for index, (line, stand_in) in enumerate(
            self.rows(self.content_region.width or self.app.size.width)
        ):
            if index:
                text.append("\n")
            text.append(line, style="dim" if stand_in else "")
        return text


def join_runs(blocks: list[MarkdownBlock], top: bool = True) -> list[MarkdownBlock]:
    """``blocks`` with each run of consecutive formula blocks made one block, in this
    container and in every container inside it (see :class:`MathBlock`); and, at the
    document's top level, each run of consecutive paragraphs one paragraph.

    A paragraph directly in the document is followed by a blank row (Textual's
    ``Markdown > MarkdownParagraph`` margin), so a run of them is their text with a blank
    line between each two, drawn as they were, in one widget: a card of a hundred short
    paragraphs was a hundred widgets to lay out again on every resize. Paragraphs inside
    a list item or a quote have no such row and are left apart.
    """
    joined: list[MarkdownBlock] = []
    for block in blocks:
        if block._blocks:
            block._blocks[:] = join_runs(block._blocks, top=False)
        previous = joined[-1] if joined else None
        if isinstance(block, MathBlock) and isinstance(previous, MathBlock):
            previous.absorb(block)
        elif top and type(block) is CardParagraph and type(previous) is CardParagraph:
            previous.set_content(previous._content + _PARAGRAPH_BREAK + block._content)
            previous.source_range = (previous.source_range[0], block.source_range[1])
        else:
            joined.append(block)
    return joined


#: What parts two paragraphs joined into one widget: the blank row a paragraph's margin
#: leaves after it.
_PARAGRAPH_BREAK = Content("\n\n")


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
            blocks = join_runs(list(self._parse_markdown(tokens)))
            for batch in _batches(blocks, MOUNT_BATCH):
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
                for latex in block.latexes:
                    if worker.is_cancelled:
                        break
                    display_math(latex, width)
            self.post_message(self.Drawn(list(requests)))

    @on(Drawn)
    def _redraw(self, message: Drawn) -> None:
        """Lay the drawn blocks out again, now with their drawings."""
        message.stop()
        for block in message.blocks:
            if block.is_attached:
                block.redrawn()
