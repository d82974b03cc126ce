"""The exercise expression language: Python syntax, checked against a whitelist.

Text is parsed with ``ast`` and converted into a small tree of frozen dataclasses; every
syntax node that is not explicitly allowed is refused with an ``ExerciseError`` that says
what was refused. Nothing here evaluates anything, so a refused expression costs only its
parse. The length and depth limits are checked before (length) and right after (depth)
``ast.parse``, whose own recursion is caught too.

What is allowed (see ``docs/exercises.md``): numbers, names, array literals, ``+ - * / @
**``, unary minus and plus, one comparison ``> < >= <=``, ``.T``, and calls of the
functions in ``FUNCTIONS`` (plus the random draws in ``given`` and ``grad`` in an ask's
answer) with the keyword arguments listed for each.
"""

from __future__ import annotations

import ast
import math
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


Expr = Union[Num, Name, Unary, Binary, Compare, Transpose, Call, Grad]  # noqa: UP007


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
_SOFTMAX = Signature(1, 1, keywords=frozenset({"axis"}))

#: Functions usable everywhere.
FUNCTIONS: dict[str, Signature] = {
    "sigmoid": _UNARY,
    "tanh": _UNARY,
    "relu": _UNARY,
    "exp": _UNARY,
    "log": _UNARY,
    "sqrt": _UNARY,
    "abs": _UNARY,
    "sum": _REDUCE,
    "mean": _REDUCE,
    "max": _REDUCE,
    "softmax": _SOFTMAX,
    "log_softmax": _SOFTMAX,
    "maximum": Signature(2, 2),
    "where": Signature(3, 3),
    "transpose": _UNARY,
    "reshape": Signature(3, 3, sizes=(1, 2)),
    "outer": Signature(2, 2),
    "eye": Signature(1, 1, sizes=(0,)),
    "ones": Signature(1, 2, sizes=(0, 1)),
    "zeros": Signature(1, 2, sizes=(0, 1)),
}

#: Random draws, usable only in ``given``.
DRAWS: dict[str, Signature] = {
    "normal": Signature(1, 2, sizes=(0, 1), keywords=frozenset({"mean", "std"})),
    "uniform": Signature(1, 2, sizes=(0, 1), keywords=frozenset({"low", "high"})),
    "randint": Signature(1, 2, sizes=(0, 1), keywords=frozenset({"low", "high"})),
    "onehot": Signature(1, 2, sizes=(0, 1)),
}

#: Where an expression appears decides what it may use.
GIVEN, COMPUTE, ASK, ANSWER = "given", "compute", "ask", "answer"

_BINARY = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
    ast.MatMult: "@",
    ast.Pow: "**",
}
_COMPARE = {ast.Gt: ">", ast.Lt: "<", ast.GtE: ">=", ast.LtE: "<="}

_REFUSED = {
    ast.Lambda: "lambda is not allowed",
    ast.Subscript: "indexing with [...] is not allowed",
    ast.ListComp: "comprehensions are not allowed",
    ast.SetComp: "comprehensions are not allowed",
    ast.DictComp: "comprehensions are not allowed",
    ast.GeneratorExp: "comprehensions are not allowed",
    ast.JoinedStr: "strings are not allowed",
    ast.FormattedValue: "strings are not allowed",
    ast.BoolOp: "`and`/`or` are not allowed",
    ast.IfExp: "`if ... else` is not allowed",
    ast.NamedExpr: "`:=` is not allowed",
    ast.Starred: "`*` unpacking is not allowed",
    ast.Dict: "dictionaries are not allowed",
    ast.Set: "sets are not allowed",
    ast.Tuple: "tuples are not allowed (write a matrix as [[1, 2], [3, 4]])",
    ast.Await: "`await` is not allowed",
    ast.Yield: "`yield` is not allowed",
    ast.YieldFrom: "`yield` is not allowed",
    ast.Slice: "slices are not allowed",
}

#: Friendly characters a learner may paste, mapped to their ASCII operator.
_TRANSLATE = str.maketrans({"\u2212": "-", "\u00d7": "*"})


@dataclass(frozen=True)
class Expression:
    """A checked expression: its text, its tree, and what it refers to."""

    text: str
    root: Expr
    names: frozenset[str]
    grads: tuple[Grad, ...]


def compile_expression(text: str, context: str) -> Expression:
    """Parse ``text`` and check it against the whitelist for ``context``.

    Names are collected but not resolved: which names exist depends on where the
    expression sits in a spec, which the caller knows.
    """
    text = text.translate(_TRANSLATE).strip()
    if not text:
        raise ExerciseError("empty expression")
    if len(text) > MAX_EXPRESSION_LENGTH:
        raise ExerciseError(
            f"expression is {len(text)} characters long; the limit is {MAX_EXPRESSION_LENGTH}"
        )
    for ch in text:
        if ord(ch) > 126 or (ord(ch) < 32 and ch not in "\t\n\r"):
            raise ExerciseError(
                f"character {ch!r} (U+{ord(ch):04X}) is not allowed; expressions are plain ASCII"
            )
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        raise ExerciseError(f"not a valid expression: {exc.msg}") from None
    except (RecursionError, MemoryError, ValueError):
        raise ExerciseError("expression is nested too deeply") from None
    _check_depth(tree)
    converter = _Converter(context)
    root = converter.convert(tree.body)
    return Expression(text, root, frozenset(converter.names), tuple(converter.grads))


