"""The browse table: one row per card, a title column that takes the free width, and a
column cursor in the header that picks the column ``o`` sorts by.

A row cursor reads best for a list of cards, so the rows keep it; left and right move a
second cursor along the header instead (the header cell under it is drawn reversed, the
sorted column carries ▲ or ▼). Narrow terminals drop the least useful columns first, so the
title never shrinks below ``TITLE_MIN`` and nothing needs scrolling sideways; the line under
the table shows the highlighted card's deck and tags in full.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.widgets import DataTable


@dataclass(frozen=True)
class TableColumn:
    """A column: its key (also the sort order's name), its heading, its fixed width (the
    title has none: it takes what is left), and when it goes on a narrow terminal."""

    key: str
    heading: str
    width: int
    drop_order: int = 0
    """0: always shown; otherwise the n-th column to drop when the title runs short."""


COLUMNS: tuple[TableColumn, ...] = (
    TableColumn("title", "title", 0),
    TableColumn("kind", "kind", 8, drop_order=4),
    TableColumn("deck", "deck", 10, drop_order=6),
    TableColumn("tags", "tags", 16),
    TableColumn("difficulty", "diff", 6),
    TableColumn("state", "state", 9),
    TableColumn("due", "due", 8),
    TableColumn("stability", "stab", 6, drop_order=2),
    TableColumn("recall", "recall", 7, drop_order=5),
    TableColumn("reviews", "revs", 5, drop_order=3),
    TableColumn("lapses", "lapses", 7, drop_order=1),
)

#: The title column's least width: below it, columns are dropped instead (when none is left
#: to drop, the title takes what remains, down to ``TITLE_FLOOR``).
TITLE_MIN = 30
TITLE_FLOOR = 12

#: The width laid out for before the table learns its own (on its first resize).
FIRST_WIDTH = 100


def fit_columns(width: int, padding: int = 1) -> tuple[tuple[TableColumn, ...], int]:
    """The columns shown in ``width`` cells, and the title's width: every column that fits
    beside a title of ``TITLE_MIN``, dropping by ``drop_order``; the title takes the rest."""
    shown = list(COLUMNS)
    droppable = sorted((c for c in COLUMNS if c.drop_order), key=lambda c: c.drop_order)

    def title_width() -> int:
        fixed = sum(c.width for c in shown if c.key != "title")
        return width - fixed - 2 * padding * len(shown)

    while title_width() < TITLE_MIN and droppable:
        shown.remove(droppable.pop(0))
    return tuple(shown), max(TITLE_FLOOR, title_width())


class CardTable(DataTable[Text]):
    """A DataTable of cards whose columns follow the terminal's width, with a column cursor
    (left / right) and a sort indicator in the header."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "column(-1)", "Column ←", show=False, id="browse.column_left"),
        Binding("right", "column(1)", "Column →", show=False, id="browse.column_right"),
    ]

    DEFAULT_CSS = """
    CardTable { width: 100%; scrollbar-size-vertical: 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.sort_key = "title"
        """The column the rows are sorted by."""
        self.sort_reverse = False
        """Whether that sort is descending."""
        self.column_cursor = 0
        """The index, among the shown columns, of the header cell ``o`` would sort by."""
        self.shown_columns: tuple[TableColumn, ...] = ()
        """The columns on screen, in order."""
        self.title_width = TITLE_MIN
        """The title column's width at the current size."""
        self.row_cells: list[dict[str, Text]] = []
        """Every row's cells by column key, those of hidden columns too: a wider terminal
        shows them without reading the cards again."""
        self._build(*fit_columns(FIRST_WIDTH))

    # ------------------------------------------------------------------ layout

    def on_resize(self, event: events.Resize) -> None:
        """A new width: lay the columns out for it (only when that changes them)."""
        usable = event.size.width - self.styles.scrollbar_size_vertical
        columns, title = fit_columns(usable, self.cell_padding)
        if (columns, title) != (self.shown_columns, self.title_width):
            self._build(columns, title)

    def _build(self, columns: tuple[TableColumn, ...], title: int) -> None:
        """Lay the columns out again, keeping the rows and the cursors."""
        key = self.cursor_key
        row = self.cursor_row
        self.clear(columns=True)
        self.shown_columns, self.title_width = columns, title
        self.column_cursor = self._index_of(key)
        for column in columns:
            width = title if column.key == "title" else column.width
            self.add_column(self._label(column), key=column.key, width=width)
        self._add(self.row_cells)
        if self.row_cells:
            self.move_cursor(row=row, animate=False)

    def _keys(self) -> list[str]:
        return [c.key for c in self.shown_columns]

    def _index_of(self, key: str) -> int:
        keys = self._keys()
        return keys.index(key) if key in keys else 0

    # ------------------------------------------------------------------- rows

    def set_rows(self, rows: list[dict[str, Text]], *, replace: bool) -> None:
        """Show ``rows`` (cells by column key), replacing what is shown or after it."""
        if replace:
            self.clear()
            self.row_cells = []
        self.row_cells.extend(rows)
        self._add(rows)

    def _add(self, rows: list[dict[str, Text]]) -> None:
        self.add_rows([cells.get(c.key, Text()) for c in self.shown_columns] for cells in rows)

    # ---------------------------------------------------------------- header

    @property
    def cursor_key(self) -> str:
        """The key of the column under the column cursor."""
        keys = self._keys()
        return keys[self.column_cursor] if 0 <= self.column_cursor < len(keys) else "title"

    def action_column(self, step: int) -> None:
        """Move the column cursor along the header (the sort follows on ``o``)."""
        self.move_column_cursor(self.column_cursor + step)

    def move_column_cursor(self, index: int) -> None:
        """Put the column cursor on the ``index``-th shown column, scrolled into view."""
        self.column_cursor = max(0, min(index, len(self.shown_columns) - 1))
        self._relabel()
        left = sum(
            (self.title_width if c.key == "title" else c.width) + 2 * self.cell_padding
            for c in self.shown_columns[: self.column_cursor]
        )
        if left < self.scroll_x or left >= self.scroll_x + self.scrollable_content_region.width:
            self.scroll_to(x=left, animate=False)

    def sort_on(self, key: str) -> None:
        """Sort by ``key``; the column already sorted by turns around."""
        self.sort_reverse = not self.sort_reverse if key == self.sort_key else False
        self.sort_key = key
        self.column_cursor = self._index_of(key)
        self._relabel()

    def _label(self, column: TableColumn) -> Text:
        arrow = ("▼" if self.sort_reverse else "▲") if column.key == self.sort_key else ""
        label = Text(column.heading + arrow, no_wrap=True)
        if column.key == self.cursor_key and self.shown_columns:
            label.stylize("reverse")
        return label

    def _relabel(self) -> None:
        for column in self.shown_columns:
            self.columns[column.key].label = self._label(column)  # type: ignore[index]
        self.notify_style_update()  # drops the cached header cells
