"""The exercise expression language: Python syntax, checked against a whitelist.

Text is parsed with ``ast`` and converted into a small tree of frozen dataclasses; every
syntax node that is not explicitly allowed is refused with an ``ExerciseError`` that says
what was refused. Nothing here evaluates anything, so a refused expression costs only its
parse. The length and depth limits are checked before (length) and right after (depth)
``ast.parse``, whose own recursion is caught too.

What is allowed (see ``docs/exercises.md``): numbers, names, array literals, ``+ - * / @
**``, unary minus and plus, one comparison ``> < >= <= == !=``, ``.T``, indexing and
slicing with integer literals (``x[0]``, ``A[:, 1:3]``), and calls of the functions in
``FUNCTIONS`` (plus the random draws in ``given`` and ``grad`` in an ask's answer) with the
keyword arguments listed for each. What NumPy users type is read as the same thing: an
``np.`` (or ``numpy.``, ``np.linalg.``) prefix, a method such as ``x.sum(axis=0)`` or
``a.dot(b)``, ``np.pi``; MATLAB's ``x'`` gets "use ``.T``".
"""

from __future__ import annotations

import ast
import math
import re
from collections.abc import Iterator
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

#: Names of modules whose functions may be written with a prefix.
_NUMPY = frozenset({"np", "numpy"})

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

_BINARY = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
    ast.MatMult: "@",
    ast.Pow: "**",
}
_COMPARE = {
    ast.Gt: ">",
    ast.Lt: "<",
    ast.GtE: ">=",
    ast.LtE: "<=",
    ast.Eq: "==",
    ast.NotEq: "!=",
}

_REFUSED = {
    ast.Lambda: "lambda is not allowed",
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
    ast.Slice: "a slice is only allowed inside [...]",
}

#: ``x'`` as MATLAB writes a transpose: a name, ``)`` or ``]`` and then a quote.
_MATLAB_TRANSPOSE = re.compile(r"[A-Za-z0-9_)\]]\s*'")

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
        if _MATLAB_TRANSPOSE.search(text):
            raise ExerciseError("use `.T` for a transpose (`x'` is MATLAB's): write x.T") from None
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
    return any(isinstance(n, ast.BinOp) and isinstance(n.op, ast.Pow) for n in ast.walk(node))


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
                raise ExerciseError("only the comparisons > < >= <= == != are allowed")
            left = self.convert(node.left)
            right = self.convert(node.comparators[0])
            return Compare(cmp, left, right, self._next())
        if isinstance(node, ast.Attribute):
            return self._attribute(node)
        if isinstance(node, ast.Subscript):
            return self._index(node)
        if isinstance(node, ast.Call):
            return self._call(node)
        message = _REFUSED.get(type(node))
        raise ExerciseError(message or f"{type(node).__name__} syntax is not allowed")

    def _name(self, name: str) -> str:
        if name.startswith("_"):
            raise ExerciseError(f"the name `{name}` is not allowed (names cannot start with _)")
        if name in DRAWS or name == "grad":
            raise ExerciseError(f"`{name}` is a function; call it as {name}(...)")
        self.names.add(name)
        return name

    def _attribute(self, node: ast.Attribute) -> Expr:
        """``x.T``, or ``np.pi`` / ``np.e``; any other attribute is refused."""
        if node.attr == "T":
            operand = self.convert(node.value)
            return Transpose(operand, self._next())
        if _module_path(node.value) is not None:
            if node.attr in CONSTANTS:
                return Num(CONSTANTS[node.attr])
            if node.attr in FUNCTIONS or node.attr in ALIASES:
                raise ExerciseError(f"`{node.attr}` is a function; call it as {node.attr}(...)")
            raise ExerciseError(f"`np.{node.attr}` is not available ({_known_functions()})")
        if node.attr in METHODS:
            raise ExerciseError(f"`.{node.attr}` is a method; call it as .{node.attr}(...)")
        raise ExerciseError(f"attribute access `.{node.attr}` is not allowed (only `.T`)")

    def _index(self, node: ast.Subscript) -> Index:
        """``x[i]``, ``x[i, j]``, ``x[a:b, :]``: integer literals and slices of them."""
        operand = self.convert(node.value)
        key = node.slice
        items = list(key.elts) if isinstance(key, ast.Tuple) else [key]
        if len(items) > 2:
            raise ExerciseError("an index has at most two positions: x[i] or x[i, j]")
        parts = tuple(_index_part(item) for item in items)
        return Index(operand, parts, self._next())

    def _function(self, func_node: ast.expr) -> tuple[str, ast.expr | None]:
        """The function a call names, and the object of a method call (else None)."""
        if isinstance(func_node, ast.Name):
            return func_node.id, None
        if not isinstance(func_node, ast.Attribute):
            raise ExerciseError("only calls of the listed functions are allowed")
        name = func_node.attr
        module = _module_path(func_node.value)
        if module is not None:
            resolved = ALIASES.get(name, name)
            linalg = module == "linalg"
            if linalg and resolved not in LINALG:
                raise ExerciseError(
                    f"`np.linalg.{name}` is not available "
                    f"(np.linalg functions: {', '.join(sorted(LINALG))})"
                )
            if resolved not in FUNCTIONS:
                raise ExerciseError(f"`np.{name}` is not available ({_known_functions()})")
            return resolved, None
        if name.startswith("_"):
            raise ExerciseError(f"attribute access `.{name}` is not allowed (only `.T`)")
        resolved = ALIASES.get(name, name)
        if resolved not in METHODS:
            raise ExerciseError(
                f"the method `.{name}(...)` is not available "
                f"(methods: {', '.join(sorted(METHODS))})"
            )
        return resolved, func_node.value

    def _call(self, node: ast.Call) -> Expr:
        func, receiver = self._function(node.func)
        if func == "grad" and receiver is None:
            return self._grad(node)
        if receiver is not None:
            node = ast.Call(
                func=ast.Name(func), args=[receiver, *node.args], keywords=node.keywords
            )
        else:
            func = ALIASES.get(func, func)
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
            noun = "argument" if wanted == "1" else "arguments"
            raise ExerciseError(f"`{func}` takes {wanted} {noun}, got {count}")
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
                raise ExerciseError(f"`{func}` has no keyword `{keyword.arg}` (allowed: {allowed})")
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


