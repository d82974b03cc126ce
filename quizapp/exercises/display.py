"""Plain-text rendering of arrays, shared by the CLI and the TUI.

Both front ends must show the same numbers the same way, so the learner can copy what
they see; this module decides the number format, the column alignment and the brackets.
"""

from __future__ import annotations

import numpy as np

from quizapp.exercises.autodiff import Array, shape_text


def format_number(value: float, fixed: bool = True) -> str:
    """Four decimals (``-0.1234``) when ``fixed``, else three-digit scientific."""
    if fixed:
        text = f"{value:.4f}"
        return "0.0000" if text == "-0.0000" else text
    return f"{value:.3e}"


def _fixed_is_readable(a: Array) -> bool:
    finite = a[np.isfinite(a)]
    nonzero = np.abs(finite[finite != 0])
    if nonzero.size == 0:
        return True
    return bool(nonzero.max() < 1e5 and nonzero.min() >= 1e-3)


def format_matrix(a: Array) -> list[str]:
    """Lines of an aligned grid, then a last line with the shape (``2×1``, ``scalar``).

    Columns are right-aligned; a matrix of several rows gets ⎡⎢⎣ brackets, one row gets
    [ ]. A scalar is one number.
    """
    a = np.asarray(a, dtype=np.float64)
    fixed = _fixed_is_readable(a)
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
            left, right = ("⎡", "⎤") if i == 0 else ("⎣", "⎦") if i == len(bodies) - 1 else (
                "⎢", "⎥")
            lines.append(f"{left} {body} {right}")
    return [*lines, shape_text(tuple(a.shape))]
