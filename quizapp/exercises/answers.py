"""Turns what a learner typed into an array.

Three forms are accepted: a number (``0.25``), a matrix (``[[1, 2], [3, 4]]``, or
MATLAB-style ``1 2; 3 4``), and an expression over the names in scope (``delta2 @ a1.T``).
Matrices and numbers go through the same whitelist as expressions, except the MATLAB form,
which is split by hand because it is not Python syntax.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

import numpy as np

from quizapp.exercises.autodiff import Array, Tape, Var
from quizapp.exercises.errors import ExerciseError
from quizapp.exercises.evaluator import evaluate
from quizapp.exercises.language import ANSWER, compile_expression, function_hint
from quizapp.exercises.limits import MAX_DIM, MAX_ELEMENTS

#: A MATLAB-style matrix of plain numbers may be longer than an expression.
MAX_MATRIX_TEXT = 20_000

#: One number; written so that no input makes it backtrack (``\d+(\.\d*)?``, not
#: ``\d+\.?\d*``, which is quadratic on a long run of digits that fails at the end).
_NUMBER = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")
#: Longer tokens are not numbers anyone types.
_MAX_TOKEN = 40
_TRANSLATE = str.maketrans({"\u2212": "-"})


def parse_matlab(text: str) -> Array | None:
    """``1 2; 3 4`` → a 2×2 array; None when ``text`` is not in that form.

    Rows are separated by ``;`` or newlines, entries by spaces or commas; square brackets
    around the whole are allowed. One row without ``;`` is a row vector (``1 2 3`` is
    1×3); a single number is not a matrix (None: it is read as a number).
    """
    text = text.translate(_TRANSLATE).strip()
    if len(text) > MAX_MATRIX_TEXT:
        raise ExerciseError(f"text is {len(text)} characters long; the limit is {MAX_MATRIX_TEXT}")
    if text.startswith("[") and text.endswith("]"):
        inner = text[1:-1]
        if "[" in inner or "]" in inner or (";" not in inner and "," in inner):
            return None  # a Python list literal: leave it to the expression parser
        text = inner.strip()
    rows_text = [r for r in re.split(r"[;\n]", text)]
    if rows_text and not rows_text[-1].strip():
        rows_text.pop()  # a trailing ``;``
    rows: list[list[float]] = []
    for row_text in rows_text:
        tokens = [t for t in re.split(r"[\s,]+", row_text.strip()) if t]
        if not tokens or not all(len(t) <= _MAX_TOKEN and _NUMBER.fullmatch(t) for t in tokens):
            return None
        values = [float(t) for t in tokens]
        if not all(math.isfinite(v) for v in values):
            raise ExerciseError("number too large")
        rows.append(values)
    if not rows or (len(rows) == 1 and len(rows[0]) == 1 and ";" not in text):
        return None
    width = len(rows[0])
    if any(len(r) != width for r in rows):
        raise ExerciseError("matrix rows have different lengths")
    if len(rows) > MAX_DIM or width > MAX_DIM or len(rows) * width > MAX_ELEMENTS:
        raise ExerciseError("matrix is too large")
    return np.array(rows, dtype=np.float64)


def parse_answer(text: str, scope: Mapping[str, Array]) -> Array:
    """The value of a typed answer; names in ``scope`` may be used in an expression.

    Raises ``ExerciseError`` for anything refused (syntax, unknown names, limits,
    NaN or infinity).
    """
    matrix = parse_matlab(text)
    if matrix is None:
        expression = compile_expression(text, ANSWER)
        unknown = sorted(expression.names - scope.keys())
        if unknown:
            known = ", ".join(sorted(scope)) or "none"
            raise ExerciseError(
                f"unknown name `{unknown[0]}` (you can use: {known}){function_hint(unknown[0])}"
            )
        tape = Tape()
        env: dict[str, Var] = {
            name: tape.constant(scope[name]) for name in sorted(expression.names)
        }
        with np.errstate(all="ignore"):
            matrix = evaluate(expression.root, env, tape).value
    if not np.all(np.isfinite(matrix)):
        raise ExerciseError("the answer is NaN or infinite")
    return matrix
