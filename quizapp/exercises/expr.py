"""The exercise language without its syntax: the tree, the whitelist and every limit.

Two fronts read text into this tree: Python syntax (``syntax_python.py``, what exercise
specs and answers are written in) and LaTeX (``syntax_latex.py``, what card formulas and
drill answers are written in). The safety checks live here, on the tree and on plain
values, never on a front's own syntax nodes, so both fronts get exactly the same limits:
length, depth, array sizes, exponents, option values, which functions exist and how they
are called. Nothing here evaluates anything (``evaluator.py`` does, on a tape).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Union

from quizapp.exercises.errors import ExerciseError
from quizapp.exercises.limits import (
    MAX_DEPTH,
    MAX_DIM,
    MAX_ELEMENTS,
    MAX_EXPONENT,
    MAX_EXPRESSION_LENGTH,
)

# ---- the tree ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Num:
    """A number or an array literal (``value`` is a number or a tuple of rows)."""

    value: float | tuple[tuple[float, ...], ...]


@dataclass(frozen=True)
class Name:
    """A reference to a given, computed, shown or earlier-answered value."""

    id: str


@dataclass(frozen=True)
class Unary:
    """``-x`` or ``+x``."""

    op: str
    operand: Expr
    uid: int


@dataclass(frozen=True)
class Binary:
    """``a op b`` for ``+ - * / @ **``; ``uid`` numbers operations in evaluation order."""

    op: str
    left: Expr
    right: Expr
    uid: int


@dataclass(frozen=True)
class Compare:
    """``a op b`` for ``> < >= <=``, giving 0/1 floats."""

    op: str
    left: Expr
    right: Expr
    uid: int


@dataclass(frozen=True)
class Transpose:
    """``x.T``."""

    operand: Expr
    uid: int


#: One position of an index: an integer (keeps its dimension, of size 1) or a slice
#: ``(start, stop, step)`` whose parts may be None.
IndexPart = Union[int, tuple[int | None, int | None, int | None]]  # noqa: UP007


@dataclass(frozen=True)
class Index:
    """``x[i]``, ``x[i, j]`` or slices of them, with integer literals only.

    ``parts`` holds one or two positions. The result is always a matrix: an integer
    keeps its dimension with size 1 (``A[0, :]`` is 1×m, ``A[:, 0]`` is n×1). With one
    position, a column (n×1) or a row (1×n) is indexed along its length and a matrix by
    rows.
    """

    operand: Expr
    parts: tuple[IndexPart, ...]
    uid: int


@dataclass(frozen=True)
class Call:
    """A call of a whitelisted function.

    ``args`` are expressions, except the size arguments of draws, ``ones``, ``zeros``,
    ``eye`` and ``reshape``, which are integer literals kept in ``sizes``. ``options`` holds
    the keyword arguments, already checked to be literals of the right kind.
    """

    func: str
    args: tuple[Expr, ...]
    sizes: tuple[int, ...]
    options: tuple[tuple[str, float], ...]
    uid: int


@dataclass(frozen=True)
class Grad:
    """``grad(L, v)``: the gradient of scalar ``L`` with respect to ``v``."""

    of: str
    wrt: str
    uid: int


Expr = Union[Num, Name, Unary, Binary, Compare, Transpose, Index, Call, Grad]  # noqa: UP007


def walk(expr: Expr) -> Iterator[Expr]:
    """Every node of ``expr``, parents before children (without recursion)."""
    stack: list[Expr] = [expr]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, Binary | Compare):
            stack += [node.right, node.left]
        elif isinstance(node, Unary | Transpose | Index):
            stack.append(node.operand)
        elif isinstance(node, Call):
            stack += reversed(node.args)


# ---- the whitelist ----------------------------------------------------------------------


@dataclass(frozen=True)
class Signature:
    """How a function may be called: positional counts, size arguments, keywords."""

    min_args: int
    max_args: int
    sizes: tuple[int, ...] = ()  # positions that must be integer literals
    keywords: frozenset[str] = frozenset()


_UNARY = Signature(1, 1)
_REDUCE = Signature(1, 1, keywords=frozenset({"axis", "keepdims"}))
_ALONG = Signature(1, 1, keywords=frozenset({"axis"}))
_BINARY_FN = Signature(2, 2)

#: Functions usable everywhere.
FUNCTIONS: dict[str, Signature] = {
    "sigmoid": _UNARY,
    "tanh": _UNARY,
    "relu": _UNARY,
    "exp": _UNARY,
    "log": _UNARY,
    "log1p": _UNARY,
    "softplus": _UNARY,
    "sqrt": _UNARY,
    "abs": _UNARY,
    "sin": _UNARY,
    "cos": _UNARY,
    "erf": _UNARY,
    "sum": _REDUCE,
    "mean": _REDUCE,
    "max": _REDUCE,
    "min": _REDUCE,
    "var": _REDUCE,
    "std": _REDUCE,
    "norm": _REDUCE,
    "argmax": _REDUCE,
    "argmin": _REDUCE,
    "softmax": _ALONG,
    "log_softmax": _ALONG,
    "sort": _ALONG,
    "cumsum": _ALONG,
    "maximum": _BINARY_FN,
    "minimum": _BINARY_FN,
    "where": Signature(3, 3),
    "clip": Signature(3, 3),
    "transpose": _UNARY,
    "reshape": Signature(3, 3, sizes=(1, 2)),
    "outer": _BINARY_FN,
    "dot": _BINARY_FN,
    "solve": _BINARY_FN,
    "inv": _UNARY,
    "diag": _UNARY,
    "eye": Signature(1, 1, sizes=(0,)),
    "ones": Signature(1, 2, sizes=(0, 1)),
    "zeros": Signature(1, 2, sizes=(0, 1)),
}

#: NumPy spellings read as one of ``FUNCTIONS`` (``np.matmul(a, b)`` is ``dot(a, b)``;
#: ``np.amax`` is ``max``); with an ``np.``/``numpy.`` prefix or as a method.
ALIASES: dict[str, str] = {
    "matmul": "dot",
    "amax": "max",
    "amin": "min",
    "absolute": "abs",
}

#: Functions reached as ``np.linalg.NAME``.
LINALG = frozenset({"solve", "inv", "norm"})

#: Methods ``x.NAME(...)`` read as ``NAME(x, ...)``, as NumPy arrays have them.
METHODS = frozenset(
    {
        "sum",
        "mean",
        "max",
        "min",
        "var",
        "std",
        "argmax",
        "argmin",
        "cumsum",
        "dot",
        "transpose",
        "reshape",
        "clip",
    }
)

#: Constants reachable as ``np.NAME``.
CONSTANTS: dict[str, float] = {"pi": math.pi, "e": math.e}

#: Random draws, usable only in ``given``.
DRAWS: dict[str, Signature] = {
    "normal": Signature(1, 2, sizes=(0, 1), keywords=frozenset({"mean", "std"})),
    "uniform": Signature(1, 2, sizes=(0, 1), keywords=frozenset({"low", "high"})),
    "randint": Signature(1, 2, sizes=(0, 1), keywords=frozenset({"low", "high"})),
    "onehot": Signature(1, 2, sizes=(0, 1)),
}

#: Where an expression appears decides what it may use.
GIVEN, COMPUTE, ASK, ANSWER = "given", "compute", "ask", "answer"


@dataclass(frozen=True)
class Expression:
    """A checked expression: its text, its tree, and what it refers to."""

    text: str
    root: Expr
    names: frozenset[str]
    grads: tuple[Grad, ...]


# ---- the checks every front applies ------------------------------------------------------


def check_length(text: str) -> str:
    """``text`` stripped, refused when empty or over ``MAX_EXPRESSION_LENGTH``."""
    text = text.strip()
    if not text:
        raise ExerciseError("empty expression")
    if len(text) > MAX_EXPRESSION_LENGTH:
        raise ExerciseError(
            f"expression is {len(text)} characters long; the limit is {MAX_EXPRESSION_LENGTH}"
        )
    return text


def depth_error() -> ExerciseError:
    """The one message for a tree nested deeper than ``MAX_DEPTH``."""
    return ExerciseError(f"expression is nested too deeply (the limit is {MAX_DEPTH})")


def check_depth(root: Expr) -> None:
    """Refuse a tree deeper than ``MAX_DEPTH`` (without recursion).

    A front whose own parse recurses must also stop at ``MAX_DEPTH`` while parsing; this
    is the check on what it produced.
    """
    stack: list[tuple[Expr, int]] = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise depth_error()
        if isinstance(node, Binary | Compare):
            stack += [(node.left, depth + 1), (node.right, depth + 1)]
        elif isinstance(node, Unary | Transpose | Index):
            stack.append((node.operand, depth + 1))
        elif isinstance(node, Call):
            stack += [(arg, depth + 1) for arg in node.args]


def check_name(name: str) -> str:
    """A name a value may have: not ``_private``, not a draw or ``grad``."""
    if name.startswith("_"):
        raise ExerciseError(f"the name `{name}` is not allowed (names cannot start with _)")
    if name in DRAWS or name == "grad":
        raise ExerciseError(f"`{name}` is a function; call it as {name}(...)")
    return name


def check_number(value: float) -> float:
    """A literal's value, refused when it is not finite."""
    if not math.isfinite(value):
        raise ExerciseError("number too large")
    return value


