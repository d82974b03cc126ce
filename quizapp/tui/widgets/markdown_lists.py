"""Markdown lists drawn as Textual draws them, with one widget fewer per item.

Textual puts each list item in a ``Horizontal`` holding its bullet and a ``Vertical``
around its blocks: four widgets for a one-line item, two of them nested containers whose
heights Textual works out again for every layout. Layout and restyling cost time for
every widget, so a card made of a long list stalled the app longest when it was shown or
the terminal resized (``bench/parts/card_display.py``). Here an item is one container,
:class:`ListItemBox`: the bullet is docked to its left and the blocks follow in it, which
takes the same cells, drawn the same way (the bullet is Textual's ``MarkdownBullet``
with its own style, the blocks are clipped to the item as before).
"""

from __future__ import annotations

import contextlib

from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets._markdown import (
    MarkdownBlock,
    MarkdownBullet,
    MarkdownBulletList,
    MarkdownListItem,
    MarkdownOrderedList,
    MarkdownOrderedListItem,
)


class ListItemBox(Widget):
    """One list item: its bullet docked left, its blocks beside it, top to bottom."""

    DEFAULT_CSS = """
    ListItemBox {
        width: 1fr;
        height: auto;
        layout: vertical;
        overflow: hidden hidden;
        & > MarkdownBullet { dock: left; }
    }
    """

    def __init__(self, symbol: str, blocks: list[MarkdownBlock]) -> None:
        bullet = MarkdownBullet()
        bullet.symbol = symbol
        super().__init__(bullet, *blocks)


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
