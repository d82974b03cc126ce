"""The autodiff agrees with central finite differences on every whitelisted function.

Each case builds ``L = sum(f(inputs) * W)`` for a fixed random weight ``W`` (so every
output entry matters) and compares the gradient for each input with finite differences,
over 200 seeds: along a random direction for every seed (two evaluations per input), and
entry by entry for the first seeds.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pytest

from quizapp.exercises.autodiff import Array, Tape, Var, unbroadcast
from quizapp.exercises.verification import relative_error

SEEDS = 200
FULL_SEEDS = 3
H = 1e-5
LIMIT = 1e-6

Fn = Callable[[Tape, Sequence[Var]], Var]


@dataclass(frozen=True)
class Case:
    name: str
    shapes: tuple[tuple[int, ...], ...]
    fn: Fn
    positive: bool = False  # draw inputs in [0.5, 2] (log, sqrt, pow)


def c(t: Tape, value: float) -> Var:
    return t.constant(np.array(value))


def c3(t: Tape) -> Var:
    """3·I: added to a normal 3×3 draw, it keeps ``solve`` and ``inv`` well conditioned."""
    return t.constant(3.0 * np.eye(3))


CASES = [
    Case("add", ((2, 3), (2, 3)), lambda t, v: t.add(v[0], v[1])),
    Case("add row broadcast", ((2, 3), (1, 3)), lambda t, v: t.add(v[0], v[1])),
    Case("add column broadcast", ((2, 3), (2, 1)), lambda t, v: t.add(v[0], v[1])),
    Case("add outer broadcast", ((2, 1), (1, 3)), lambda t, v: t.add(v[0], v[1])),
    Case("add scalar", ((2, 3), ()), lambda t, v: t.add(v[0], v[1])),
    Case("sub column broadcast", ((2, 1), (2, 3)), lambda t, v: t.sub(v[0], v[1])),
    Case("mul", ((2, 3), (2, 3)), lambda t, v: t.mul(v[0], v[1])),
    Case("mul broadcast", ((1, 3), (2, 1)), lambda t, v: t.mul(v[0], v[1])),
    Case("mul scalar", ((), (2, 2)), lambda t, v: t.mul(v[0], v[1])),
    Case("div", ((2, 3), (2, 3)), lambda t, v: t.div(v[0], v[1]), positive=True),
    Case("div broadcast", ((2, 3), (1, 3)), lambda t, v: t.div(v[0], v[1]), positive=True),
    Case("matmul", ((2, 3), (3, 2)), lambda t, v: t.matmul(v[0], v[1])),
    Case("matmul vector", ((1, 3), (3, 1)), lambda t, v: t.matmul(v[0], v[1])),
    Case("pow constant", ((2, 3),), lambda t, v: t.power(v[0], c(t, 3.0))),
    Case("pow both", ((2, 3), (2, 3)), lambda t, v: t.power(v[0], v[1]), positive=True),
    Case("pow broadcast", ((2, 3), (1, 1)), lambda t, v: t.power(v[0], v[1]), positive=True),
    Case("neg", ((2, 3),), lambda t, v: t.neg(v[0])),
    Case("transpose", ((2, 3),), lambda t, v: t.transpose(v[0])),
    Case("sigmoid", ((2, 3),), lambda t, v: t.sigmoid(v[0])),
    Case("tanh", ((2, 3),), lambda t, v: t.tanh(v[0])),
    Case("relu", ((2, 3),), lambda t, v: t.relu(v[0])),
    Case("exp", ((2, 3),), lambda t, v: t.exp(v[0])),
    Case("log", ((2, 3),), lambda t, v: t.log(v[0]), positive=True),
    Case("sqrt", ((2, 3),), lambda t, v: t.sqrt(v[0]), positive=True),
    Case("abs", ((2, 3),), lambda t, v: t.abs(v[0])),
    Case("sum", ((2, 3),), lambda t, v: t.sum(v[0])),
    Case("sum axis 0", ((2, 3),), lambda t, v: t.sum(v[0], 0)),
    Case("sum axis 1", ((2, 3),), lambda t, v: t.sum(v[0], 1)),
    Case("mean", ((2, 3),), lambda t, v: t.mean(v[0])),
    Case("mean axis 0", ((2, 3),), lambda t, v: t.mean(v[0], 0)),
    Case("mean axis 1", ((2, 3),), lambda t, v: t.mean(v[0], 1)),
    Case("max", ((2, 3),), lambda t, v: t.max(v[0])),
    Case("max axis 0", ((2, 3),), lambda t, v: t.max(v[0], 0)),
    Case("max axis 1", ((2, 3),), lambda t, v: t.max(v[0], 1)),
    Case("softmax axis 0", ((3, 2),), lambda t, v: t.softmax(v[0], 0)),
    Case("softmax axis 1", ((3, 2),), lambda t, v: t.softmax(v[0], 1)),
    Case("log_softmax axis 0", ((3, 2),), lambda t, v: t.log_softmax(v[0], 0)),
    Case("log_softmax axis 1", ((3, 2),), lambda t, v: t.log_softmax(v[0], 1)),
    Case("maximum", ((2, 3), (2, 3)), lambda t, v: t.maximum(v[0], v[1])),
    Case("maximum broadcast", ((2, 3), (1, 3)), lambda t, v: t.maximum(v[0], v[1])),
    Case("maximum with zero", ((2, 3),), lambda t, v: t.maximum(v[0], c(t, 0.0))),
    Case(
        "where",
        ((2, 3), (2, 3), (2, 3)),
        lambda t, v: t.where(t.compare(v[0], c(t, 0.0), ">"), v[1], v[2]),
    ),
    Case(
        "where broadcast",
        ((2, 3), (2, 1), (1, 3)),
        lambda t, v: t.where(t.compare(v[0], c(t, 0.0), ">"), v[1], v[2]),
    ),
    Case("reshape", ((2, 3),), lambda t, v: t.reshape(v[0], 3, 2)),
    Case("outer", ((2, 1), (1, 3)), lambda t, v: t.outer(v[0], v[1])),
    Case("rename", ((2, 3),), lambda t, v: t.rename(v[0], "z")),
    # the functions added in issue 16
    Case("log1p", ((2, 3),), lambda t, v: t.log1p(v[0]), positive=True),
    Case("softplus", ((2, 3),), lambda t, v: t.softplus(t.mul(v[0], c(t, 10.0)))),
    Case("sin", ((2, 3),), lambda t, v: t.sin(v[0])),
    Case("cos", ((2, 3),), lambda t, v: t.cos(v[0])),
    Case("erf", ((2, 3),), lambda t, v: t.erf(v[0])),
    Case("min", ((2, 3),), lambda t, v: t.min(v[0])),
    Case("min axis 0", ((2, 3),), lambda t, v: t.min(v[0], 0)),
    Case("min axis 1", ((2, 3),), lambda t, v: t.min(v[0], 1)),
    Case("minimum", ((2, 3), (2, 3)), lambda t, v: t.minimum(v[0], v[1])),
    Case("minimum broadcast", ((2, 3), (2, 1)), lambda t, v: t.minimum(v[0], v[1])),
    Case(
        "clip",
        ((2, 3), (1, 1)),
        lambda t, v: t.clip(v[0], t.sub(v[1], c(t, 0.5)), t.add(v[1], c(t, 0.5))),
    ),
    Case("clip constant bounds", ((3, 2),), lambda t, v: t.clip(v[0], c(t, -0.5), c(t, 0.5))),
    Case("index row", ((3, 2),), lambda t, v: t.index(v[0], (1,))),
    Case("index column vector", ((3, 1),), lambda t, v: t.index(v[0], ((1, None, None),))),
    Case("index entry", ((3, 2),), lambda t, v: t.index(v[0], (-1, 0))),
    Case(
        "index reversed slice",
        ((3, 4),),
        lambda t, v: t.index(v[0], ((None, None, -1), (1, 3, None))),
    ),
    Case("sort", ((4, 1),), lambda t, v: t.sort(v[0])),
    Case("sort row", ((1, 4),), lambda t, v: t.sort(v[0])),
    Case("sort axis 1", ((3, 4),), lambda t, v: t.sort(v[0], 1)),
    Case("cumsum", ((4, 1),), lambda t, v: t.cumsum(v[0])),
    Case("cumsum axis 1", ((2, 3),), lambda t, v: t.cumsum(v[0], 1)),
    Case("diag of a vector", ((3, 1),), lambda t, v: t.diag(v[0])),
    Case("diag of a matrix", ((3, 3),), lambda t, v: t.diag(v[0])),
    Case("diag of a wide matrix", ((2, 3),), lambda t, v: t.diag(v[0])),
    Case("solve", ((3, 3), (3, 2)), lambda t, v: t.solve(t.add(v[0], c3(t)), v[1])),
    Case("inv", ((3, 3),), lambda t, v: t.inv(t.add(v[0], c3(t)))),
    Case("dot", ((2, 3), (3, 1)), lambda t, v: t.dot(v[0], v[1])),
    Case("dot scalar", ((), (2, 2)), lambda t, v: t.dot(v[0], v[1])),
    Case(
        "two-layer sigmoid network",
        ((2, 1), (2, 2), (2, 1), (1, 2)),
        lambda t, v: t.sigmoid(t.matmul(v[3], t.sigmoid(t.add(t.matmul(v[1], v[0]), v[2])))),
    ),
]


def _loss(
    case: Case, values: Sequence[Array], weight: Array | np.random.Generator
) -> tuple[Array, list[Var], Var]:
    """``sum(f(values) * weight)``; a generator draws the weight in the output's shape."""
    tape = Tape()
    leaves = [tape.leaf(v) for v in values]
    out = case.fn(tape, leaves)
    if isinstance(weight, np.random.Generator):
        weight = weight.normal(size=out.shape)
    loss = tape.sum(tape.mul(out, tape.constant(weight)))
    return weight, leaves, loss