def check_exponent(exponent: Expr) -> None:
    """Refuse towers (``2**2**3``) and literal exponents over ``MAX_EXPONENT``."""
    if any(isinstance(n, Binary) and n.op == "**" for n in walk(exponent)):
        raise ExerciseError("exponent towers such as 2**2**3 are not allowed")
    number = literal_value(exponent)
    if number is not None and abs(number) > MAX_EXPONENT:
        raise ExerciseError(f"exponents are limited to {MAX_EXPONENT:g} in absolute value")


def literal_value(expr: Expr) -> float | None:
    """The value of a scalar literal, optionally signed (``-3``); None otherwise."""
    sign = 1.0
    while isinstance(expr, Unary):
        if expr.op == "-":
            sign = -sign
        expr = expr.operand
    if isinstance(expr, Num) and isinstance(expr.value, float):
        return sign * expr.value
    return None


def resolve_function(func: str, context: str) -> Signature:
    """How ``func`` may be called in ``context``; refuses unknown functions and draws
    outside ``given``."""
    signature = FUNCTIONS.get(func)
    if signature is None and context == GIVEN:
        signature = DRAWS.get(func)
    if signature is None:
        if func in DRAWS:
            raise ExerciseError(f"`{func}(...)` draws are only allowed in `given`")
        raise ExerciseError(f"unknown function `{func}`")
    return signature


