"""Every diagnosis variant is recognised, and the right answer is never diagnosed."""

from __future__ import annotations

import numpy as np

from quizapp.exercises.checking import check_answer
from quizapp.exercises.diagnosis import (
    BEFORE_ACTIVATION,
    DOUBLE,
    ELEMENTWISE_FOR_MATMUL,
    HALF,
    MATMUL_FOR_ELEMENTWISE,
    MISTAKE,
    SIGN,
    TRANSPOSED,
)
from quizapp.exercises.instance import ExerciseInstance


def _matrix(a: np.ndarray) -> str:
    return "; ".join(" ".join(f"{v:.8f}" for v in row) for row in np.atleast_2d(a))


def test_spec_mistake_comes_first_with_its_message(sigmoid: ExerciseInstance) -> None:
    verdict = check_answer(sigmoid, "delta2", "yhat - y")
    assert verdict.verdict == "incorrect"
    assert verdict.variant == MISTAKE
    assert verdict.diagnosis == "You left out σ′(z⁽²⁾), the sigmoid's derivative."


def test_transposed_non_square_is_a_shape_mismatch(sigmoid: ExerciseInstance) -> None:
    verdict = check_answer(sigmoid, "dW2", "(delta2 @ a1.T).T")
    assert verdict.verdict == "shape_mismatch"
    assert verdict.message == "expected 1×2, got 2×1"
    assert verdict.variant == TRANSPOSED


def test_transposed_square(batch: ExerciseInstance) -> None:
    verdict = check_answer(batch, "dW1", _matrix(batch.references["dW1"].T))
    assert (verdict.verdict, verdict.variant) == ("incorrect", TRANSPOSED)


def test_sign_and_factors(sigmoid: ExerciseInstance) -> None:
    ref = sigmoid.references["dW1"]
    for factor, variant in ((-1.0, SIGN), (2.0, DOUBLE), (0.5, HALF)):
        verdict = check_answer(sigmoid, "dW1", _matrix(factor * ref))
        assert (verdict.verdict, verdict.variant) == ("incorrect", variant)
    # this fixture names no likely cause: the diagnosis says only what it sees
    assert check_answer(sigmoid, "dW1", _matrix(2 * ref)).diagnosis == (
        "Your answer is off by a factor of 2 (twice the right value)."
    )


def test_before_the_last_activation_derivative(sigmoid: ExerciseInstance) -> None:
    # δ¹ without σ′(z¹): the gradient at a1 (the activation's output), not at z1
    verdict = check_answer(sigmoid, "delta1", "W2.T @ delta2")
    assert verdict.variant == BEFORE_ACTIVATION
    assert "a1 = sigmoid(z1)" in (verdict.diagnosis or "")
    # the same slip carried into ∂L/∂W¹
    verdict = check_answer(sigmoid, "dW1", "(W2.T @ delta2) @ x.T")
    assert verdict.variant == BEFORE_ACTIVATION


def test_elementwise_where_matrix_product_belongs_backward(batch: ExerciseInstance) -> None:
    verdict = check_answer(batch, "dW1", "D1 * X.T")
    assert (verdict.verdict, verdict.variant) == ("incorrect", ELEMENTWISE_FOR_MATMUL)
    assert "Z1 = W1 @ X" in (verdict.diagnosis or "")


def test_matrix_product_where_elementwise_belongs_backward(batch: ExerciseInstance) -> None:
    verdict = check_answer(batch, "D1", "(W2.T @ D2) @ (A1 * (1 - A1))")
    assert (verdict.verdict, verdict.variant) == ("incorrect", MATMUL_FOR_ELEMENTWISE)


def test_forward_variants(forward: ExerciseInstance) -> None:
    verdict = check_answer(forward, "z", "W * x")
    assert verdict.verdict == "shape_mismatch"
    assert verdict.message == "expected 2×1, got 2×2"
    assert verdict.variant == ELEMENTWISE_FOR_MATMUL
    verdict = check_answer(forward, "H", "P @ Q")
    assert (verdict.verdict, verdict.variant) == ("incorrect", MATMUL_FOR_ELEMENTWISE)
    verdict = check_answer(forward, "a", "z")
    assert (verdict.verdict, verdict.variant) == ("incorrect", BEFORE_ACTIVATION)


def test_unrelated_wrong_answer_has_no_diagnosis(sigmoid: ExerciseInstance) -> None:
    verdict = check_answer(sigmoid, "dW2", "[[123, 456]]")
    assert verdict.verdict == "incorrect"
    assert verdict.diagnosis is None and verdict.variant is None


def test_invalid_answers_carry_the_reason(sigmoid: ExerciseInstance) -> None:
    verdict = check_answer(sigmoid, "dW2", "delta2 @@ a1")
    assert verdict.verdict == "invalid"
    assert verdict.diagnosis == verdict.message
    assert verdict.to_dict()["verdict"] == "invalid"


def test_verdict_to_dict(sigmoid: ExerciseInstance) -> None:
    data = check_answer(sigmoid, "dW2", "(delta2 @ a1.T).T").to_dict()
    assert data["verdict"] == "shape_mismatch"
    assert data["expected_shape"] == [1, 2]
    assert isinstance(data["value"], list)
    assert data["diagnosis"] == "Your answer is the transpose of the right one."
