"""The Python-syntax front of the exercise language: text → ``ast`` → the checked tree.

Exercise specs and typed answers are Python syntax, parsed with ``ast`` and converted
into the syntax-free tree of ``expr.py``; every syntax node that is not explicitly allowed
is refused with an ``ExerciseError`` that says what was refused. The limits themselves
(length, depth, sizes, exponents, options) are ``expr.py``'s, shared with the LaTeX front.
Nothing here evaluates anything, so a refused expression costs only its parse.

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
import re

from quizapp.exercises.errors import ExerciseError
from quizapp.exercises.expr import (
    ALIASES,
    ASK,
    CONSTANTS,
    FUNCTIONS,
    LINALG,
    METHODS,
    Binary,
    Call,
    Compare,
    Expr,
    Expression,
    Grad,
    Index,
    IndexPart,
    Name,
    Num,
    Transpose,
    Unary,
    check_arg_count,
    check_depth,
    check_exponent,
    check_index,
    check_keyword,
    check_length,
    check_matrix,
    check_name,
    check_number,
    check_option,
    check_size,
    check_sizes,
    depth_error,
    known_functions,
    resolve_function,
)
from quizapp.exercises.limits import MAX_DEPTH

#: Names of modules whose functions may be written with a prefix.
_NUMPY = frozenset({"np", "numpy"})

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


def compile_expression(text: str, context: str) -> Expression:
    """Parse ``text`` and check it against the whitelist for ``context``.

    Names are collected but not resolved: which names exist depends on where the
    expression sits in a spec, which the caller knows.
    """
    text = check_length(text.translate(_TRANSLATE))
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
    check_depth(root)
    return Expression(text, root, frozenset(converter.names), tuple(converter.grads))


def _check_depth(tree: ast.AST) -> None:
    """Refuse deep syntax trees without recursing (the converter recurses afterwards)."""
    stack: list[tuple[ast.AST, int]] = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise depth_error()
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
    return check_number(number)


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
                _check_power(node.right)
            left = self.convert(node.left)
            right = self.convert(node.right)
            if op == "**":
                check_exponent(right)
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
        self.names.add(check_name(name))
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
            raise ExerciseError(f"`np.{node.attr}` is not available ({known_functions()})")
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
                raise ExerciseError(f"`np.{name}` is not available ({known_functions()})")
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
        signature = resolve_function(func, self.context)
        if any(isinstance(a, ast.Starred) for a in node.args):
            raise ExerciseError("`*` unpacking is not allowed")
        check_arg_count(func, signature, len(node.args))
        args: list[Expr] = []
        sizes: list[int] = []
        for index, arg in enumerate(node.args):
            if index in signature.sizes:
                plain = _number(arg) if isinstance(arg, ast.Constant) else None
                sizes.append(check_size(plain, func))
            else:
                args.append(self.convert(arg))
        if sizes:
            check_sizes(func, sizes)
        options: list[tuple[str, float]] = []
        for keyword in node.keywords:
            key = check_keyword(func, signature, keyword.arg)
            options.append((key, check_option(func, key, _option_literal(keyword.value))))
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


def _check_power(exponent: ast.AST) -> None:
    """Refuse a tower before converting it (its conversion could itself be costly)."""
    if any(isinstance(n, ast.BinOp) and isinstance(n.op, ast.Pow) for n in ast.walk(exponent)):
        raise ExerciseError("exponent towers such as 2**2**3 are not allowed")


def _option_literal(node: ast.AST) -> float | bool | None:
    """A keyword argument's literal: ``True``, a (signed) number, else None."""
    if isinstance(node, ast.Constant) and node.value is True:
        return True
    return _number(node)


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


def _index_integer(node: ast.AST | None) -> int | None:
    """An integer literal of an index (optionally negative); None for an absent part."""
    if node is None:
        return None
    number = _number(node)
    if number is None or _is_float_literal(node):
        raise ExerciseError("indices must be whole-number literals, such as x[0] or A[:, 1:3]")
    return check_index(number)


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
    return check_matrix(rows)


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