def check_arg_count(func: str, signature: Signature, count: int) -> None:
    """Refuse a call of ``func`` with a number of positional arguments it does not take."""
    if not signature.min_args <= count <= signature.max_args:
        wanted = (
            str(signature.min_args)
            if signature.min_args == signature.max_args
            else f"{signature.min_args} or {signature.max_args}"
        )
        noun = "argument" if wanted == "1" else "arguments"
        raise ExerciseError(f"`{func}` takes {wanted} {noun}, got {count}")


def check_size(value: float | None, func: str) -> int:
    """A size argument: ``value`` is the plain (unsigned) literal given, else None."""
    if value is None or value != int(value):
        raise ExerciseError(f"the sizes given to `{func}` must be whole-number literals")
    size = int(value)
    if size < 1:
        raise ExerciseError(f"the sizes given to `{func}` must be at least 1")
    if size > MAX_DIM:
        raise ExerciseError(
            f"`{func}` size {size} is too large; each dimension is limited to {MAX_DIM}"
        )
    return size


def check_sizes(func: str, sizes: Sequence[int]) -> None:
    """Refuse sizes whose product is over ``MAX_ELEMENTS`` (before anything is allocated)."""
    total = 1
    for s in sizes:
        total *= s
    if func == "eye":
        total = sizes[0] * sizes[0]
    if total > MAX_ELEMENTS:
        raise ExerciseError(
            f"`{func}` would make {total} elements; the limit is {MAX_ELEMENTS} elements"
        )


def check_keyword(func: str, signature: Signature, key: str | None) -> str:
    """A keyword argument's name, refused when ``func`` has no such keyword."""
    if key is None:
        raise ExerciseError("`**` unpacking is not allowed")
    if key not in signature.keywords:
        allowed = ", ".join(sorted(signature.keywords)) or "none"
        raise ExerciseError(f"`{func}` has no keyword `{key}` (allowed: {allowed})")
    return key


def check_option(func: str, key: str, value: float | bool | None) -> float:
    """A keyword argument's value: ``value`` is the literal given (True for ``True``),
    None when it is not a literal."""
    if key == "keepdims":
        if value is True:
            return 1.0
        raise ExerciseError("keepdims can only be True: every result stays a matrix")
    if value is None or isinstance(value, bool):
        raise ExerciseError(f"`{func}`'s `{key}` must be a number")
    number = float(value)
    if key == "axis":
        if number not in (0.0, 1.0, -1.0, -2.0):
            raise ExerciseError(f"`{func}`'s axis must be 0 or 1 (or -2, -1)")
        return number % 2
    if abs(number) > 1e9:
        raise ExerciseError(f"`{func}`'s `{key}` is limited to 1e9 in absolute value")
    if key in {"low", "high"} and func == "randint" and number != int(number):
        raise ExerciseError("randint's low and high must be whole numbers")
    return number


def check_matrix(rows: Sequence[tuple[float, ...]]) -> tuple[tuple[float, ...], ...]:
    """An array literal's rows: none empty, all of one length, within the size limits."""
    if not rows:
        raise ExerciseError("empty array literal")
    width = len(rows[0])
    if any(len(r) != width for r in rows):
        raise ExerciseError("array literal rows have different lengths")
    if len(rows) > MAX_DIM or width > MAX_DIM or len(rows) * width > MAX_ELEMENTS:
        raise ExerciseError("array literal is too large")
    return tuple(rows)


def check_index(value: float | None) -> int | None:
    """One integer of an index (None for an absent part of a slice)."""
    if value is None:
        return None
    if value != int(value):
        raise ExerciseError("indices must be whole-number literals, such as x[0] or A[:, 1:3]")
    if abs(value) > MAX_DIM:
        raise ExerciseError(f"index {int(value)} is out of range (the largest size is {MAX_DIM})")
    return int(value)


def function_hint(name: str) -> str:
    """`` (`sum` is a function: call it as sum(...))`` for a function's name, else ``""``.

    Function names may also name values (a card may call a variance ``var``), so a bare
    ``sum`` is an unknown variable, and this says what was probably meant.
    """
    if name in FUNCTIONS or name in ALIASES:
        return f" (`{name}` is a function: call it as {name}(...))"
    return ""


def known_functions() -> str:
    """The whitelist, for messages: ``functions: abs, argmax, …``."""
    return "functions: " + ", ".join(sorted(FUNCTIONS))
