"""Markdown lists drawn as Textual draws them, with two widgets fewer per item.

Textual puts each list item in a ``Horizontal`` holding its bullet and a ``Vertical``
around its blocks: four widgets for a one-line item, two of them nested containers whose
heights Textual works out again for every layout. Layout and restyling cost time for
every widget, so a card made of a long list stalled the app longest when it was shown or
the terminal resized (``bench/parts/card_display.py``). Here an item is one container,
:class:`ListItemBox`, holding its blocks: it is padded on the left by the bullet's width
and draws the bullet there itself, in the colours of Textual's ``MarkdownBullet``. The
cells are the same, drawn the same way (``tests/tui/test_card_mounting.py`` compares the
pictures), and the blocks are clipped to the item as before.
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


class ListItemBox(Widget):
    """One list item: its blocks top to bottom, its bullet drawn in its left padding.

    The bullet is no widget: the item is padded by the bullet's width and draws the
    bullet there on its first row, in the colours Textual's ``MarkdownBullet`` has.
    """

    DEFAULT_CSS = """
    ListItemBox {
        width: 1fr;
        height: auto;
        layout: vertical;
        overflow: hidden hidden;
        & > .list-item--bullet {
            color: $text-primary;
        }
        &:light > .list-item--bullet {
            color: $text-secondary;
        }
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {"list-item--bullet"}

    def __init__(self, symbol: str, blocks: list[MarkdownBlock]) -> None:
        super().__init__(*blocks)
        self.symbol = symbol
        self.styles.padding = (0, 0, 0, cell_len(symbol))

    def render_lines(self, crop: Region) -> list[Strip]:
        """The item's rows, with the bullet on the first."""
        strips = super().render_lines(crop)
        if strips and crop.y == 0 and crop.x == 0:
            width = cell_len(self.symbol)
            style = self.get_component_rich_style("list-item--bullet")
            bullet = Strip([Segment(self.symbol, style)], width)
            strips[0] = Strip.join([bullet, strips[0].crop(width)])
        return strips


class CardBulletList(MarkdownBulletList):
    """A bullet list whose items are :class:`ListItemBox` widgets."""

    def compose(self) -> ComposeResult:
        for block in self._blocks:
            if isinstance(block, MarkdownListItem):
                yield ListItemBox(block.bullet, block._blocks)
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
                yield ListItemBox(f"{number}{suffix}".rjust(size + 1), block._blocks)
        self._blocks.clear()


#: The list blocks a card's Markdown is drawn with, by markdown-it token type.
LIST_BLOCKS: dict[str, type[MarkdownBlock]] = {
    "bullet_list_open": CardBulletList,
    "ordered_list_open": CardOrderedList,
}
