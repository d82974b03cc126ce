"""The grown expression language (issue 16): indexing, the new functions, NumPy spellings.

Every function's gradient is checked against finite differences in ``test_autodiff.py``;
here: what each one computes, the shapes it keeps, how NumPy users may write it, and the
one-line errors for what is refused.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from quizapp.exercises import ExerciseError, parse_spec, verify_spec
from quizapp.exercises.answers import parse_answer
from quizapp.exercises.autodiff import Tape
from quizapp.exercises.evaluator import evaluate
from quizapp.exercises.language import ANSWER, compile_expression
from quizapp.exercises.limits import ELEMENT_COSTS, NODE_COST

A = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
V = np.array([[3.0], [1.0], [2.0]])
R = np.array([[5.0, 7.0, 6.0]])
S = np.array([[2.0, 1.0], [1.0, 3.0]])
B = np.array([[1.0], [2.0]])
SCOPE = {"A": A, "v": V, "r": R, "S": S, "b": B}


def value(text: str) -> np.ndarray:
    return parse_answer(text, SCOPE)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A[0]", [[1, 2, 3]]),
        ("A[:, 1]", [[2], [5]]),
        ("A[1, 2]", [[6]]),
        ("A[-1, ::-1]", [[6, 5, 4]]),
        ("A[0:1, 1:]", [[2, 3]]),
        ("v[0]", [[3]]),
        ("v[1:]", [[1], [2]]),
        ("r[1:]", [[7, 6]]),
        ("r[-1]", [[6]]),
    ],
)
def test_indexing_keeps_matrices(text: str, expected: list[list[float]]) -> None:
    np.testing.assert_array_equal(value(text), np.array(expected, dtype=float))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("argmax(v)", 0.0),
        ("argmin(v)", 1.0),
        ("argmax(A)", 5.0),
        ("argmax(A, axis=0)", [[1, 1, 1]]),
        ("argmin(A, axis=1)", [[0], [0]]),
        ("sort(v)", [[1], [2], [3]]),
        ("sort(r)", [[5, 6, 7]]),
        ("sort(-A, axis=1)", [[-3, -2, -1], [-6, -5, -4]]),
        ("cumsum(v)", [[3], [4], [6]]),
        ("cumsum(A, axis=1)", [[1, 3, 6], [4, 9, 15]]),
        ("diag(v)", [[3, 0, 0], [0, 1, 0], [0, 0, 2]]),
        ("diag(S)", [[2], [3]]),
        ("clip(v, 1.5, 2.5)", [[2.5], [1.5], [2]]),
        ("minimum(v, 2)", [[2], [1], [2]]),
        ("min(A, axis=0)", [[1, 2, 3]]),
        ("solve(S, b)", [[0.2], [0.6]]),
        ("inv(S) @ b", [[0.2], [0.6]]),
        ("where(v == 1, 0, v)", [[3], [0], [2]]),
        ("v != 1", [[1], [0], [1]]),
        ("sum(A, axis=-1)", [[6], [15]]),
        ("mean(A, axis=0, keepdims=True)", [[2.5, 3.5, 4.5]]),
        ("var(A, axis=1)", [[2 / 3], [2 / 3]]),
        ("std(r)", math.sqrt(2 / 3)),
        ("norm(v)", math.sqrt(14)),
    ],
)
def test_new_functions(text: str, expected: float | list[list[float]]) -> None:
    np.testing.assert_allclose(value(text), np.array(expected, dtype=float), rtol=1e-12)


def test_elementwise_functions_match_numpy_and_math() -> None:
    x = np.array([[-2.0], [-0.3], [0.0], [0.7], [30.0]])
    scope = {"x": x}
    np.testing.assert_allclose(parse_answer("sin(x)", scope), np.sin(x))
    np.testing.assert_allclose(parse_answer("cos(x)", scope), np.cos(x))
    np.testing.assert_allclose(parse_answer("log1p(abs(x))", scope), np.log1p(np.abs(x)))
    erf = np.array([[math.erf(float(v))] for v in x.ravel()])
    np.testing.assert_allclose(parse_answer("erf(x)", scope), erf, rtol=1e-15)
    # softplus neither overflows for large inputs nor loses small ones
    softplus = parse_answer("softplus(x)", scope)
    assert softplus[4, 0] == pytest.approx(30.0 + math.exp(-30.0), rel=1e-15)
    assert float(parse_answer("softplus(1000)", {})) == 1000.0
    np.testing.assert_allclose(softplus[:4], np.log1p(np.exp(x[:4])), rtol=1e-12)
    assert float(parse_answer("softplus(-800)", {})) == 0.0


@pytest.mark.parametrize(
    ("numpy_text", "plain_text"),
    [
        ("np.outer(v, r)", "outer(v, r)"),
        ("np.sum(A, axis=0)", "sum(A, axis=0)"),
        ("numpy.exp(v)", "exp(v)"),
        ("np.linalg.solve(S, b)", "solve(S, b)"),
        ("np.linalg.inv(S)", "inv(S)"),
        ("np.linalg.norm(v)", "norm(v)"),
        ("np.dot(A, v)", "A @ v"),
        ("np.matmul(S, b)", "S @ b"),
        ("A.dot(v)", "A @ v"),
        ("v.T.dot(v)", "v.T @ v"),
        ("np.dot(2, v)", "2 * v"),
        ("A.sum(axis=1)", "sum(A, axis=1)"),
        ("A.mean()", "mean(A)"),
        ("A.max(axis=-1)", "max(A, axis=1)"),
        ("A.transpose()", "A.T"),
        ("A.reshape(3, 2)", "reshape(A, 3, 2)"),
        ("v.clip(1.5, 2.5)", "clip(v, 1.5, 2.5)"),
        ("np.maximum(v, 2)", "maximum(v, 2)"),
        ("np.amax(A)", "max(A)"),
        ("2 * np.pi", "6.283185307179586"),
    ],
)
def test_numpy_spellings_are_accepted(numpy_text: str, plain_text: str) -> None:
    np.testing.assert_allclose(value(numpy_text), value(plain_text), rtol=1e-15)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("v'", "use `.T` for a transpose"),
        ("(A @ v)' * 2", "use `.T` for a transpose"),
        ("np.foo(v)", "`np.foo` is not available"),
        ("np.linalg.exp(v)", "np.linalg functions: inv, norm, solve"),
        ("A.foo()", "the method `.foo(...)` is not available"),
        ("A.__class__", "attribute access `.__class__` is not allowed"),
        ("A.sum", "`.sum` is a method"),
        ("np.__dict__", "`np.__dict__` is not available"),
        ("A[0.5]", "indices must be whole-number literals"),
        ("A[v]", "indices must be whole-number literals"),
        ("A[1, 2, 3]", "at most two positions"),
        ("A[5]", "row index 5 is out of range for a size of 2"),
        ("A[:, -4]", "column index -4 is out of range for a size of 3"),
        ("A[2:1]", "the index selects nothing"),
        ("A[::0]", "a slice step cannot be 0"),
        ("sum(A)[0]", "cannot index a scalar"),
        ("sum", "`sum` is a function: call it as sum(...)"),
        ("solve(A, b)", "`solve` needs a square matrix, got 2×3"),
        ("solve(S, v)", "`solve` needs b with 2 rows"),
        ("inv([[1, 2], [2, 4]])", "singular or nearly so"),
        ("clip(v, 2, 1)", "`clip` needs low ≤ high"),
        ("sum(A, axis=2)", "axis must be 0 or 1"),
        ("diag(sum(A))", "`diag` needs a vector or a matrix"),
    ],
)
def test_refusals_are_one_clear_line(text: str, message: str) -> None:
    with pytest.raises(ExerciseError) as info:
        value(text)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_a_string_is_still_a_string_error() -> None:
    with pytest.raises(ExerciseError, match="strings are not allowed"):
        value("'abc'")


def test_function_names_may_name_values() -> None:
    spec = parse_spec(
        "given:\n  x: normal(3, 1)\ncompute:\n  var: mean(x**2)\n  norm: sqrt(var)\n"
        "ask:\n  - {name: q, answer: norm * var(x)}\n"
    )
    assert spec.compute[0].name == "var"


NEW_FUNCTIONS = """\
given:
  A: normal(3, 3)
  x: normal(3, 1)
  r: normal(1, 4)
  M: normal(3, 4)