def _check_depth(tree: ast.AST) -> None:
    """Refuse deep trees without recursing (the converter recurses afterwards)."""
    stack: list[tuple[ast.AST, int]] = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ExerciseError(f"expression is nested too deeply (the limit is {MAX_DEPTH})")
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))


def _number(node: ast.AST) -> float | None:
    """The value of a numeric literal, optionally signed; None if ``node`` is not one."""
    sign = 1.0
    while isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        if isinstance(node.op, ast.USub):
            sign = -sign
        node = node.operand
    if not isinstance(node, ast.Constant):
        return None
    value = node.value
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = sign * float(value)
    except OverflowError:
        raise ExerciseError("number too large") from None
    if not math.isfinite(number):
        raise ExerciseError("number too large")
    return number


def _contains_power(node: ast.AST) -> bool:
    return any(
        isinstance(n, ast.BinOp) and isinstance(n.op, ast.Pow) for n in ast.walk(node)
    )


class _Converter:
    """Turns a Python ``ast`` tree into the exercise tree, refusing everything else."""

    def __init__(self, context: str) -> None:
        self.context = context
        self.names: set[str] = set()
        self.grads: list[Grad] = []
        self._uid = 0

    def _next(self) -> int:
        self._uid += 1
        return self._uid

    def convert(self, node: ast.AST) -> Expr:
        number = _number(node)
        if number is not None:
            return Num(number)
        if isinstance(node, ast.Constant):
            if isinstance(node.value, str | bytes):
                raise ExerciseError("strings are not allowed")
            raise ExerciseError(f"the literal {node.value!r} is not allowed here")
        if isinstance(node, ast.Name):
            return Name(self._name(node.id))
        if isinstance(node, ast.List):
            return Num(_matrix(node))
        if isinstance(node, ast.UnaryOp):
            if not isinstance(node.op, ast.USub | ast.UAdd):
                raise ExerciseError("only unary `-` and `+` are allowed")
            operand = self.convert(node.operand)
            return Unary("-" if isinstance(node.op, ast.USub) else "+", operand, self._next())
        if isinstance(node, ast.BinOp):
            op = _BINARY.get(type(node.op))
            if op is None:
                raise ExerciseError(
                    "only the operators + - * / @ ** are allowed"
                    + (" (write a power as **)" if isinstance(node.op, ast.BitXor) else "")
                )
            if op == "**":
                _check_exponent(node.right)
            left = self.convert(node.left)
            right = self.convert(node.right)
            return Binary(op, left, right, self._next())
        if isinstance(node, ast.Compare):
            if len(node.ops) != 1:
                raise ExerciseError("chained comparisons are not allowed")
            cmp = _COMPARE.get(type(node.ops[0]))
            if cmp is None:
                raise ExerciseError("only the comparisons > < >= <= are allowed")
            left = self.convert(node.left)
            right = self.convert(node.comparators[0])
            return Compare(cmp, left, right, self._next())
        if isinstance(node, ast.Attribute):
            if node.attr != "T":
                raise ExerciseError(
                    f"attribute access `.{node.attr}` is not allowed (only `.T`)"
                )
            operand = self.convert(node.value)
            return Transpose(operand, self._next())
        if isinstance(node, ast.Call):
            return self._call(node)
        message = _REFUSED.get(type(node))
        raise ExerciseError(message or f"{type(node).__name__} syntax is not allowed")

    def _name(self, name: str) -> str:
        if name.startswith("_"):
            raise ExerciseError(f"the name `{name}` is not allowed (names cannot start with _)")
        if name in FUNCTIONS or name in DRAWS or name == "grad":
            raise ExerciseError(f"`{name}` is a function; call it as {name}(...)")
        self.names.add(name)
        return name

    def _call(self, node: ast.Call) -> Expr:
        if not isinstance(node.func, ast.Name):
            raise ExerciseError("only calls of the listed functions are allowed")
        func = node.func.id
        if func == "grad":
            return self._grad(node)
        signature = FUNCTIONS.get(func)
        if signature is None and self.context == GIVEN:
            signature = DRAWS.get(func)
        if signature is None:
            if func in DRAWS:
                raise ExerciseError(f"`{func}(...)` draws are only allowed in `given`")
            raise ExerciseError(f"unknown function `{func}`")
        if any(isinstance(a, ast.Starred) for a in node.args):
            raise ExerciseError("`*` unpacking is not allowed")
        count = len(node.args)
        if not signature.min_args <= count <= signature.max_args:
            wanted = (
                str(signature.min_args)
                if signature.min_args == signature.max_args
                else f"{signature.min_args} or {signature.max_args}"
            )
            raise ExerciseError(f"`{func}` takes {wanted} argument(s), got {count}")
        args: list[Expr] = []
        sizes: list[int] = []
        for index, arg in enumerate(node.args):
            if index in signature.sizes:
                sizes.append(_size(arg, func))
            else:
                args.append(self.convert(arg))
        if sizes:
            _check_sizes(func, sizes)
        options: list[tuple[str, float]] = []
        for keyword in node.keywords:
            if keyword.arg is None:
                raise ExerciseError("`**` unpacking is not allowed")
            if keyword.arg not in signature.keywords:
                allowed = ", ".join(sorted(signature.keywords)) or "none"
                raise ExerciseError(
                    f"`{func}` has no keyword `{keyword.arg}` (allowed: {allowed})"
                )
            options.append((keyword.arg, _option(func, keyword.arg, keyword.value)))
        return Call(func, tuple(args), tuple(sizes), tuple(options), self._next())

    def _grad(self, node: ast.Call) -> Grad:
        if self.context != ASK:
            raise ExerciseError("`grad` is only allowed in an ask's answer")
        if node.keywords or len(node.args) != 2:
            raise ExerciseError("`grad` takes two names: grad(L, v)")
        of, wrt = node.args
        if not isinstance(of, ast.Name) or not isinstance(wrt, ast.Name):
            raise ExerciseError("`grad` takes two names: grad(L, v)")
        grad = Grad(self._name(of.id), self._name(wrt.id), self._next())
        self.grads.append(grad)
        return grad


