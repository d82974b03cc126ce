"""A table of named groups (decks, tags) whose name column fits the width it is given.

Deck and tag names can be long paths that differ only at their end. The table shows each
name shortened to its column (``quizapp.cards.short_names``) and keeps the full name at
hand: as the tooltip of the row under the mouse, and under the table, in its border's
subtitle, for the row under the cursor. The name column takes whatever width the other
columns leave, so a wider terminal shows more of each name.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.content import Content
from textual.coordinate import Coordinate
from textual.widgets import DataTable

from quizapp.cards.short_names import shortened
from quizapp.tui.literal import visible

#: The name column's width before the table has been laid out.
FALLBACK_WIDTH = 18

#: The narrowest name column a table is given room for when space is short.
MIN_NAME_WIDTH = 10


class NameTable(DataTable[Text]):
    """Rows of a name and figures; :meth:`show_rows` fills it for its current width."""

    DEFAULT_CSS = """
    NameTable { scrollbar-size-vertical: 1; }
    """

    def __init__(
        self,
        name_label: str,
        figures: Sequence[tuple[str, int]],
        *,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes, cursor_type="row")
        self.name_label = name_label
        self.figures = list(figures)
        self.full_names: list[str] = []
        self._rows: list[tuple[str, Sequence[Text]]] = []
        self._width = 0

    def name_width(self) -> int:
        """The cells the name column may take: the table's width less its other columns
        and every column's padding (and a scrollbar's, once rows overflow)."""
        room = self.scrollable_content_region.width
        if room <= 0:
            return FALLBACK_WIDTH
        columns = 1 + len(self.figures)
        used = sum(width for _, width in self.figures) + 2 * self.cell_padding * columns
        return max(room - used - 1, 6)

    def width_for(self, name_width: int) -> int:
        """The outer width (border and padding included) that gives the name column
        ``name_width`` cells beside every figure column, whole."""
        columns = 1 + len(self.figures)
        used = sum(width for _, width in self.figures) + 2 * self.cell_padding * columns
        scrollbar = self.styles.scrollbar_size_vertical
        return name_width + used + 1 + scrollbar + self.styles.gutter.width

    def wanted_width(self) -> int:
        """The outer width that shows every name whole (and the heading)."""
        longest = max((cell_len(visible(name)) for name, _ in self._rows), default=0)
        return self.width_for(max(longest, cell_len(self.name_label), MIN_NAME_WIDTH))

    def least_width(self) -> int:
        """The outer width below which the figures would be cut."""
        return self.width_for(MIN_NAME_WIDTH)

    def set_figures(self, figures: Sequence[tuple[str, int]]) -> None:
        """Change the figure columns (their labels and widths); rows are drawn again."""
        if list(figures) != self.figures:
            self.figures = list(figures)
            self._width = 0
            self._draw()

    def show_rows(self, rows: Sequence[tuple[str, Sequence[Text]]]) -> None:
        """Show ``rows``, each a full name and its figure cells."""
        self._rows = list(rows)
        self._width = 0
        self._draw()

    def on_resize(self) -> None:
        """A new width: the names are shortened again for it."""
        if self.name_width() != self._width:
            self._draw()

    def _draw(self) -> None:
        width = self.name_width()
        self._width = width
        row = self.cursor_row
        self.clear(columns=True)
        self.add_column(self.name_label, width=width)
        for label, figure_width in self.figures:
            self.add_column(label, width=figure_width)
        self.full_names = [name for name, _ in self._rows]
        names = shortened(self.full_names, width)
        for short, (_, cells) in zip(names, self._rows, strict=True):
            self.add_row(Text(visible(short)), *cells)
        if self._rows:
            self.move_cursor(row=min(row, len(self._rows) - 1))
        self._name_under_cursor()

    def full_name(self, row: int) -> str | None:
        """The full name of row ``row``, if there is one."""
        return self.full_names[row] if 0 <= row < len(self.full_names) else None

    def watch_hover_coordinate(self, old: Coordinate, value: Coordinate) -> None:
        """The mouse is over another row: its full name becomes the tooltip."""
        super().watch_hover_coordinate(old, value)
        name = self.full_name(value.row)
        self.tooltip = Content(visible(name)) if name else None

    @on(DataTable.RowHighlighted)
    def _name_under_cursor(self) -> None:
        """The full name of the row under the cursor, under the table."""
        name = self.full_name(self.cursor_row) if self.has_focus else None
        self.border_subtitle = Content(visible(name)) if name else None

    def on_focus(self) -> None:
        self._name_under_cursor()

    def on_blur(self) -> None:
        self.border_subtitle = None
