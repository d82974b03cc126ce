"""Numeric equivalence: two expressions agree when they agree at K random points.

Every free symbol is drawn from its domain (``domains.py``); a formula in matrix notation
is checked twice, with the symbols as scalars **and** as random conformable arrays of the
shapes ``shapes.py`` inferred, so a product in the wrong order or a missing transpose is
refused even where the scalar check passes. A point where the reference is not finite is
never used; one where the answer is not finite is skipped and the next one taken; an
answer is accepted only on at least ``K`` valid points of every mode.

The scalar check evaluates all its points at once (each symbol a vector of draws) when the
formula has no reduction; the array check evaluates point by point. Each evaluation is one
``Tape``: the exercise engine's element and work limits apply to it.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from quizapp.drills.domains import DOMAINS, REAL
from quizapp.exercises.autodiff import Tape, Var
from quizapp.exercises.deadline import Deadline
from quizapp.exercises.errors import ExerciseError
from quizapp.exercises.evaluator import evaluate
from quizapp.exercises.expr import Binary, Call, Compare, Expr, Num, Transpose, Unary, walk

#: Valid points each mode needs before an answer is accepted.
K = 8
#: Points drawn per mode: the answer may be undefined at some of them.
DRAWN = 3 * K
#: Samples drawn for a symbol under an expectation.
SAMPLES = 64
#: Agreement: ``np.allclose`` with these (relative to the larger magnitude).
RTOL = 1e-6
ATOL = 1e-9

SCALAR = "scalar"
MATRIX = "matrix"

_REDUCING = frozenset(
    {"sum", "mean", "max", "min", "var", "std", "norm", "softmax", "log_softmax", "argmax"}
    | {"argmin", "sort", "cumsum"}
)

Array = np.ndarray


def scalarize(expr: Expr) -> Expr:
    """The expression read with every symbol a scalar: products plain, transposes gone,
    inverses reciprocals."""
    if isinstance(expr, Binary):
        op = "*" if expr.op == "@" else expr.op
        return Binary(op, scalarize(expr.left), scalarize(expr.right), expr.uid)
    if isinstance(expr, Compare):
        return Compare(expr.op, scalarize(expr.left), scalarize(expr.right), expr.uid)
    if isinstance(expr, Unary):
        return Unary(expr.op, scalarize(expr.operand), expr.uid)
    if isinstance(expr, Transpose):
        return scalarize(expr.operand)
    if isinstance(expr, Call):
        args = tuple(scalarize(a) for a in expr.args)
        if expr.func == "dot":
            return Binary("*", args[0], args[1], expr.uid)
        if expr.func == "inv":
            return Binary("/", Num(1.0), args[0], expr.uid)
        if expr.func == "diag":
            return args[0]
        return Call(expr.func, args, expr.sizes, expr.options, expr.uid)
    return expr


def reduces(expr: Expr) -> bool:
    """Whether ``expr`` has an operation across entries (so points cannot be batched)."""
    return any(isinstance(n, Call) and n.func in _REDUCING for n in walk(expr))


class DrillTape(Tape):
    """A tape on which a written product (``dot``: juxtaposition, ``\\cdot``) of two arrays
    of one shape that a matrix product cannot take is element-wise, as a formula's ``a b``
    of two vectors means. ``@`` typed in the exercise language stays strict."""

    def dot(self, a: Var, b: Var) -> Var:
        """NumPy's ``dot``, or ``a * b`` for two arrays of one shape that ``@`` cannot take."""
        both = a.value.ndim == 2 and b.value.ndim == 2
        if both and a.shape == b.shape and a.shape[1] != b.shape[0]:
            return self.mul(a, b)
        return super().dot(a, b)


def value(expr: Expr, env: Mapping[str, Array]) -> Array:
    """``expr`` evaluated on a fresh tape; ``ExerciseError`` when it does not compute."""
    tape = DrillTape()
    scope = {name: tape.constant(v) for name, v in env.items()}
    with np.errstate(all="ignore"):
        return np.asarray(evaluate(expr, scope, tape).value)


def agree(a: Array, b: Array) -> bool:
    """Same shape (a scalar and a 1×1 alike) and close entry by entry."""
    if a.size == 1 and b.size == 1:
        a, b = a.reshape(()), b.reshape(())
    if a.shape != b.shape:
        return False
    scale = max(1.0, float(np.max(np.abs(b))) if b.size else 1.0)
    return bool(np.allclose(a, b, rtol=RTOL, atol=ATOL * scale))


def finite(a: Array) -> bool:
    """Whether every entry of ``a`` is finite."""
    return bool(np.all(np.isfinite(a)))