def _module_path(node: ast.AST) -> str | None:
    """``np``/``numpy`` → ``"np"``, ``np.linalg`` → ``"linalg"``; anything else None."""
    if isinstance(node, ast.Name) and node.id in _NUMPY:
        return "np"
    if (
        isinstance(node, ast.Attribute)
        and node.attr == "linalg"
        and isinstance(node.value, ast.Name)
        and node.value.id in _NUMPY
    ):
        return "linalg"
    return None


def function_hint(name: str) -> str:
    """`` (`sum` is a function: call it as sum(...))`` for a function's name, else ``""``.

    Function names may also name values (a card may call a variance ``var``), so a bare
    ``sum`` is an unknown variable, and this says what was probably meant.
    """
    if name in FUNCTIONS or name in ALIASES:
        return f" (`{name}` is a function: call it as {name}(...))"
    return ""


def _known_functions() -> str:
    return "functions: " + ", ".join(sorted(FUNCTIONS))


def _index_integer(node: ast.AST | None) -> int | None:
    """An integer literal of an index (optionally negative); None for an absent part."""
    if node is None:
        return None
    number = _number(node)
    if number is None or number != int(number) or _is_float_literal(node):
        raise ExerciseError("indices must be whole-number literals, such as x[0] or A[:, 1:3]")
    if abs(number) > MAX_DIM:
        raise ExerciseError(f"index {int(number)} is out of range (the largest size is {MAX_DIM})")
    return int(number)


def _is_float_literal(node: ast.AST) -> bool:
    while isinstance(node, ast.UnaryOp):
        node = node.operand
    return isinstance(node, ast.Constant) and isinstance(node.value, float)


def _index_part(node: ast.AST) -> IndexPart:
    if isinstance(node, ast.Slice):
        step = _index_integer(node.step)
        if step == 0:
            raise ExerciseError("a slice step cannot be 0")
        return (_index_integer(node.lower), _index_integer(node.upper), step)
    if isinstance(node, ast.Tuple | ast.List):
        raise ExerciseError("indices must be whole-number literals, such as x[0] or A[:, 1:3]")
    value = _index_integer(node)
    assert value is not None
    return value


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
    if key == "axis":
        if number not in (0.0, 1.0, -1.0, -2.0):
            raise ExerciseError(f"`{func}`'s axis must be 0 or 1 (or -2, -1)")
        return number % 2
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