def _check_exponent(node: ast.AST) -> None:
    if _contains_power(node):
        raise ExerciseError("exponent towers such as 2**2**3 are not allowed")
    number = _number(node)
    if number is not None and abs(number) > MAX_EXPONENT:
        raise ExerciseError(f"exponents are limited to {MAX_EXPONENT:g} in absolute value")


def _size(node: ast.AST, func: str) -> int:
    number = _number(node)
    if number is None or number != int(number) or not isinstance(node, ast.Constant):
        raise ExerciseError(f"the sizes given to `{func}` must be whole-number literals")
    size = int(number)
    if size < 1:
        raise ExerciseError(f"the sizes given to `{func}` must be at least 1")
    if size > MAX_DIM:
        raise ExerciseError(
            f"`{func}` size {size} is too large; each dimension is limited to {MAX_DIM}"
        )
    return size


def _check_sizes(func: str, sizes: list[int]) -> None:
    total = 1
    for s in sizes:
        total *= s
    if func == "eye":
        total = sizes[0] * sizes[0]
    if total > MAX_ELEMENTS:
        raise ExerciseError(
            f"`{func}` would make {total} elements; the limit is {MAX_ELEMENTS} elements"
        )


def _option(func: str, key: str, node: ast.AST) -> float:
    if key == "keepdims":
        if isinstance(node, ast.Constant) and node.value is True:
            return 1.0
        raise ExerciseError("keepdims can only be True: every result stays a matrix")
    number = _number(node)
    if number is None:
        raise ExerciseError(f"`{func}`'s `{key}` must be a number")
    if key == "axis" and number not in (0.0, 1.0):
        raise ExerciseError(f"`{func}`'s axis must be 0 or 1")
    if abs(number) > 1e9:
        raise ExerciseError(f"`{func}`'s `{key}` is limited to 1e9 in absolute value")
    if key in {"low", "high"} and func == "randint" and number != int(number):
        raise ExerciseError("randint's low and high must be whole numbers")
    return number


def _matrix(node: ast.List) -> tuple[tuple[float, ...], ...]:
    """An array literal: a flat list is a column vector, a list of lists a matrix."""
    if not node.elts:
        raise ExerciseError("empty array literal")
    if all(isinstance(e, ast.List) for e in node.elts):
        rows = [_row(e) for e in node.elts if isinstance(e, ast.List)]
    elif any(isinstance(e, ast.List) for e in node.elts):
        raise ExerciseError("array literal mixes numbers and lists")
    else:
        rows = [(v,) for v in _row(node)]
    width = len(rows[0])
    if any(len(r) != width for r in rows):
        raise ExerciseError("array literal rows have different lengths")
    if len(rows) > MAX_DIM or width > MAX_DIM or len(rows) * width > MAX_ELEMENTS:
        raise ExerciseError("array literal is too large")
    return tuple(rows)


def _row(node: ast.List) -> tuple[float, ...]:
    if not node.elts:
        raise ExerciseError("empty row in array literal")
    values: list[float] = []
    for element in node.elts:
        number = _number(element)
        if number is None:
            raise ExerciseError("array literals may only contain numbers")
        values.append(number)
    return tuple(values)