@dataclass
class Mode:
    """One way of reading the formula: ``scalar`` or ``matrix``, with its valid points.

    ``points`` are the symbol values at each point where the reference is finite, and
    ``references`` the reference's value there; in a batched scalar mode there is one
    "point" holding every draw, and ``batched`` says so.
    """

    name: str
    reference: Expr
    points: list[dict[str, Array]] = field(default_factory=list)
    references: list[Array] = field(default_factory=list)
    batched: bool = False


def seed_for(key: str) -> int:
    """A fixed seed per drill, so a drill's points are the same in every run."""
    return zlib.crc32(key.encode("utf-8"))


def draw(rng: np.random.Generator, domain: str, shape: tuple[int, ...]) -> Array:
    """Values from ``domain`` (``real``: either sign, away from 0)."""
    low, high = DOMAINS[domain]
    values = rng.uniform(low, high, size=shape)
    if domain == REAL:
        values = values * rng.choice([-1.0, 1.0], size=shape)
    return values


def build_mode(
    name: str,
    reference: Expr,
    domains: Mapping[str, str],
    shapes: Mapping[str, tuple[int, ...]],
    fixed: Mapping[str, float],
    samples: frozenset[str],
    seed: int,
) -> Mode:
    """Draw the mode's points and evaluate the reference at them (finite points kept)."""
    rng = np.random.default_rng(seed)
    batched = name == SCALAR and not samples and not reduces(reference)
    mode = Mode(name, reference, batched=batched)
    symbols = sorted(domains)
    if batched:
        env = {s: draw(rng, domains[s], (DRAWN,)) for s in symbols}
        env |= {s: np.array(v) for s, v in fixed.items()}
        out = np.broadcast_to(value(reference, env), (DRAWN,))
        keep = np.isfinite(out)
        mode.points = [{s: (v[keep] if v.ndim else v) for s, v in env.items()}]
        mode.references = [out[keep]]
        return mode
    for _ in range(DRAWN):
        env = {}
        for s in symbols:
            shape = (SAMPLES, 1) if s in samples else tuple(shapes.get(s, ()))
            env[s] = draw(rng, domains[s], shape)
        env |= {s: np.array(v) for s, v in fixed.items()}
        out = value(reference, env)
        if finite(out):
            mode.points.append(env)
            mode.references.append(out)
    return mode


def valid_count(mode: Mode) -> int:
    """How many valid points the mode has."""
    return int(mode.references[0].size) if mode.batched and mode.references else len(mode.points)


@dataclass(frozen=True)
class Comparison:
    """How an expression compares with a mode's reference: ``agree``, ``differ``,
    ``undefined`` (fewer than K valid points), ``shape`` (computes, another shape),
    ``error`` (does not compute: ``message`` says why) or ``deadline`` (the check ran out
    of time); ``checked`` valid points."""

    outcome: str
    checked: int
    message: str = ""
    got: tuple[int, ...] = ()
    expected: tuple[int, ...] = ()


def compare(
    expr: Expr,
    mode: Mode,
    against: list[Array] | None = None,
    need: int = K,
    deadline: Deadline | None = None,
) -> Comparison:
    """Compare ``expr`` with the mode's reference (or with ``against``, values at the same
    points) on at least ``need`` valid points."""
    targets = mode.references if against is None else against
    if mode.batched:
        env = mode.points[0]
        try:
            got = value(expr, env)
        except ExerciseError as error:
            return Comparison("error", 0, str(error))
        target = targets[0]
        try:
            got = np.broadcast_to(got, target.shape)
        except ValueError:
            return Comparison("shape", 0, got=tuple(got.shape), expected=())
        ok = np.isfinite(got) & np.isfinite(target)
        checked = int(ok.sum())
        if checked < need:
            return Comparison("undefined", checked)
        scale = np.maximum(1.0, np.abs(target[ok]))
        close = np.abs(got[ok] - target[ok]) <= ATOL * scale + RTOL * np.abs(target[ok])
        return Comparison("agree" if bool(close.all()) else "differ", checked)
    checked = 0
    for env, target in zip(mode.points, targets, strict=False):
        if deadline is not None and deadline.expired():
            return Comparison("deadline", checked)
        try:
            got = value(expr, env)
        except ExerciseError as error:
            return Comparison("error", checked, str(error))
        if not finite(got) or not finite(target):
            continue
        if got.size != target.size or (got.size > 1 and got.shape != target.shape):
            return Comparison("shape", checked, got=tuple(got.shape), expected=tuple(target.shape))
        if not agree(got, target):
            return Comparison("differ", checked + 1)
        checked += 1
        if checked >= need:
            return Comparison("agree", checked)
    return Comparison("undefined", checked)


def values_at(expr: Expr, mode: Mode) -> list[Array] | str:
    """``expr``'s value at each of the mode's points, or the error it raises."""
    try:
        return [value(expr, env) for env in mode.points]
    except ExerciseError as error:
        return str(error)
