"""The shapes of a formula's symbols when it is read as matrix notation.

Uppercase and bold symbols are arrays: a matrix (uppercase) or a column vector (bold
lowercase). A lowercase symbol becomes a column vector where the formula uses it as one:
transposed (``x^T``), multiplied on the right of an array (``W x``), on the left of a row
(``δ a^T``), added to an array (``W x + b``) or in an element-wise product with one;
anywhere else it stays a scalar (a learning rate, a coefficient). Dimensions are unified
over the tree (``W x`` makes ``W``'s columns ``x``'s rows); what stays free gets a
distinct size (3, 4, 5…), so that a product in the wrong order or a missing transpose
does not compute, or computes something else.
"""

from __future__ import annotations

from dataclasses import dataclass

from quizapp.exercises.expr import Binary, Call, Compare, Expr, Name, Num, Transpose, Unary

#: Functions whose result has their first argument's shape.
_ELEMENTWISE = frozenset(
    {"sigmoid", "tanh", "relu", "exp", "log", "log1p", "softplus", "sqrt", "abs", "sin", "cos"}
    | {"erf", "softmax", "log_softmax"}
)
#: Functions whose result is a scalar.
_REDUCTIONS = frozenset({"sum", "mean", "max", "min", "var", "std", "norm"})


class ShapeError(Exception):
    """The formula's shapes cannot be made to fit (the reason in one line)."""


#: A shape while inferring: ``()`` a scalar, a pair of dimension ids, or a *group*: the
#: set of lowercase names in a subexpression not yet known to be arrays.
_Shape = tuple[int, ...] | frozenset[str]


@dataclass(frozen=True)
class Shapes:
    """The inferred shape of each symbol (``()`` for a scalar)."""

    of: dict[str, tuple[int, ...]]