def _draw(case: Case, rng: np.random.Generator) -> list[Array]:
    if case.positive:
        return [rng.uniform(0.5, 2.0, size=s) for s in case.shapes]
    return [rng.normal(size=s) for s in case.shapes]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_gradient_matches_finite_differences(case: Case) -> None:
    for seed in range(SEEDS):
        rng = np.random.default_rng(seed)
        values = _draw(case, rng)
        weight, leaves, loss = _loss(case, values, rng)

        def f(vals: Sequence[Array], weight: Array = weight) -> float:
            return float(_loss(case, vals, weight)[2].value)

        for i, leaf in enumerate(leaves):
            grad = Tape.backward(loss, leaf)
            assert grad is not None and grad.shape == values[i].shape
            direction = rng.normal(size=values[i].shape)
            plus = [v.copy() for v in values]
            minus = [v.copy() for v in values]
            plus[i] = plus[i] + H * direction
            minus[i] = minus[i] - H * direction
            numeric = (f(plus) - f(minus)) / (2 * H)
            analytic = float(np.sum(grad * direction))
            assert relative_error(np.array(analytic), np.array(numeric)) < LIMIT, (
                f"{case.name}, input {i}, seed {seed}: {analytic} vs {numeric}"
            )
            if seed < FULL_SEEDS:
                full = np.zeros_like(values[i])
                for index in np.ndindex(*values[i].shape):
                    p = [v.copy() for v in values]
                    m = [v.copy() for v in values]
                    p[i][index] += H
                    m[i][index] -= H
                    full[index] = (f(p) - f(m)) / (2 * H)
                assert relative_error(grad, full) < LIMIT


