"""Evaluates a checked expression tree on a tape.

The evaluator is the only place where the language meets NumPy. It knows nothing about
specs: the caller passes the names in scope, the random generator (only for ``given``), a
function that answers ``grad(L, v)``, and optional *swaps* — operations to evaluate
differently, which is how the diagnosis rebuilds "what you would get if you used ``*``
instead of ``@`` here".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np

from quizapp.exercises.autodiff import (
    ACTIVATIONS,
    ELEMENTWISE,
    MATMUL,
    SKIP_DERIVATIVE,
    Array,
    Tape,
    Var,
)
from quizapp.exercises.errors import ExerciseError
from quizapp.exercises.expr import (
    Binary,
    Call,
    Compare,
    Expr,
    Grad,
    Index,
    Name,
    Num,
    Transpose,
    Unary,
)

GradFn = Callable[[str, str], Array]

#: Swaps that transpose one operand of an ``@`` (what would fix a shape).
TRANSPOSE_LEFT = "transpose_left"
TRANSPOSE_RIGHT = "transpose_right"
#: A swap that evaluates ``a * b`` as ``a @ b.T`` (an outer product written as ``*``).
OUTER = "outer"

#: Functions of one argument and of two: each is the ``Tape`` method of the same name
#: (looked up on the tape at each call, so a test can replace one).
_UNARY = frozenset(
    {
        "sigmoid",
        "tanh",
        "relu",
        "exp",
        "log",
        "log1p",
        "softplus",
        "sqrt",
        "abs",
        "sin",
        "cos",
        "erf",
        "transpose",
        "inv",
        "diag",
    }
)
_BINARY_FUNCTIONS = frozenset({"maximum", "minimum", "outer", "dot", "solve"})


def _spread(tape: Tape, func: str, a: Var, axis: int | None) -> Var:
    """``var`` (NumPy's: divided by N), ``std`` and ``norm`` (the 2-norm of all entries, or
    of each column/row), built from the differentiable operations they are made of."""
    if func == "norm":
        return tape.sqrt(tape.sum(tape.mul(a, a), axis))
    centred = tape.sub(a, tape.mean(a, axis))
    variance = tape.mean(tape.mul(centred, centred), axis)
    return variance if func == "var" else tape.sqrt(variance)


def evaluate(
    expr: Expr,
    env: Mapping[str, Var],
    tape: Tape,
    *,
    rng: np.random.Generator | None = None,
    grad: GradFn | None = None,
    swaps: Mapping[int, str] | None = None,
) -> Var:
    """The value of ``expr`` as a node on ``tape``.

    ``swaps`` maps operation uids to a variant: ``elementwise`` evaluates an ``@`` as
    ``*``, ``matmul`` evaluates a ``*`` as ``@``, ``transpose_left``/``transpose_right``
    transpose one operand of an ``@``, ``outer`` evaluates ``a * b`` as ``a @ b.T``,
    ``skip_derivative`` evaluates an activation call as its argument.
    """
    return _Evaluator(env, tape, rng, grad, swaps or {}).run(expr)


class _Evaluator:
    def __init__(
        self,
        env: Mapping[str, Var],
        tape: Tape,
        rng: np.random.Generator | None,
        grad: GradFn | None,
        swaps: Mapping[int, str],
    ) -> None:
        self.env = env
        self.tape = tape
        self.rng = rng
        self.grad = grad
        self.swaps = swaps

    def run(self, expr: Expr) -> Var:
        tape = self.tape
        if isinstance(expr, Num):
            return tape.constant(np.array(expr.value, dtype=np.float64))
        if isinstance(expr, Name):
            var = self.env.get(expr.id)
            if var is None:
                raise ExerciseError(f"unknown variable `{expr.id}`")
            return var
        if isinstance(expr, Unary):
            operand = self.run(expr.operand)
            return tape.neg(operand) if expr.op == "-" else operand
        if isinstance(expr, Binary):
            return self._binary(expr)
        if isinstance(expr, Compare):
            return tape.compare(self.run(expr.left), self.run(expr.right), expr.op)
        if isinstance(expr, Transpose):
            return tape.transpose(self.run(expr.operand))
        if isinstance(expr, Index):
            return tape.index(self.run(expr.operand), expr.parts)
        if isinstance(expr, Call):
            return self._call(expr)
        if isinstance(expr, Grad):
            if self.grad is None:
                raise ExerciseError("`grad` is only allowed in an ask's answer")
            return tape.constant(self.grad(expr.of, expr.wrt))
        raise ExerciseError("unsupported expression")  # pragma: no cover - exhaustive

    def _binary(self, expr: Binary) -> Var:
        left = self.run(expr.left)
        right = self.run(expr.right)
        op = expr.op
        swap = self.swaps.get(expr.uid)
        tape = self.tape
        if op == "@" and swap == ELEMENTWISE:
            op = "*"
        elif op == "*" and swap == MATMUL:
            op = "@"
        elif op == "*" and swap == OUTER:
            op, right = "@", tape.transpose(right)
        elif op == "@" and swap == TRANSPOSE_LEFT:
            left = tape.transpose(left)
        elif op == "@" and swap == TRANSPOSE_RIGHT:
            right = tape.transpose(right)
        if op == "+":
            return tape.add(left, right)
        if op == "-":
            return tape.sub(left, right)
        if op == "*":
            return tape.mul(left, right)
        if op == "/":
            return tape.div(left, right)
        if op == "@":
            return tape.matmul(left, right)
        return tape.power(left, right)

    def _call(self, expr: Call) -> Var:
        func = expr.func
        options = dict(expr.options)
        sizes = expr.sizes
        tape = self.tape
        if func in {"normal", "uniform", "randint", "onehot"}:
            return tape.constant(self._draw(func, sizes, options))
        if func == "eye":
            return tape.constant(np.eye(sizes[0]))
        if func in {"ones", "zeros"}:
            shape = (sizes[0], sizes[1] if len(sizes) > 1 else 1)
            fill = np.ones if func == "ones" else np.zeros
            return tape.constant(fill(shape))
        args = [self.run(a) for a in expr.args]
        if func in ACTIVATIONS and self.swaps.get(expr.uid) == SKIP_DERIVATIVE:
            return args[0]
        axis_option = options.get("axis")
        axis = None if axis_option is None else int(axis_option)
        if func in _UNARY:
            unary: Callable[[Var], Var] = getattr(tape, func)
            return unary(args[0])
        if func in _BINARY_FUNCTIONS:
            binary: Callable[[Var, Var], Var] = getattr(tape, func)
            return binary(args[0], args[1])
        if func in {"sum", "mean", "max", "min", "argmax", "argmin", "cumsum", "sort"}:
            reduce: Callable[[Var, int | None], Var] = getattr(tape, func)
            return reduce(args[0], axis)
        if func in {"var", "std", "norm"}:
            return _spread(tape, func, args[0], axis)
        if func == "softmax":
            return tape.softmax(args[0], 0 if axis is None else axis)
        if func == "log_softmax":
            return tape.log_softmax(args[0], 0 if axis is None else axis)
        if func == "where":
            return tape.where(args[0], args[1], args[2])
        if func == "clip":
            return tape.clip(args[0], args[1], args[2])
        if func == "reshape":
            return tape.reshape(args[0], sizes[0], sizes[1])
        raise ExerciseError(f"unknown function `{func}`")  # pragma: no cover - whitelisted

    def _draw(self, func: str, sizes: tuple[int, ...], options: dict[str, float]) -> Array:
        if self.rng is None:
            raise ExerciseError(f"`{func}(...)` draws are only allowed in `given`")
        rng = self.rng
        if func == "onehot":
            k = sizes[0]
            n = sizes[1] if len(sizes) > 1 else 1
            self.tape.check_shape((k, n))
            out = np.zeros((k, n))
            out[rng.integers(0, k, size=n), np.arange(n)] = 1.0
            return out
        shape = (sizes[0], sizes[1] if len(sizes) > 1 else 1)
        self.tape.check_shape(shape)
        if func == "normal":
            std = options.get("std", 1.0)
            if std < 0:
                raise ExerciseError("normal's std must not be negative")
            return rng.normal(options.get("mean", 0.0), std, size=shape)
        low = options.get("low", 0.0)
        high = options.get("high", 1.0 if func == "uniform" else 10.0)
        if not low < high:
            raise ExerciseError(f"`{func}` needs low < high, got low={low:g}, high={high:g}")
        if func == "uniform":
            return rng.uniform(low, high, size=shape)
        return rng.integers(int(low), int(high), size=shape).astype(np.float64)