class _Inference:
    def __init__(self, arrays: frozenset[str], matrices: frozenset[str]) -> None:
        self.parent: list[int] = [0]  # dimension 0 is the constant 1
        self.shape: dict[str, tuple[int, int]] = {}
        for name in sorted(arrays):
            self.shape[name] = (self.fresh(), self.fresh() if name in matrices else 0)

    def fresh(self) -> int:
        self.parent.append(len(self.parent))
        return len(self.parent) - 1

    def find(self, d: int) -> int:
        while self.parent[d] != d:
            self.parent[d] = self.parent[self.parent[d]]
            d = self.parent[d]
        return d

    def unify(self, a: int, b: int, where: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        if ra == 0:
            ra, rb = rb, ra
        self.parent[ra] = rb
        del where

    def promote(self, group: frozenset[str], shape: tuple[int, ...]) -> tuple[int, ...]:
        """Make every name of ``group`` an array of ``shape`` (element-wise use)."""
        for name in sorted(group):
            if name in self.shape:
                self.unify_shapes(self.shape[name], shape, name)
            elif len(shape) == 2:
                self.shape[name] = (shape[0], shape[1])
        return shape

    def unify_shapes(self, a: tuple[int, ...], b: tuple[int, ...], where: str) -> None:
        if len(a) != len(b):
            raise ShapeError(f"`{where}` is used both as a scalar and as an array")
        for x, y in zip(a, b, strict=True):
            self.unify(x, y, where)

    def vector(self, group: frozenset[str]) -> tuple[int, ...]:
        """Make the names of ``group`` column vectors of one fresh length."""
        shape = (self.fresh(), 0)
        return self.promote(group, shape)

    def infer(self, expr: Expr) -> _Shape:
        if isinstance(expr, Num):
            return frozenset()
        if isinstance(expr, Name):
            if expr.id in self.shape:
                return self.shape[expr.id]
            return frozenset({expr.id})
        if isinstance(expr, Unary):
            return self.infer(expr.operand)
        if isinstance(expr, Transpose):
            inner = self.infer(expr.operand)
            if isinstance(inner, frozenset):
                inner = self.vector(inner) if inner else ()
            return (inner[1], inner[0]) if len(inner) == 2 else inner
        if isinstance(expr, Binary | Compare):
            left = self.infer(expr.left)
            right = self.infer(expr.right)
            if isinstance(expr, Binary) and expr.op == "**":
                if not isinstance(right, frozenset) and right != ():
                    raise ShapeError("an exponent is an array")
                return left
            if (
                isinstance(expr, Binary)
                and expr.op == "/"
                and (isinstance(right, frozenset) or right == ())
            ):
                return left
            return self.elementwise(left, right)
        if isinstance(expr, Call):
            return self.call(expr)
        raise ShapeError("this formula has no matrix form")

    def elementwise(self, left: _Shape, right: _Shape) -> _Shape:
        if isinstance(left, frozenset) and isinstance(right, frozenset):
            return left | right
        if isinstance(left, frozenset):
            assert not isinstance(right, frozenset)
            return self.promote(left, right) if right != () else ()
        if isinstance(right, frozenset):
            return self.promote(right, left) if left != () else ()
        if left == ():
            return right
        if right == ():
            return left
        self.unify_shapes(left, right, "an element-wise operation")
        return left

    def call(self, expr: Call) -> _Shape:
        args = [self.infer(a) for a in expr.args]
        func = expr.func
        if func == "dot":
            return self.product(args[0], args[1])
        if func in ("maximum", "minimum"):
            return self.elementwise(args[0], args[1])
        if func == "inv":
            shape = args[0]
            if isinstance(shape, frozenset) or len(shape) != 2:
                raise ShapeError("an inverse of a scalar")
            self.unify(shape[0], shape[1], "an inverse")
            return shape
        if func in _REDUCTIONS:
            return ()
        if func in ("softmax", "log_softmax"):
            shape = args[0]
            return self.vector(shape) if isinstance(shape, frozenset) else shape
        if func in _ELEMENTWISE:
            return args[0]
        raise ShapeError(f"`{func}` has no matrix form here")

    def product(self, left: _Shape, right: _Shape) -> _Shape:
        if isinstance(left, frozenset) and isinstance(right, frozenset):
            return left | right
        if left == frozenset() or right == frozenset():
            other = right if left == frozenset() else left
            return other
        if left == () or right == ():
            other = right if left == () else left
            return () if isinstance(other, frozenset) else other
        if isinstance(right, frozenset):  # W x: x is a column of W's width
            assert not isinstance(left, frozenset) and len(left) == 2
            if self.find(left[1]) == 0:  # a column times a symbol: element-wise
                return self.promote(right, left)
            self.promote(right, (left[1], 0))
            return (left[0], 0)
        if isinstance(left, frozenset):  # δ a^T: δ is a column; η W: η a scalar
            assert not isinstance(right, frozenset) and len(right) == 2
            if self.find(right[0]) == 0:
                column = self.fresh()
                self.promote(left, (column, 0))
                return (column, right[1])
            return right
        assert not isinstance(left, frozenset) and not isinstance(right, frozenset)
        if self.find(left[1]) == 0 and self.find(right[1]) == 0 and self.find(right[0]) != 0:
            self.unify_shapes(left, right, "a product of two columns")  # element-wise
            return left
        self.unify(left[1], right[0], "a matrix product")
        return (left[0], right[1])


def infer_shapes(
    root: Expr,
    arrays: frozenset[str],
    names: frozenset[str],
    first_size: int = 3,
    descending: bool = False,
) -> Shapes:
    """Each symbol's shape (scalars ``()``); raises ``ShapeError`` when they cannot fit.

    ``arrays`` are the symbols written bold or uppercase; uppercase ones are matrices. Free
    dimensions get distinct sizes from ``first_size`` up, in the order they appear, or
    down to it with ``descending`` (a tall ``X`` where ``(X^T X)^{-1}`` needs one).
    """
    matrices = frozenset(n for n in arrays if n[:1].isupper())
    inference = _Inference(arrays, matrices)
    inference.infer(root)
    order: list[int] = []
    for name in sorted(names):
        for d in inference.shape.get(name, ()):
            found = inference.find(d)
            if found != 0 and found not in order:
                order.append(found)
    sizes = [first_size + i for i in range(len(order))]
    if descending:
        sizes.reverse()
    size_of = {0: 1} | dict(zip(order, sizes, strict=True))
    result: dict[str, tuple[int, ...]] = {}
    for name in sorted(names):
        dims = inference.shape.get(name)
        result[name] = () if dims is None else tuple(size_of[inference.find(d)] for d in dims)
    return Shapes(result)