def test_indices_carry_no_gradient() -> None:
    tape = Tape()
    x = tape.leaf(np.array([[1.0], [3.0], [2.0]]))
    index = tape.argmax(x)
    assert float(index.value) == 1.0 and not index.tracked
    loss = tape.sum(tape.mul(tape.argmin(x, 0), x))
    grad = Tape.backward(loss, x)
    assert grad is not None
    np.testing.assert_array_equal(grad, np.zeros((3, 1)))  # argmin is 0: x·0


def test_comparisons_carry_no_gradient() -> None:
    tape = Tape()
    x = tape.leaf(np.array([[1.0, -2.0]]))
    out = tape.sum(tape.mul(tape.compare(x, tape.constant(np.array(0.0)), ">"), x))
    grad = Tape.backward(out, x)
    assert grad is not None
    np.testing.assert_array_equal(grad, [[1.0, 0.0]])


def test_unbroadcast_sums_over_stretched_axes() -> None:
    g = np.ones((2, 3))
    np.testing.assert_array_equal(unbroadcast(g, (1, 3)), [[2.0, 2.0, 2.0]])
    np.testing.assert_array_equal(unbroadcast(g, (2, 1)), [[3.0], [3.0]])
    assert unbroadcast(g, ()).shape == ()
    assert float(unbroadcast(g, ())) == 6.0


def test_gradient_of_unrelated_variable_is_zero() -> None:
    tape = Tape()
    x = tape.leaf(np.ones((2, 1)))
    y = tape.leaf(np.ones((2, 1)))
    loss = tape.sum(x)
    grad = Tape.backward(loss, y)
    assert grad is not None
    np.testing.assert_array_equal(grad, np.zeros((2, 1)))
