"""Reusable widgets of the quizapp TUI, one per file."""

from collections.abc import Sequence
from typing import Any

from textual.widgets import DataTable


def add_fixed_columns(table: DataTable[Any], columns: Sequence[tuple[str, int]]) -> None:
    """Add columns of fixed widths.

    Auto-sized columns are re-measured lazily after rows arrive, so a table could be drawn
    with header-sized columns for a frame; fixed widths draw the same every time.
    """
    for label, width in columns:
        table.add_column(label, width=width)
