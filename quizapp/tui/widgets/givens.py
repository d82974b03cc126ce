"""An exercise's named values, laid out by their measured width.

A matrix broken across lines cannot be read, and a fixed grid of columns either wastes
the width of a wide terminal or wraps a wide matrix in a narrow one. So each value is a
block measured in cells; as many blocks as fit share a row, each one whole, and when a
single block is wider than the terminal the panel scrolls sideways instead of wrapping.
The layout is worked out again on every resize.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import ScrollableContainer
from textual.widgets import Static

from quizapp.tui.literal import visible

#: Blank cells between two blocks of one row.
GAP = 3


def value_block(name: str, lines: Sequence[str]) -> list[Text]:
    """The lines of a named value: its name and shape (the last of ``lines``, as
    ``format_matrix`` gives them) over its rows."""
    *rows, shape = lines
    head = Text(visible(name), style="bold")
    head.append(f"  {shape}", style="dim")
    return [head, *(Text(row) for row in rows)]


def block_width(block: Sequence[Text]) -> int:
    """The cells a block's widest line takes."""
    return max((line.cell_len for line in block), default=0)


def pack(widths: Sequence[int], available: int, gap: int = GAP) -> list[list[int]]:
    """Indices of the blocks on each row: in order, as many as fit in ``available``
    cells with ``gap`` between them; a block wider than ``available`` gets a row alone."""
    rows: list[list[int]] = []
    used = 0
    for index, width in enumerate(widths):
        if rows and used + gap + width <= available:
            rows[-1].append(index)
            used += gap + width
        else:
            rows.append([index])
            used = width
    return rows


def join_rows(
    blocks: Sequence[Sequence[Text]], available: int, gap: int = GAP, between: str = "\n"
) -> Text:
    """The blocks packed into rows (``pack``), side by side, ``between`` (a blank line)
    separating rows."""
    widths = [block_width(block) for block in blocks]
    out = Text(no_wrap=True, overflow="ignore", end="")
    for number, row in enumerate(pack(widths, available, gap)):
        if number:
            out.append("\n" + between)
        height = max(len(blocks[i]) for i in row)
        for line_number in range(height):
            if line_number:
                out.append("\n")
            line = Text()
            for position, i in enumerate(row):
                part = blocks[i][line_number].copy() if line_number < len(blocks[i]) else Text()
                if position < len(row) - 1:
                    part.pad_right(widths[i] - part.cell_len + gap)
                line.append_text(part)
            line.rstrip()
            out.append_text(line)
    return out


class Givens(ScrollableContainer, can_focus=False):
    """The values of an exercise, packed into rows by width; scrolls sideways when one
    value alone is wider than the panel."""

    DEFAULT_CSS = """
    Givens {
        height: auto;
        overflow-x: auto;
        overflow-y: hidden;
        padding: 0 1;
        scrollbar-size-horizontal: 1;
    }
    Givens > #givens-text { width: auto; height: auto; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._blocks: list[list[Text]] = []
        self._packed_for = -1

    def compose(self) -> ComposeResult:
        yield Static("", id="givens-text")

    def show(self, blocks: Sequence[Sequence[Text]]) -> None:
        """Draw ``blocks`` (each a list of lines, from ``value_block``)."""
        self._blocks = [list(block) for block in blocks]
        self._packed_for = -1
        self._layout()

    @property
    def block_rows(self) -> list[list[int]]:
        """The blocks on each row as now laid out (for tests and the help)."""
        widths = [block_width(block) for block in self._blocks]
        return pack(widths, self._available())

    def _available(self) -> int:
        return max(self.size.width, 1)

    def on_resize(self) -> None:
        self._layout()

    def _layout(self) -> None:
        if not self.is_mounted or not self._blocks:
            return
        available = self._available()
        if available == self._packed_for:
            return
        self._packed_for = available
        self.query_one("#givens-text", Static).update(join_rows(self._blocks, available))
