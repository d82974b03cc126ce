"""Reverse-mode automatic differentiation over NumPy for the exercise function set.

A ``Tape`` creates ``Var`` nodes; each node keeps its value, its parents and one
vector-Jacobian product (VJP) function that maps the adjoint of the node to the adjoints
of its parents. ``backward`` walks the nodes in reverse creation order, which is a
topological order because a node is always created after its parents.

Why write it instead of using a library: the function set is small, there is no new
dependency, and the diagnosis needs hooks a library does not give — a VJP can be asked for
a *variant* (``mode``): an element-wise product where the matrix product belongs and the
reverse, or an activation whose derivative is left out. Those variants are what a learner
gets when they make the corresponding mistake.

Every operation checks shapes (with a clear ``ExerciseError``) before it allocates, and
charges the tape's budget for what it did: its result's elements, weighted by what the
operation really costs (``ELEMENT_COSTS``: a sigmoid is dearer than an add), plus the
Python overhead of one node, so no expression can exhaust memory or time.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
from numpy.typing import NDArray

from quizapp.exercises.errors import ExerciseError
from quizapp.exercises.expr import IndexPart
from quizapp.exercises.limits import (
    ELEMENT_COSTS,
    MAX_DIM,
    MAX_ELEMENTS,
    MAX_EXPONENT,
    MAX_FLOPS,
    MAX_TOTAL_ELEMENTS,
    NODE_COST,
)
from quizapp.text import plural

Array = NDArray[np.float64]
Grads = tuple[Array | None, ...]
#: Maps the node's adjoint (and a variant mode, or None) to its parents' adjoints. It
#: returns None when the asked variant does not apply (for example, shapes do not allow it).
VJP = Callable[[Array, str | None], Grads | None]

#: Modes a VJP may be asked for; see ``docs/exercises.md`` ("Diagnosis").
ELEMENTWISE = "elementwise"  # a matmul's VJP uses * instead of @
MATMUL = "matmul"  # an element-wise product's VJP uses @ instead of *
SKIP_DERIVATIVE = "skip_derivative"  # an activation passes the adjoint through unchanged
AT_INPUT = "at_input"  # σ′ or tanh′ written with the pre-activation: z(1 − z), 1 − z²
DIAGONAL = "diagonal"  # the softmax Jacobian's diagonal only: g ⊙ s ⊙ (1 − s)
WRONG_AXIS = "wrong_axis"  # a softmax's backward sum taken over the other axis

#: Functions whose derivative the "before the last activation derivative" variant leaves out.
ACTIVATIONS = frozenset({"sigmoid", "tanh", "relu", "softmax", "exp"})


#: Largest condition number ``solve`` and ``inv`` accept: beyond it the answer (and its
#: gradient) is mostly round-off.
MAX_CONDITION = 1e10

_ERF = np.frompyfunc(math.erf, 1, 1)
_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)


def _as_slice(part: IndexPart, size: int, what: str) -> slice:
    """An index part as a slice of a dimension of ``size``: an integer keeps its dimension."""
    if isinstance(part, int):
        if not -size <= part < size:
            raise ExerciseError(f"{what} index {part} is out of range for a size of {size}")
        start = part % size
        return slice(start, start + 1)
    return slice(*part)


def shape_text(shape: tuple[int, ...]) -> str:
    """``(2, 1)`` → ``2×1``; a scalar is ``scalar``."""
    return "×".join(str(d) for d in shape) if shape else "scalar"


class Var:
    """One node on the tape: a value, where it came from, and how to differentiate it.

    ``kind`` names the operation (``matmul``, ``mul``, ``sigmoid``…); ``label`` is the
    spec's name for the computation the node belongs to, used in diagnosis messages.
    ``tracked`` is False for constants, through which no gradient flows.
    """

    __slots__ = ("kind", "label", "parents", "tracked", "uid", "value", "vjp")

    def __init__(
        self,
        value: Array,
        uid: int,
        parents: tuple[Var, ...] = (),
        vjp: VJP | None = None,
        kind: str = "const",
        tracked: bool = False,
        label: str | None = None,
    ) -> None:
        self.value = value
        self.uid = uid
        self.parents = parents
        self.vjp = vjp
        self.kind = kind
        self.tracked = tracked
        self.label = label

    @property
    def shape(self) -> tuple[int, ...]:
        """The shape of the value."""
        return tuple(self.value.shape)


def unbroadcast(g: Array, shape: tuple[int, ...]) -> Array:
    """Sum an adjoint back over the axes that broadcasting added or stretched."""
    while g.ndim > len(shape):
        g = g.sum(axis=0)
    for axis, size in enumerate(shape):
        if size == 1 and g.shape[axis] != 1:
            g = g.sum(axis=axis, keepdims=True)
    return g


def _fits(g: Array, shape: tuple[int, ...]) -> Array | None:
    """Reduce ``g`` to ``shape`` if broadcasting could have produced it, else None."""
    if g.ndim < len(shape):
        return None
    tail = g.shape[g.ndim - len(shape) :]
    if any(s not in (1, t) for s, t in zip(shape, tail, strict=True)):
        return None
    return unbroadcast(g, shape)


def _matmul_like(g: Array, d: Array, shape: tuple[int, ...]) -> Array | None:
    """``g @ d`` if that is defined and has ``shape``: the "matrix product" variant."""
    if g.ndim != 2 or d.ndim != 2 or g.shape[1] != d.shape[0]:
        return None
    r = g @ d
    return r if r.shape == shape else None


def _elementwise_like(g: Array, d: Array, shape: tuple[int, ...]) -> Array | None:
    """``g * d`` reduced to ``shape`` if broadcasting allows: the "element-wise" variant."""
    try:
        np.broadcast_shapes(g.shape, d.shape)
    except ValueError:
        return None
    return _fits(g * d, shape)


class Tape:
    """Creates nodes, enforces the limits, and differentiates.

    One tape is one evaluation budget: it counts the elements it allocates and the work it
    does (flop-equivalents, see ``limits.py``), and refuses (with ``ExerciseError``) before
    going over ``MAX_TOTAL_ELEMENTS`` or ``MAX_FLOPS``.
    """

    def __init__(self) -> None:
        self._next_uid = 0
        self.elements = 0
        self.flops = 0
        self.label: str | None = None

    #: Flop-equivalent of the Python overhead of one node (``limits.NODE_COST``).
    NODE_COST = NODE_COST

    @property
    def cost(self) -> int:
        """Estimated work of the evaluation on this tape so far, in flop-equivalents.

        Verification and diagnosis re-run the forward pass many times; they use this to
        bound their total work.
        """
        return self.flops

    # ---- node creation and limits -------------------------------------------------

    def _uid(self) -> int:
        self._next_uid += 1
        return self._next_uid

    def check_shape(self, shape: tuple[int, ...], what: str = "result") -> None:
        """Refuse an array larger than the per-array limits before it is allocated."""
        if shape and max(shape) > MAX_DIM:
            raise ExerciseError(
                f"{what} would be {shape_text(shape)}; each dimension is limited to {MAX_DIM}"
            )
        if shape and min(shape) < 0:
            raise ExerciseError(f"{what} would have a negative size")
        size = math.prod(shape)
        if size > MAX_ELEMENTS:
            raise ExerciseError(
                f"{what} would be {shape_text(shape)} ({size} elements); "
                f"the limit is {MAX_ELEMENTS} elements"
            )

    def charge(self, elements: int, flops: int = 0) -> None:
        """Count one node: ``elements`` allocated, ``flops`` of work beyond one per element,
        and the node's overhead; refuse when the evaluation goes over its budget."""
        self.elements += elements
        self.flops += flops + elements + self.NODE_COST
        if self.elements > MAX_TOTAL_ELEMENTS or self.flops > MAX_FLOPS:
            raise ExerciseError("the computation is too large (the evaluation budget is spent)")

    def constant(self, value: Any) -> Var:
        """A value through which no gradient flows (a literal, a comparison, ``ones``…)."""
        arr = np.asarray(value, dtype=np.float64)
        self.check_shape(arr.shape)
        self.charge(arr.size)
        return Var(arr, self._uid(), label=self.label)

    def leaf(self, value: Any, label: str | None = None) -> Var:
        """A variable one can differentiate with respect to (a given value)."""
        arr = np.asarray(value, dtype=np.float64)
        self.check_shape(arr.shape)
        self.charge(arr.size)
        return Var(arr, self._uid(), kind="leaf", tracked=True, label=label)

    def _node(
        self, value: Array, parents: tuple[Var, ...], vjp: VJP, kind: str, flops: int = 0
    ) -> Var:
        """A computed node; ``flops`` is work beyond what ``ELEMENT_COSTS`` says per element
        of the result (a matrix product's multiply-adds, a reduction's input)."""
        size = int(value.size)
        self.charge(size, flops + size * (ELEMENT_COSTS.get(kind, 1) - 1))
        value = np.asarray(value, dtype=np.float64)
        tracked = any(p.tracked for p in parents)
        return Var(
            value,
            self._uid(),
            parents=parents if tracked else (),
            vjp=vjp if tracked else None,
            kind=kind,
            tracked=tracked,
            label=self.label,
        )

    def rename(self, var: Var, label: str, value: Array | None = None) -> Var:
        """An identity node that marks a computed value as the spec's variable ``label``.

        Giving each named computation its own node lets ``grad(L, z2)`` and finite
        differences both address exactly that value. ``value`` replaces the value while
        the gradient still flows through (the audit's "computed from the displayed,
        rounded numbers").
        """
        new = var.value.copy() if value is None else np.asarray(value, dtype=np.float64)
        return self._node(new, (var,), lambda g, m: (g,), "name")

    def _broadcast(self, a: Var, b: Var, op: str) -> tuple[int, ...]:
        try:
            shape = tuple(np.broadcast_shapes(a.shape, b.shape))
        except ValueError:
            raise ExerciseError(
                f"shapes {shape_text(a.shape)} and {shape_text(b.shape)} don't fit for `{op}`"
            ) from None
        self.check_shape(shape)
        return shape

    # ---- arithmetic -------------------------------------------------------------------

    def add(self, a: Var, b: Var) -> Var:
        """``a + b`` with broadcasting."""
        self._broadcast(a, b, "+")
        sa, sb = a.shape, b.shape
        return self._node(
            a.value + b.value,
            (a, b),
            lambda g, m: (unbroadcast(g, sa), unbroadcast(g, sb)),
            "add",
        )

    def sub(self, a: Var, b: Var) -> Var:
        """``a - b`` with broadcasting."""
        self._broadcast(a, b, "-")
        sa, sb = a.shape, b.shape
        return self._node(
            a.value - b.value,
            (a, b),
            lambda g, m: (unbroadcast(g, sa), unbroadcast(-g, sb)),
            "sub",
        )

    def mul(self, a: Var, b: Var) -> Var:
        """``a * b`` element-wise; its VJP has a matrix-product variant."""
        self._broadcast(a, b, "*")
        av, bv = a.value, b.value

        def vjp(g: Array, mode: str | None) -> Grads | None:
            if mode == MATMUL:
                ga = _matmul_like(g, bv, av.shape)
                gb = _matmul_like(av, g, bv.shape)
                if ga is None and gb is None:
                    return None
                return (
                    ga if ga is not None else unbroadcast(g * bv, av.shape),
                    gb if gb is not None else unbroadcast(g * av, bv.shape),
                )
            return (unbroadcast(g * bv, av.shape), unbroadcast(g * av, bv.shape))

        return self._node(av * bv, (a, b), vjp, "mul")

    def div(self, a: Var, b: Var) -> Var:
        """``a / b`` with broadcasting."""
        self._broadcast(a, b, "/")
        av, bv = a.value, b.value
        with np.errstate(all="ignore"):
            out = av / bv
        return self._node(
            out,
            (a, b),
            lambda g, m: (
                unbroadcast(g / bv, av.shape),
                unbroadcast(-g * av / (bv * bv), bv.shape),
            ),
            "div",
        )

    def matmul(self, a: Var, b: Var) -> Var:
        """``a @ b`` on matrices; its VJP has an element-wise variant."""
        if a.value.ndim != 2 or b.value.ndim != 2:
            raise ExerciseError(
                f"`@` needs two matrices, got {shape_text(a.shape)} and {shape_text(b.shape)}"
                " (use `*` for scalars)"
            )
        if a.shape[1] != b.shape[0]:
            raise ExerciseError(
                f"shapes {shape_text(a.shape)} and {shape_text(b.shape)} don't fit for `@`"
            )
        n, k = a.shape
        m = b.shape[1]
        self.check_shape((n, m))
        av, bv = a.value, b.value

        def vjp(g: Array, mode: str | None) -> Grads | None:
            if mode == ELEMENTWISE:
                ga = _elementwise_like(g, bv.T, av.shape)
                gb = _elementwise_like(av.T, g, bv.shape)
                if ga is None or gb is None:
                    return None
                return (ga, gb)
            return (g @ bv.T, av.T @ g)

        return self._node(av @ bv, (a, b), vjp, "matmul", flops=2 * n * k * m)

    def power(self, a: Var, b: Var) -> Var:
        """``a ** b``; exponents are limited to ``MAX_EXPONENT`` in absolute value."""
        self._broadcast(a, b, "**")
        av, bv = a.value, b.value
        if bv.size and float(np.max(np.abs(bv))) > MAX_EXPONENT:
            raise ExerciseError(f"exponents are limited to {MAX_EXPONENT:g} in absolute value")
        with np.errstate(all="ignore"):
            out = av**bv
        b_tracked = b.tracked

        def vjp(g: Array, mode: str | None) -> Grads | None:
            with np.errstate(all="ignore"):
                ga = unbroadcast(g * bv * av ** (bv - 1.0), av.shape)
                gb = unbroadcast(g * out * np.log(av), bv.shape) if b_tracked else None
            return (ga, gb)

        return self._node(out, (a, b), vjp, "pow")

    def neg(self, a: Var) -> Var:
        """``-a``."""
        return self._node(-a.value, (a,), lambda g, m: (-g,), "neg")

    def compare(self, a: Var, b: Var, op: str) -> Var:
        """``a > b`` and friends (``< >= <= == !=``): 0/1 floats, with no gradient."""
        self._broadcast(a, b, op)
        ops: dict[str, Callable[[Array, Array], Any]] = {
            ">": np.greater,
            "<": np.less,
            ">=": np.greater_equal,
            "<=": np.less_equal,
            "==": np.equal,
            "!=": np.not_equal,
        }
        return self.constant(ops[op](a.value, b.value).astype(np.float64))

    def transpose(self, a: Var) -> Var:
        """``a.T`` (a scalar is its own transpose)."""
        return self._node(a.value.T.copy(), (a,), lambda g, m: (g.T,), "transpose")

    # ---- element-wise functions -----------------------------------------------------

    def _activation(
        self, a: Var, kind: str, out: Array, deriv: Array, at_input: Array | None = None
    ) -> Var:
        """An element-wise function whose derivative is ``deriv`` (same shape as ``a``);
        ``at_input`` is the derivative's formula wrongly applied to the input (``AT_INPUT``)."""

        def vjp(g: Array, mode: str | None) -> Grads | None:
            if mode == SKIP_DERIVATIVE:
                return (g,)
            if mode == AT_INPUT:
                return None if at_input is None else (g * at_input,)
            if mode == MATMUL:
                r = _matmul_like(g, deriv, a.shape)
                return None if r is None else (r,)
            return (g * deriv,)

        return self._node(out, (a,), vjp, kind)

    def sigmoid(self, a: Var) -> Var:
        """The logistic function, computed without overflow warnings."""
        with np.errstate(all="ignore"):
            out = np.where(
                a.value >= 0,
                1.0 / (1.0 + np.exp(-np.abs(a.value))),
                np.exp(-np.abs(a.value)) / (1.0 + np.exp(-np.abs(a.value))),
            )
        z = a.value
        return self._activation(a, "sigmoid", out, out * (1.0 - out), z * (1.0 - z))

    def tanh(self, a: Var) -> Var:
        """Hyperbolic tangent."""
        out = np.tanh(a.value)
        z = a.value
        return self._activation(a, "tanh", out, 1.0 - out * out, 1.0 - z * z)

    def relu(self, a: Var) -> Var:
        """``max(a, 0)`` element-wise; the derivative at 0 is taken as 0."""
        return self._activation(
            a, "relu", np.maximum(a.value, 0.0), (a.value > 0).astype(np.float64)
        )

    def exp(self, a: Var) -> Var:
        """Exponential (overflow gives inf, which the reference checks refuse)."""
        with np.errstate(all="ignore"):
            out = np.exp(a.value)
        return self._activation(a, "exp", out, out)

    def log(self, a: Var) -> Var:
        """Natural logarithm."""
        av = a.value
        with np.errstate(all="ignore"):
            out = np.log(av)
        return self._node(out, (a,), lambda g, m: (g / av,), "log")

    def sqrt(self, a: Var) -> Var:
        """Square root."""
        with np.errstate(all="ignore"):
            out = np.sqrt(a.value)
        return self._node(out, (a,), lambda g, m: (g * 0.5 / out,), "sqrt")

    def abs(self, a: Var) -> Var:
        """Absolute value; the derivative at 0 is taken as 0."""
        av = a.value
        return self._node(np.abs(av), (a,), lambda g, m: (g * np.sign(av),), "abs")

    def log1p(self, a: Var) -> Var:
        """``log(1 + a)``, accurate for small ``a``."""
        av = a.value
        with np.errstate(all="ignore"):
            out = np.log1p(av)
        return self._node(out, (a,), lambda g, m: (g / (1.0 + av),), "log1p")

    def softplus(self, a: Var) -> Var:
        """``log(1 + exp(a))`` without overflow; its derivative is the sigmoid."""
        av = a.value
        out = np.logaddexp(0.0, av)
        with np.errstate(all="ignore"):
            deriv = np.exp(-np.logaddexp(0.0, -av))  # sigmoid(a), stable both ways
        return self._node(out, (a,), lambda g, m: (g * deriv,), "softplus")

    def sin(self, a: Var) -> Var:
        """Sine."""
        av = a.value
        return self._node(np.sin(av), (a,), lambda g, m: (g * np.cos(av),), "sin")

    def cos(self, a: Var) -> Var:
        """Cosine."""
        av = a.value
        return self._node(np.cos(av), (a,), lambda g, m: (-g * np.sin(av),), "cos")

    def erf(self, a: Var) -> Var:
        """The error function (as in GELU, ``x·Φ(x) = x·(1 + erf(x/√2))/2``).

        NumPy has no erf; ``math.erf`` per element is exact and, at the sizes allowed,
        fast enough (``ELEMENT_COSTS`` charges it as the slowest function).
        """
        av = a.value
        out = np.asarray(_ERF(av), dtype=np.float64)
        with np.errstate(all="ignore"):
            deriv = _TWO_OVER_SQRT_PI * np.exp(-av * av)
        return self._node(out, (a,), lambda g, m: (g * deriv,), "erf")

    # ---- reductions -------------------------------------------------------------------

    @staticmethod
    def _axis(a: Var, axis: int | None, name: str) -> None:
        if axis is not None and (a.value.ndim != 2 or axis not in (0, 1)):
            raise ExerciseError(
                f"`{name}` with axis={axis} needs a matrix and axis 0 or 1, "
                f"got {shape_text(a.shape)}"
            )

    def sum(self, a: Var, axis: int | None = None) -> Var:
        """Sum of all elements (a scalar), or along ``axis`` keeping that axis (size 1)."""
        self._axis(a, axis, "sum")
        shape = a.shape
        out = a.value.sum() if axis is None else a.value.sum(axis=axis, keepdims=True)
        return self._node(
            np.asarray(out),
            (a,),
            lambda g, m: (np.broadcast_to(g, shape).copy(),),
            "sum",
            flops=a.value.size,
        )

    def mean(self, a: Var, axis: int | None = None) -> Var:
        """Mean of all elements, or along ``axis`` keeping that axis."""
        self._axis(a, axis, "mean")
        shape = a.shape
        count = a.value.size if axis is None else a.shape[axis]
        if count == 0:
            raise ExerciseError("`mean` of an empty array")
        out = a.value.mean() if axis is None else a.value.mean(axis=axis, keepdims=True)
        return self._node(
            np.asarray(out),
            (a,),
            lambda g, m: (np.broadcast_to(g / count, shape).copy(),),
            "mean",
            flops=a.value.size,
        )

    def max(self, a: Var, axis: int | None = None) -> Var:
        """Largest element, or the largest along ``axis`` keeping that axis.

        The gradient goes to the maximal entries, shared equally between ties.
        """
        self._axis(a, axis, "max")
        if a.value.size == 0:
            raise ExerciseError("`max` of an empty array")
        av = a.value
        out = av.max() if axis is None else av.max(axis=axis, keepdims=True)

        def vjp(g: Array, mode: str | None) -> Grads | None:
            mask = (av == out).astype(np.float64)
            count = mask.sum() if axis is None else mask.sum(axis=axis, keepdims=True)
            return (mask / count * g,)

        return self._node(np.asarray(out), (a,), vjp, "max", flops=av.size)

    def min(self, a: Var, axis: int | None = None) -> Var:
        """Smallest element, or the smallest along ``axis`` keeping that axis; the gradient
        goes to the minimal entries, shared equally between ties."""
        return self.neg(self.max(self.neg(a), axis))

    def argmax(self, a: Var, axis: int | None = None) -> Var:
        """Where the largest entry is: a flat, row-major index without ``axis`` (a
        scalar), else one index per column (axis 0) or per row (axis 1).

        An index is piecewise constant in ``a``, so no gradient flows through it.
        """
        return self._arg(a, axis, smallest=False)

    def argmin(self, a: Var, axis: int | None = None) -> Var:
        """Where the smallest entry is, as ``argmax``; no gradient flows through it."""
        return self._arg(a, axis, smallest=True)

    def _arg(self, a: Var, axis: int | None, smallest: bool) -> Var:
        name = "argmin" if smallest else "argmax"
        self._axis(a, axis, name)
        if a.value.size == 0:
            raise ExerciseError(f"`{name}` of an empty array")
        pick = np.argmin if smallest else np.argmax
        av = a.value
        out = pick(av) if axis is None else np.expand_dims(pick(av, axis=axis), axis)
        self.charge(0, 4 * av.size)
        return self.constant(np.asarray(out, dtype=np.float64))

    @staticmethod
    def along(a: Var, axis: int | None) -> int:
        """The axis ``sort`` and ``cumsum`` work along: ``axis``, else 0 (down each column),
        except a single row (1×n), which is taken along its length."""
        if axis is not None:
            return axis
        return 1 if a.value.ndim == 2 and a.shape[0] == 1 else 0

    def sort(self, a: Var, axis: int | None = None) -> Var:
        """Ascending sort along ``axis`` (see ``along``); the gradient follows each entry
        back to where it came from."""
        self._axis(a, axis, "sort")
        if a.value.ndim != 2:
            raise ExerciseError(f"`sort` needs a matrix, got {shape_text(a.shape)}")
        ax = self.along(a, axis)
        order = np.argsort(a.value, axis=ax, kind="stable")
        out = np.take_along_axis(a.value, order, axis=ax)
        shape = a.shape
        length = max(shape[ax], 2)

        def vjp(g: Array, mode: str | None) -> Grads | None:
            back = np.zeros(shape)
            np.put_along_axis(back, order, g, axis=ax)
            return (back,)

        return self._node(out, (a,), vjp, "sort", flops=int(out.size * np.log2(length)) * 12)

    def cumsum(self, a: Var, axis: int | None = None) -> Var:
        """Running sum along ``axis`` (see ``along``); the gradient is the running sum of
        the adjoint taken from the other end."""
        self._axis(a, axis, "cumsum")
        if a.value.ndim != 2:
            raise ExerciseError(f"`cumsum` needs a matrix, got {shape_text(a.shape)}")
        ax = self.along(a, axis)
        return self._node(
            np.cumsum(a.value, axis=ax),
            (a,),
            lambda g, m: (np.flip(np.cumsum(np.flip(g, axis=ax), axis=ax), axis=ax),),
            "cumsum",
        )

    def softmax(self, a: Var, axis: int = 0) -> Var:
        """Softmax along ``axis`` (default 0: each column is a distribution)."""
        self._axis(a, axis, "softmax")
        z = a.value - a.value.max(axis=axis, keepdims=True)
        e = np.exp(z)
        s = e / e.sum(axis=axis, keepdims=True)

        other = 1 - axis

        def vjp(g: Array, mode: str | None) -> Grads | None:
            if mode == SKIP_DERIVATIVE:
                return (g,)
            if mode == DIAGONAL:
                return (g * s * (1.0 - s),)
            if mode == WRONG_AXIS:
                if s.shape[other] == 1:
                    return None  # the same as DIAGONAL
                return (s * (g - (g * s).sum(axis=other, keepdims=True)),)
            return (s * (g - (g * s).sum(axis=axis, keepdims=True)),)

        return self._node(s, (a,), vjp, "softmax")

    def log_softmax(self, a: Var, axis: int = 0) -> Var:
        """Log of the softmax along ``axis``, computed stably."""
        self._axis(a, axis, "log_softmax")
        z = a.value - a.value.max(axis=axis, keepdims=True)
        out = z - np.log(np.exp(z).sum(axis=axis, keepdims=True))
        s = np.exp(out)
        other = 1 - axis

        def vjp(g: Array, mode: str | None) -> Grads | None:
            if mode == WRONG_AXIS:
                if s.shape[other] == 1:
                    return None
                return (g - s * g.sum(axis=other, keepdims=True),)
            return (g - s * g.sum(axis=axis, keepdims=True),)

        return self._node(out, (a,), vjp, "log_softmax")

    # ---- two- and three-argument functions ------------------------------------------

    def maximum(self, a: Var, b: Var) -> Var:
        """Element-wise maximum; ties send the gradient to the first argument."""
        self._broadcast(a, b, "maximum")
        av, bv = a.value, b.value
        first = (av >= bv).astype(np.float64)
        return self._node(
            np.maximum(av, bv),
            (a, b),
            lambda g, m: (
                unbroadcast(g * first, av.shape),
                unbroadcast(g * (1.0 - first), bv.shape),
            ),
            "maximum",
        )

    def minimum(self, a: Var, b: Var) -> Var:
        """Element-wise minimum; ties send the gradient to the first argument."""
        self._broadcast(a, b, "minimum")
        av, bv = a.value, b.value
        first = (av <= bv).astype(np.float64)
        return self._node(
            np.minimum(av, bv),
            (a, b),
            lambda g, m: (
                unbroadcast(g * first, av.shape),
                unbroadcast(g * (1.0 - first), bv.shape),
            ),
            "minimum",
        )

    def clip(self, a: Var, low: Var, high: Var) -> Var:
        """``a`` limited to ``[low, high]`` element-wise (broadcasting all three).

        The gradient goes to ``a`` where it lies within the bounds (ends included), else
        to the bound that was used. ``low`` above ``high`` is refused.
        """
        shape = self._broadcast(a, low, "clip")
        shape = tuple(np.broadcast_shapes(shape, high.shape))
        self.check_shape(shape)
        av, lv, hv = a.value, low.value, high.value
        if np.any(lv > hv):
            raise ExerciseError("`clip` needs low ≤ high")
        below = (av < lv).astype(np.float64)
        above = (av > hv).astype(np.float64)
        inside = np.broadcast_to(1.0 - below - above, shape)
        sa, sl, sh = a.shape, low.shape, high.shape
        return self._node(
            np.clip(av, lv, hv),
            (a, low, high),
            lambda g, m: (
                unbroadcast(g * inside, sa),
                unbroadcast(g * below, sl),
                unbroadcast(g * above, sh),
            ),
            "clip",
        )

    def where(self, c: Var, a: Var, b: Var) -> Var:
        """``a`` where ``c`` is non-zero, else ``b``; no gradient flows into ``c``."""
        self._broadcast(c, a, "where")
        self._broadcast(c, b, "where")
        shape = tuple(np.broadcast_shapes(c.shape, a.shape, b.shape))
        self.check_shape(shape)
        cond = c.value != 0
        sa, sb = a.shape, b.shape
        out = np.where(cond, a.value, b.value)
        const_c = self.constant(cond.astype(np.float64)) if c.tracked else c
        return self._node(
            out,
            (const_c, a, b),
            lambda g, m: (
                None,
                unbroadcast(np.where(cond, g, 0.0), sa),
                unbroadcast(np.where(cond, 0.0, g), sb),
            ),
            "where",
        )

    def reshape(self, a: Var, rows: int, cols: int) -> Var:
        """The same elements, row by row, as a ``rows×cols`` matrix."""
        self.check_shape((rows, cols))
        if rows * cols != a.value.size:
            raise ExerciseError(
                f"cannot reshape {shape_text(a.shape)} ({a.value.size} elements) into {rows}×{cols}"
            )
        shape = a.shape
        return self._node(
            a.value.reshape(rows, cols).copy(),
            (a,),
            lambda g, m: (g.reshape(shape),),
            "reshape",
        )

    def outer(self, a: Var, b: Var) -> Var:
        """Outer product of the flattened arguments: ``a.size × b.size``."""
        self.check_shape((a.value.size, b.value.size))
        av, bv = a.value.ravel(), b.value.ravel()
        sa, sb = a.shape, b.shape
        return self._node(
            np.outer(av, bv),
            (a, b),
            lambda g, m: ((g @ bv).reshape(sa), (g.T @ av).reshape(sb)),
            "outer",
            flops=av.size * bv.size,
        )

    def index(self, a: Var, parts: tuple[IndexPart, ...]) -> Var:
        """``a[parts]``: rows and columns picked by integers or slices; always a matrix.

        One part indexes a column or a row along its length and a matrix by rows. An
        integer out of range, or a slice that selects nothing, is refused.
        """
        if a.value.ndim != 2:
            raise ExerciseError(f"cannot index a scalar ({shape_text(a.shape)})")
        rows, cols = a.shape
        if len(parts) == 1:
            whole: IndexPart = (None, None, None)
            parts = (whole, parts[0]) if rows == 1 and cols > 1 else (parts[0], whole)
        key = (_as_slice(parts[0], rows, "row"), _as_slice(parts[1], cols, "column"))
        out = a.value[key]
        if out.size == 0:
            raise ExerciseError(f"the index selects nothing from {shape_text(a.shape)}")
        shape = a.shape

        def vjp(g: Array, mode: str | None) -> Grads | None:
            back = np.zeros(shape)
            back[key] = g
            return (back,)

        return self._node(out.copy(), (a,), vjp, "index")

    def diag(self, a: Var) -> Var:
        """A vector (n×1 or 1×n) → the n×n matrix with it on the diagonal; a matrix → its
        diagonal as a column."""
        if a.value.ndim != 2:
            raise ExerciseError(f"`diag` needs a vector or a matrix, got {shape_text(a.shape)}")
        shape = a.shape
        if 1 in shape:
            n = a.value.size
            self.check_shape((n, n))
            return self._node(
                np.diag(a.value.ravel()),
                (a,),
                lambda g, m: (np.diag(g).reshape(shape).copy(),),
                "diag",
            )

        def vjp(g: Array, mode: str | None) -> Grads | None:
            back = np.zeros(shape)
            k = g.size
            back[np.arange(k), np.arange(k)] = g.ravel()
            return (back,)

        return self._node(np.diag(a.value).reshape(-1, 1).copy(), (a,), vjp, "diag")

    def _square(self, a: Var, name: str) -> int:
        if a.value.ndim != 2 or a.shape[0] != a.shape[1]:
            raise ExerciseError(f"`{name}` needs a square matrix, got {shape_text(a.shape)}")
        n = a.shape[0]
        self.charge(0, 4 * n**3 + n * n)  # the condition number: an SVD
        cond = np.linalg.cond(a.value) if n else 1.0
        if not cond < MAX_CONDITION:
            raise ExerciseError(
                f"`{name}`: the matrix is singular or nearly so (condition number {cond:.1e})"
            )
        return n

    def solve(self, a: Var, b: Var) -> Var:
        """``x`` with ``a @ x = b`` for a square, well-conditioned ``a``."""
        n = self._square(a, "solve")
        if b.value.ndim != 2 or b.shape[0] != n:
            raise ExerciseError(
                f"`solve` needs b with {plural(n, 'row')}, got {shape_text(b.shape)} "
                f"for a {shape_text(a.shape)} matrix"
            )
        k = b.shape[1]
        av = a.value
        x: Array = np.asarray(np.linalg.solve(av, b.value), dtype=np.float64)

        def vjp(g: Array, mode: str | None) -> Grads | None:
            gb: Array = np.asarray(np.linalg.solve(av.T, g), dtype=np.float64)
            return (-gb @ x.T, gb)

        return self._node(x, (a, b), vjp, "solve", flops=2 * n**3 + 2 * n * n * k)

    def inv(self, a: Var) -> Var:
        """The inverse of a square, well-conditioned matrix."""
        n = self._square(a, "inv")
        x: Array = np.asarray(np.linalg.inv(a.value), dtype=np.float64)
        return self._node(x, (a,), lambda g, m: (-x.T @ g @ x.T,), "inv", flops=3 * n**3)

    def dot(self, a: Var, b: Var) -> Var:
        """NumPy's ``dot``: a matrix product, or a plain product when one is a scalar."""
        if a.value.ndim == 0 or b.value.ndim == 0:
            return self.mul(a, b)
        return self.matmul(a, b)

    # ---- differentiation --------------------------------------------------------------

    @staticmethod
    def ancestors(root: Var) -> list[Var]:
        """Every tracked node ``root`` depends on, newest first (a reverse topological order)."""
        seen: dict[int, Var] = {}
        stack = [root]
        while stack:
            node = stack.pop()
            if node.uid in seen or not node.tracked:
                continue
            seen[node.uid] = node
            stack.extend(node.parents)
        return sorted(seen.values(), key=lambda v: v.uid, reverse=True)

    @staticmethod
    def between(root: Var, wrt: Var) -> list[Var]:
        """Nodes on a path from ``wrt`` to ``root``, closest to ``wrt`` first.

        These are the nodes whose VJPs the gradient of ``root`` with respect to ``wrt``
        runs through, in the order the backward pass applies them last-to-first.
        """
        order = [v for v in reversed(Tape.ancestors(root)) if v.uid > wrt.uid]
        reach = {wrt.uid}
        found: list[Var] = []
        for node in order:
            if any(p.uid in reach for p in node.parents):
                reach.add(node.uid)
                found.append(node)
        return found

    @staticmethod
    def adjoints(root: Var, modes: Mapping[int, str] | None = None) -> dict[int, Array] | None:
        """The adjoint of every tracked node ``root`` depends on, by uid, in one pass.

        ``root`` must hold one element. ``modes`` maps node uids to a VJP variant; the
        result is None when a requested variant does not apply.
        """
        if root.value.size != 1:
            raise ExerciseError(f"grad needs a scalar, got {shape_text(root.shape)}")
        modes = modes or {}
        adjoint: dict[int, Array] = {root.uid: np.ones_like(root.value)}
        for node in Tape.ancestors(root):
            g = adjoint.get(node.uid)
            if g is None or node.vjp is None:
                continue
            grads = node.vjp(g, modes.get(node.uid))
            if grads is None:
                return None
            for parent, gp in zip(node.parents, grads, strict=True):
                if gp is None or not parent.tracked:
                    continue
                if parent.uid in adjoint:
                    adjoint[parent.uid] = adjoint[parent.uid] + gp
                else:
                    adjoint[parent.uid] = gp
        return adjoint

    @staticmethod
    def backward(root: Var, wrt: Var, modes: Mapping[int, str] | None = None) -> Array | None:
        """The gradient of scalar ``root`` with respect to ``wrt`` (same shape as ``wrt``).

        ``modes`` maps node uids to a VJP variant; the result is None when a requested
        variant does not apply.
        """
        adjoint = Tape.adjoints(root, modes)
        if adjoint is None:
            return None
        g = adjoint.get(wrt.uid)
        return np.zeros_like(wrt.value) if g is None else g.reshape(wrt.shape)
