"""Answers in all three forms: a number, a matrix (two spellings), an expression."""

from __future__ import annotations

import numpy as np
import pytest

from quizapp.exercises.answers import parse_answer, parse_matlab
from quizapp.exercises.checking import check_answer
from quizapp.exercises.errors import ExerciseError
from quizapp.exercises.instance import ExerciseInstance


def _fmt(a: np.ndarray) -> list[str]:
    return [" ".join(f"{v:.6f}" for v in row) for row in a]


def test_number() -> None:
    assert parse_answer("0.25", {}).shape == ()
    assert float(parse_answer("-1.5e-3", {})) == -1.5e-3
    assert float(parse_answer("\u22122", {})) == -2.0  # a pasted Unicode minus


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[[1, 2], [3, 4]]", [[1, 2], [3, 4]]),
        ("1 2; 3 4", [[1, 2], [3, 4]]),
        ("[1 2; 3 4]", [[1, 2], [3, 4]]),
        ("1, 2; 3, 4", [[1, 2], [3, 4]]),
        ("1 2\n3 4", [[1, 2], [3, 4]]),
        ("1 2 3", [[1, 2, 3]]),
        ("1; 2; 3", [[1], [2], [3]]),
        ("[1, 2, 3]", [[1], [2], [3]]),  # a flat list is a column vector
        ("[[1, 2, 3]]", [[1, 2, 3]]),
        ("-1e-2 .5; +3 4.", [[-0.01, 0.5], [3, 4]]),
    ],
)
def test_matrix_forms(text: str, expected: list[list[float]]) -> None:
    np.testing.assert_array_equal(parse_answer(text, {}), np.array(expected, dtype=float))


def test_matlab_ignores_non_matrices() -> None:
    assert parse_matlab("0.5") is None
    assert parse_matlab("a @ b") is None
    assert parse_matlab("[1, 2]") is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1 2; 3", "different lengths"),
        ("[[1, 2], [3]]", "different lengths"),
        ("[]", "empty"),
        ("[[1, x]]", "only contain numbers"),
    ],
)
def test_malformed_matrices(text: str, message: str) -> None:
    with pytest.raises(ExerciseError, match=message):
        parse_answer(text, {"x": np.ones((1, 1))})


def test_expression_over_shown_given_and_earlier(sigmoid: ExerciseInstance) -> None:
    delta2 = sigmoid.references["delta2"]
    verdict = check_answer(sigmoid, "dW2", "delta2 @ a1.T", {"delta2": delta2})
    assert verdict.correct
    verdict = check_answer(sigmoid, "delta1", "(W2.T @ delta2) * a1 * (1 - a1)")
    assert verdict.correct


def test_expression_cannot_use_later_asks_or_hidden_names(sigmoid: ExerciseInstance) -> None:
    verdict = check_answer(sigmoid, "delta2", "dW2")
    assert verdict.verdict == "invalid"
    assert "unknown name `dW2`" in verdict.message
    verdict = check_answer(sigmoid, "delta2", "grad(L, z2)")
    assert verdict.verdict == "invalid"
    assert "only allowed in an ask's answer" in verdict.message


def test_earlier_answers_are_the_learners_own(sigmoid: ExerciseInstance) -> None:
    wrong = sigmoid.references["delta2"] * 3
    verdict = check_answer(sigmoid, "dW2", "delta2 @ a1.T", {"delta2": wrong})
    assert verdict.verdict == "incorrect"


def test_numeric_and_matrix_answers_checked(sigmoid: ExerciseInstance) -> None:
    ref = sigmoid.references["dW1"]
    matlab = "; ".join(_fmt(ref))
    listed = "[" + ", ".join("[" + ", ".join(f"{v:.6f}" for v in row) + "]" for row in ref) + "]"
    assert check_answer(sigmoid, "dW1", matlab).correct
    assert check_answer(sigmoid, "dW1", listed).correct
    delta2 = float(sigmoid.references["delta2"].reshape(()))
    assert check_answer(sigmoid, "delta2", f"{delta2:.5g}").correct
    assert check_answer(sigmoid, "delta2", f"[[{delta2:.5g}]]").correct


def test_default_tolerance_refuses_zero_for_small_values() -> None:
    from quizapp.exercises.instance import new_instance
    from quizapp.exercises.parsing import parse_spec

    spec = parse_spec("given:\n  x: 0.002\nask: [{name: q, answer: x}]\n")
    assert (spec.tolerance.rtol, spec.tolerance.atol) == (1e-2, 1e-4)
    inst = new_instance(spec, 0)
    assert check_answer(inst, "q", "0").verdict == "incorrect"
    assert check_answer(inst, "q", "0.00201").correct