compute:
  K: A @ A.T + 3 * eye(3)
  s: solve(K, x) + inv(K) @ x + np.linalg.solve(K, x)
  e: erf(s) + sin(x) * cos(s) + log1p(abs(x)) + softplus(s)
  c: clip(e, -1, 1) + minimum(e, x) + diag(diag(K))[:, 1]
  m: sort(M, axis=1)[0:2, ::-1] + cumsum(M, axis=0)[1:]
  k: var(M, axis=1) + std(M, axis=1) + norm(M, axis=1) + M.mean(axis=1)
  L: sum(c * k) + sum(m ** 2) + np.sum(sort(r) * cumsum(r)) + M[1, 2] * x[0] + sum(min(M, axis=0))
ask:
  - {name: dA, answer: "grad(L, A)"}
  - {name: dx, answer: "grad(L, x)"}
  - {name: dr, answer: "grad(L, r)"}
  - {name: dM, answer: "grad(L, M)"}
"""


def test_verify_spec_on_every_new_function() -> None:
    verify_spec(parse_spec(NEW_FUNCTIONS), seeds=5)


@pytest.mark.parametrize(
    ("function", "weight"),
    [("erf", 512), ("softplus", 160), ("sin", 96), ("cos", 96), ("clip", 24), ("log1p", 16)],
)
def test_new_functions_are_charged_by_their_weight(function: str, weight: int) -> None:
    assert ELEMENT_COSTS[function] == weight
    tape = Tape()
    x = tape.leaf(np.zeros((256, 256)))
    before = tape.flops
    args = f"{function}(x)" if function != "clip" else "clip(x, 0, 1)"
    evaluate(compile_expression(args, ANSWER).root, {"x": x}, tape)
    spent = tape.flops - before
    assert spent >= weight * 65_536
    assert spent <= weight * 65_536 + 4 * (65_536 + NODE_COST)


def test_sort_solve_and_inv_are_charged_for_their_complexity() -> None:
    n = 128
    tape = Tape()
    big = tape.leaf(np.random.default_rng(0).normal(size=(n, n)) + 30 * np.eye(n))
    before = tape.flops
    tape.sort(big)
    assert tape.flops - before >= 7 * 12 * n * n  # log2(128) comparison levels
    before = tape.flops
    tape.inv(big)
    assert tape.flops - before >= 7 * n**3  # the SVD for the condition, then the inverse
    before = tape.flops
    tape.solve(big, big)
    assert tape.flops - before >= 8 * n**3
    with pytest.raises(ExerciseError, match="budget"):
        Tape().inv(Tape().leaf(np.eye(256)))  # an SVD and an inverse of 256×256: > 50 ms
