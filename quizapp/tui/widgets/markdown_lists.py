"""Markdown lists drawn as Textual draws them, with fewer widgets per item.

Textual puts each list item in a ``Horizontal`` holding its bullet and a ``Vertical``
around its blocks: four widgets for a one-line item, two of them nested containers whose
heights Textual works out again for every layout. Layout and restyling cost time for
every widget, so a card made of a long list stalled the app longest when it was shown or
the terminal resized (``bench/parts/card_display.py``). Here an item draws its own bullet:
it is padded on the left by the bullet's width and draws the bullet there, in the colours
of Textual's ``MarkdownBullet``. An item that is one paragraph, as most are, is that
paragraph alone (:class:`ListItemParagraph`, one widget); any other is one container
around its blocks (:class:`ListItemBox`). The cells are the same, drawn the same way
(``tests/tui/test_card_mounting.py`` compares the pictures with Textual's own lists).
"""

from __future__ import annotations

import contextlib
from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from textual.app import ComposeResult
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets._markdown import (
    MarkdownBlock,
    MarkdownBulletList,
    MarkdownListItem,
    MarkdownOrderedList,
    MarkdownOrderedListItem,
)

from quizapp.tui.widgets.markdown_blocks import CardParagraph

#: The component class a list item's bullet is drawn in (the colours of Textual's
#: ``MarkdownBullet``, declared by each item class).
BULLET = "list-item--bullet"
_BULLET_CSS = """
    & > .list-item--bullet {
        color: $text-primary;
    }
    &:light > .list-item--bullet {
        color: $text-secondary;
    }
"""


def _padded(widget: Widget, symbol: str) -> None:
    """Pad ``widget`` on the left by the width of the bullet it draws there."""
    widget.styles.padding = (0, 0, 0, cell_len(symbol))


def _with_bullet(widget: Widget, symbol: str, strips: list[Strip], crop: Region) -> list[Strip]:
    """``strips`` (``crop`` of ``widget``) with the bullet over the first row's padding."""
    if strips and crop.y == 0 and crop.x == 0:
        width = cell_len(symbol)
        bullet = Strip([Segment(symbol, widget.get_component_rich_style(BULLET))], width)
        strips[0] = Strip.join([bullet, strips[0].crop(width)])
    return strips


class ListItemBox(Widget):
    """One list item of several blocks (or none): its blocks top to bottom, its bullet
    drawn in its left padding."""

    DEFAULT_CSS = (
        """
    ListItemBox {
        width: 1fr;
        height: auto;
        layout: vertical;
        overflow: hidden hidden;
"""
        + _BULLET_CSS
        + "}"
    )

    COMPONENT_CLASSES: ClassVar[set[str]] = {BULLET}

    def __init__(self, symbol: str, blocks: list[MarkdownBlock]) -> None:
        super().__init__(*blocks)
        self.symbol = symbol
        _padded(self, symbol)

    def render_lines(self, crop: Region) -> list[Strip]:
        """The item's rows, with the bullet on the first."""
        return _with_bullet(self, self.symbol, super().render_lines(crop), crop)


class ListItemParagraph(CardParagraph):
    """One list item that is one paragraph (most are): the paragraph itself, padded by
    its bullet, which it draws. One widget where Textual has four."""

    DEFAULT_CSS = "ListItemParagraph {" + _BULLET_CSS + "}"

    COMPONENT_CLASSES: ClassVar[set[str]] = {BULLET}

    def __init__(self, symbol: str, paragraph: CardParagraph) -> None:
        super().__init__(paragraph._markdown, paragraph._token, paragraph.source_range)
        self._inline_token = paragraph._inline_token
        self.set_content(paragraph._content)
        self.symbol = symbol
        _padded(self, symbol)

    def render_lines(self, crop: Region) -> list[Strip]:
        """The paragraph's rows, with the bullet on the first."""
        return _with_bullet(self, self.symbol, super().render_lines(crop), crop)


def list_item(symbol: str, blocks: list[MarkdownBlock]) -> Widget:
    """The widget of one list item: :class:`ListItemParagraph` for a lone paragraph, else
    :class:`ListItemBox`."""
    if len(blocks) == 1 and type(blocks[0]) is CardParagraph:
        return ListItemParagraph(symbol, blocks[0])
    return ListItemBox(symbol, blocks)


class CardBulletList(MarkdownBulletList):
    """A bullet list whose items are :class:`ListItemBox` widgets."""

    def compose(self) -> ComposeResult:
        for block in self._blocks:
            if isinstance(block, MarkdownListItem):
                yield list_item(block.bullet, block._blocks)
        self._blocks.clear()


class CardOrderedList(MarkdownOrderedList):
    """A numbered list whose items are :class:`ListItemBox` widgets, numbered as Textual
    numbers them (from the first item's number, right-aligned to the widest)."""

    def compose(self) -> ComposeResult:
        suffix = ". "
        start = 1
        if self._blocks and isinstance(self._blocks[0], MarkdownOrderedListItem):
            with contextlib.suppress(ValueError):
                start = int(self._blocks[0].bullet)
        size = max(
            (
                len(f"{number}{suffix}")
                for number, block in enumerate(self._blocks, start)
                if isinstance(block, MarkdownListItem)
            ),
            default=0,
        )
        for number, block in enumerate(self._blocks, start):
            if isinstance(block, MarkdownListItem):
                yield list_item(f"{number}{suffix}".rjust(size + 1), block._blocks)
        self._blocks.clear()


#: The list blocks a card's Markdown is drawn with, by markdown-it token type.
LIST_BLOCKS: dict[str, type[MarkdownBlock]] = {
    "bullet_list_open": CardBulletList,
    "ordered_list_open": CardOrderedList,
}
