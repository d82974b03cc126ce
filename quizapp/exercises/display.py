"""Plain-text rendering of arrays, shared by the CLI and the TUI.

Both front ends must show the same numbers the same way, so the learner can copy what
they see; this module decides the number format, the column alignment and the brackets.
"""

from __future__ import annotations

import math

import numpy as np

from quizapp.exercises.autodiff import Array, shape_text

#: Decimals shown for a matrix whose entries are all at least 0.1 in size; entries down to
#: 1e-3 get one more decimal per factor of ten, so every entry keeps four significant
#: digits (0.0012 would carry two: an answer worked from it is off by 4 %).
DECIMALS = 4
#: Most decimals before switching to scientific notation (below 1e-3).
MAX_DECIMALS = 6


def format_number(value: float, fixed: bool | int = True) -> str:
    """Fixed-point with ``fixed`` decimals (True: four, ``-0.1234``), else three-digit
    scientific (``1.234e-05``)."""
    if fixed is not False:
        places = DECIMALS if fixed is True else int(fixed)
        text = f"{value:.{places}f}"
        return text.lstrip("-") if float(text) == 0 else text
    return f"{value:.3e}"


def _decimals(a: Array) -> int | bool:
    """Decimals for ``a`` (four significant digits for its smallest non-zero entry), or
    False when scientific notation suits it (entries below 1e-3 or above 1e5)."""
    finite = a[np.isfinite(a)]
    nonzero = np.abs(finite[finite != 0])
    if nonzero.size == 0:
        return DECIMALS
    smallest = float(nonzero.min())
    if nonzero.max() >= 1e5 or smallest < 1e-3:
        return False
    return min(MAX_DECIMALS, DECIMALS + max(0, -math.floor(math.log10(smallest)) - 1))


def displayed(a: Array) -> Array:
    """The numbers as ``format_matrix`` shows them: what a learner can copy.

    The gameability audit computes answers from these, to check that an answer worked
    from the display is accepted.
    """
    a = np.asarray(a, dtype=np.float64)
    fixed = _decimals(a)
    flat = [float(format_number(float(v), fixed)) for v in a.reshape(-1)]
    return np.array(flat, dtype=np.float64).reshape(a.shape)


def format_matrix(a: Array) -> list[str]:
    """Lines of an aligned grid, then a last line with the shape (``2×1``, ``scalar``).

    Columns are right-aligned; a matrix of several rows gets ⎡⎢⎣ brackets, one row gets
    [ ]. A scalar is one number. Four decimals, more when an entry is below 0.1 (each
    entry keeps four significant digits), scientific below 1e-3 or from 1e5.
    """
    a = np.asarray(a, dtype=np.float64)
    fixed = _decimals(a)
    if a.ndim == 0 or (a.size == 1 and a.ndim != 2):
        return [format_number(float(a.reshape(())), fixed), shape_text(tuple(a.shape))]
    grid = a.reshape(a.shape[0], -1) if a.ndim != 2 else a
    cells = [[format_number(float(v), fixed) for v in row] for row in grid]
    widths = [max(len(row[j]) for row in cells) for j in range(grid.shape[1])]
    bodies = ["  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    if len(bodies) == 1:
        lines = [f"[ {bodies[0]} ]"]
    else:
        lines = []
        for i, body in enumerate(bodies):
            left, right = (
                ("⎡", "⎤") if i == 0 else ("⎣", "⎦") if i == len(bodies) - 1 else ("⎢", "⎥")
            )
            lines.append(f"{left} {body} {right}")
    return [*lines, shape_text(tuple(a.shape))]
