"""Two-dimensional text boxes with a baseline, the building blocks of display mode.

A box is a list of lines, all padded to the same width in terminal cells, plus the index of
the line that lines up with its neighbours (the baseline): the rule of a fraction, the
middle row of a matrix. Widths are measured with ``rich.cells.cell_len`` so that combining
accents (zero cells) and wide glyphs (two cells) still line up.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len


@dataclass(frozen=True)
class Box:
    """Lines of equal cell width and the row that sits on the baseline."""

    lines: tuple[str, ...]
    baseline: int
    width: int

    @property
    def height(self) -> int:
        """Number of lines."""
        return len(self.lines)

    @property
    def above(self) -> int:
        """Lines above the baseline."""
        return self.baseline

    @property
    def below(self) -> int:
        """Lines below the baseline."""
        return len(self.lines) - self.baseline - 1


def pad(text: str, width: int, align: str = "l") -> str:
    """``text`` padded with spaces to ``width`` cells: ``l``eft, ``c``entre or ``r``ight."""
    gap = width - cell_len(text)
    if gap <= 0:
        return text
    if align == "r":
        return " " * gap + text
    if align == "c":
        left = gap // 2
        return " " * left + text + " " * (gap - left)
    return text + " " * gap


def text_box(text: str) -> Box:
    """A one-line box."""
    return Box((text,), 0, cell_len(text))


def widen(box: Box, width: int, align: str = "l") -> Box:
    """The box padded sideways to ``width`` cells."""
    if width <= box.width:
        return box
    return Box(tuple(pad(line, width, align) for line in box.lines), box.baseline, width)


def hconcat(boxes: list[Box], seps: list[int]) -> Box:
    """Boxes side by side, baselines aligned, ``seps[i]`` spaces before box ``i``."""
    if not boxes:
        return text_box("")
    above = max(box.above for box in boxes)
    below = max(box.below for box in boxes)
    lines = [""] * (above + below + 1)
    for box, sep in zip(boxes, seps, strict=True):
        top = above - box.above
        blank = " " * box.width
        for row in range(len(lines)):
            inner = row - top
            line = box.lines[inner] if 0 <= inner < box.height else blank
            lines[row] += " " * sep + line
    width = sum(seps) + sum(box.width for box in boxes)
    return Box(tuple(lines), above, width)


def vstack(boxes: list[Box], baseline_box: int, align: str = "c") -> Box:
    """Boxes one above the other; the baseline is that of ``boxes[baseline_box]``."""
    width = max(box.width for box in boxes)
    lines: list[str] = []
    baseline = 0
    for index, box in enumerate(boxes):
        if index == baseline_box:
            baseline = len(lines) + box.baseline
        lines.extend(pad(line, width, align) for line in box.lines)
    return Box(tuple(lines), baseline, width)


def overlay_column(base: Box, pieces: list[tuple[int, Box]]) -> Box:
    """``base`` with boxes placed in one column to its right, each at a row relative to the
    base's top row (negative rows are above it); used for super- and subscripts."""
    top = min([0] + [row for row, _ in pieces])
    bottom = max([base.height - 1] + [row + box.height - 1 for row, box in pieces])
    width = max(box.width for _, box in pieces)
    lines: list[str] = []
    for row in range(top, bottom + 1):
        left = base.lines[row] if 0 <= row < base.height else " " * base.width
        right = " " * width
        for start, box in pieces:
            if start <= row < start + box.height:
                right = pad(box.lines[row - start], width)
        lines.append(left + right)
    return Box(tuple(lines), base.baseline - top, base.width + width)
