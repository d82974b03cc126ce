"""Says what would give the expected shape when an answer has the wrong one.

"expected 2×1, got 2×2" tells a learner that something is wrong, not what. The usual
causes are few: ``@`` where ``*`` belongs or the reverse, a factor that needed a
transpose, a sum over the batch left out, or a flat list ``[a, b]`` meant as a row (it
is a column). This module tries those changes on the learner's own expression and names
the first that gives the expected shape.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import numpy as np

from quizapp.exercises.autodiff import ELEMENTWISE, MATMUL, Array, Tape, Var, shape_text
from quizapp.exercises.errors import ExerciseError
from quizapp.exercises.evaluator import OUTER, TRANSPOSE_LEFT, TRANSPOSE_RIGHT, evaluate
from quizapp.exercises.language import ANSWER, Binary, Expr, compile_expression, walk

#: ``[0.08, 0.06]``: one pair of brackets around numbers separated by commas.
_FLAT_LIST = re.compile(r"\[\s*[^\[\];]*,[^\[\];]*\]")

#: What each swap of an ``@`` or ``*`` means, in words.
_SWAPS = (
    ("@", ELEMENTWISE, "`*` in place of the {nth}`@`"),
    ("*", MATMUL, "`@` in place of the {nth}`*`"),
    ("@", TRANSPOSE_LEFT, "transposing the left factor of the {nth}`@`"),
    ("@", TRANSPOSE_RIGHT, "transposing the right factor of the {nth}`@`"),
    ("*", OUTER, "an outer product, `a @ b.T`, in place of the {nth}`*`"),
)


def flat_list_advice(text: str, got: tuple[int, ...], expected: tuple[int, ...]) -> str | None:
    """For ``[0.08, 0.06]`` typed where a row is expected: say how a row is written."""
    stripped = text.strip()
    if not _FLAT_LIST.fullmatch(stripped):
        return None
    if len(got) != 2 or got[1] != 1 or expected != (1, got[0]):
        return None
    inner = " ".join(v.strip() for v in stripped[1:-1].split(","))
    return f"A bracketed flat list is a column; write `{inner}` for a row."


def shape_advice(
    text: str, scope: Mapping[str, Array], got: tuple[int, ...], expected: tuple[int, ...]
) -> str | None:
    """One sentence naming a change that gives ``expected``, or None when none is found."""
    flat = flat_list_advice(text, got, expected)
    if flat is not None:
        return flat
    want = shape_text(expected)
    swap = _swap_advice(text, scope, expected)
    if swap is not None:
        return f"{swap[0].upper()}{swap[1:]} would give {want}."
    if len(got) == 2 and got[::-1] == expected:
        return f"Its transpose (`.T`) is {want}."
    if len(got) == 2 and len(expected) == 2:
        rows, cols = got
        if expected == (1, cols) and rows > 1:
            return f"Summing over the rows, `sum(…, axis=0)` (over the batch), gives {want}."
        if expected == (rows, 1) and cols > 1:
            return f"Summing over the columns, `sum(…, axis=1)`, gives {want}."
    if (expected in ((), (1, 1))) and int(np.prod(got)) > 1:
        return "A sum or a mean over all entries gives a scalar."
    return None


def invalid_advice(text: str, scope: Mapping[str, Array], expected: tuple[int, ...]) -> str | None:
    """For an answer refused because its shapes do not fit (``delta1 @ x``): the change
    that makes it fit with the expected shape, if one of the usual ones does."""
    swap = _swap_advice(text, scope, expected)
    if swap is None:
        return None
    return f"{swap[0].upper()}{swap[1:]} would give {shape_text(expected)}."


def _swap_advice(text: str, scope: Mapping[str, Array], expected: tuple[int, ...]) -> str | None:
    try:
        expression = compile_expression(text, ANSWER)
    except ExerciseError:
        return None
    if not expression.names <= scope.keys():
        return None
    operations = [n for n in walk(expression.root) if isinstance(n, Binary)]
    for op, mode, words in _SWAPS:
        matching = sorted(n.uid for n in operations if n.op == op)
        for position, uid in enumerate(matching):
            shape = _shape_with(expression.root, scope, expression.names, {uid: mode})
            if shape is not None and _same(shape, expected):
                nth = "" if len(matching) == 1 else f"{_ordinal(position + 1)} "
                return words.format(nth=nth)
    return None


def _shape_with(
    root: Expr, scope: Mapping[str, Array], names: frozenset[str], swaps: dict[int, str]
) -> tuple[int, ...] | None:
    tape = Tape()
    env: dict[str, Var] = {name: tape.constant(scope[name]) for name in sorted(names)}
    try:
        with np.errstate(all="ignore"):
            return tuple(evaluate(root, env, tape, swaps=swaps).value.shape)
    except ExerciseError:
        return None


def _same(a: tuple[int, ...], b: tuple[int, ...]) -> bool:
    return a == b or (int(np.prod(a)) == 1 and int(np.prod(b)) == 1)


def _ordinal(n: int) -> str:
    return {1: "first", 2: "second", 3: "third"}.get(n, f"{n}th")
