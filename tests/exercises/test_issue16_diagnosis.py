"""Diagnoses added for issue 16: each classic mistake is named, causes of a factor of 2 come
from the spec, a flat list typed for a row is named as such, and a wrong shape says what
would give the right one.

Each test fails on the engine before issue 16: the mistakes fell through to no diagnosis
(or a generic one), and shape mismatches ended in a bare "expected 2×1, got 2×2".
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from quizapp.cards.parser import parse_file
from quizapp.exercises import check_answer, new_instance, parse_spec
from quizapp.exercises.checking import SHAPE_ADVICE
from quizapp.exercises.diagnosis import (
    DERIVATIVE_AT_INPUT,
    DOUBLE,
    FLAT_LIST,
    HALF,
    MISTAKE,
    SOFTMAX_AXIS,
    SOFTMAX_DIAGONAL,
)
from quizapp.exercises.instance import ExerciseInstance
from quizapp.exercises.spec import ExerciseSpec

CONTENT = Path(__file__).resolve().parents[2] / "content"


def _matrix(a: np.ndarray) -> str:
    return "; ".join(" ".join(f"{v:.10f}" for v in row) for row in np.atleast_2d(a))


def card_spec(path: str) -> ExerciseSpec:
    (card,) = parse_file(CONTENT / path, CONTENT).cards
    block = card.exercises[0]
    return parse_spec(block.yaml, line=block.line, source=path)


def card_instance(path: str, seed: int = 3) -> ExerciseInstance:
    return new_instance(card_spec(path), seed)


# ---- built-in variants ------------------------------------------------------------------

SIGMOID_TANH = """\
given:
  x: normal(3, 1)
  W: normal(3, 3)
compute:
  z: W @ x
  a: sigmoid(z)
  h: tanh(z)
  L: sum(a * a) + sum(h)
show: [z, a, h]
ask:
  - {name: dz, answer: "grad(L, z)"}
"""


def test_sigmoid_derivative_written_from_the_pre_activation() -> None:
    inst = new_instance(parse_spec(SIGMOID_TANH), seed=1)
    verdict = check_answer(inst, "dz", "2 * a * z * (1 - z) + (1 - h**2)")
    assert verdict.variant == DERIVATIVE_AT_INPUT
    assert "z(1 − z)" in (verdict.diagnosis or "")


def test_tanh_derivative_written_from_the_pre_activation() -> None:
    inst = new_instance(parse_spec(SIGMOID_TANH), seed=1)
    verdict = check_answer(inst, "dz", "2 * a * a * (1 - a) + (1 - z**2)")
    assert verdict.variant == DERIVATIVE_AT_INPUT
    assert "1 − z²" in (verdict.diagnosis or "")


SOFTMAX_ROWS = """\
given:
  S: normal(3, 3)
  G: normal(3, 3)
compute:
  A: softmax(S, axis=1)
  L: sum(A * G)
show: [A]
ask:
  - {name: dS, answer: "grad(L, S)"}
"""


def test_softmax_jacobian_diagonal_only_and_wrong_axis() -> None:
    inst = new_instance(parse_spec(SOFTMAX_ROWS), seed=2)
    diagonal = check_answer(inst, "dS", "A * (1 - A) * G")
    assert diagonal.variant == SOFTMAX_DIAGONAL
    assert "diagonal of the softmax Jacobian" in (diagonal.diagnosis or "")
    axis = check_answer(inst, "dS", "A * (G - sum(A * G, axis=0))")
    assert axis.variant == SOFTMAX_AXIS
    assert check_answer(inst, "dS", "A * (G - sum(A * G, axis=1))").correct


# ---- the deck's named mistakes ----------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "ask", "answer", "words"),
    [
        ("probability/kl-divergence.md", "db", "p - q", "minus sign"),
        ("architectures/attention.md", "dS", "A * (1 - A) * (G @ V.T)", "diagonal"),
        (
            "architectures/attention.md",
            "dS",
            "A * (G @ V.T - sum(G @ V.T * A, axis=0))",
            "wrong axis",
        ),
        (
            "architectures/attention.md",
            "dK",
            "(A * (G @ V.T - sum(G @ V.T * A, axis=1))).T @ Q",
            "1/√d_k",
        ),
        (
            "architectures/rnn-bptt.md",
            "delta2",
            "(Wy.T @ (yhat - y)) * (1 - a2**2)",
            "not 1 − a₂²",
        ),
        ("architectures/rnn-bptt.md", "dWx", "delta2 @ x2.T", "only the last step"),
        (
            "deep-learning/relu-mlp-dropout.md",
            "delta1",
            "(W2.T @ (yhat - y)) * mask * q * (z1 > 0)",
            "you multiplied",
        ),
        ("normalisation/batch-norm.md", "sigma2", "sum(xc**2, axis=1) / 3", "N − 1"),
        ("normalisation/batch-norm.md", "dgamma", "sum(G * X, axis=1)", "not the raw x"),
        (
            "normalisation/layer-norm.md",
            "dX",
            "(gamma * G - mean(gamma * G, axis=0)) / sqrt(var + eps)",
            "only the path through μ",
        ),
        ("optimisation/adam.md", "v1", "beta2 * v + (1 - beta2) * g", "SQUARED"),
        (
            "optimisation/adam.md",
            "mhat",
            "(beta1 * m + (1 - beta1) * g) / (1 - beta1**(t - 1))",
            "not t − 1",
        ),
        (
            "optimisation/gradient-clipping.md",
            "h1c",
            "h1 * c / sqrt(sum(h1**2) + sum(h2**2))",
            "not clipping",
        ),
        ("optimisation/gradient-clipping.md", "g1c", "g1", "must be scaled"),
        ("probability/huber-loss.md", "dyhat", "r / 4", "MSE gradient"),
        ("probability/huber-loss.md", "dyhat", "delta * r / abs(r) / 4", "MAE gradient"),
    ],
)
def test_classic_mistakes_are_named(path: str, ask: str, answer: str, words: str) -> None:
    inst = card_instance(path)
    verdict = check_answer(inst, ask, _value_text(inst, ask, answer))
    assert verdict.variant == MISTAKE, (verdict.verdict, verdict.diagnosis)
    assert words in (verdict.diagnosis or "")


def _value_text(inst: ExerciseInstance, ask: str, answer: str) -> str:
    """The value of ``answer`` (which may use names the learner cannot type, such as
    compute steps that are not shown) as a matrix the learner could type."""
    from quizapp.exercises.instance import evaluate_ask
    from quizapp.exercises.language import ASK, compile_expression

    spec_ask = inst.ask(ask)
    expression = compile_expression(answer, ASK)
    earlier = {a.name: inst.references[a.name] for a in inst.asks[: inst.asks.index(spec_ask)]}
    value = evaluate_ask(spec_ask, inst.graph, earlier, expression_root=expression.root)
    return _matrix(value)


# ---- factor-of-2 causes come from the spec ------------------------------------------------


def test_a_spec_names_the_cause_of_a_factor_of_two() -> None:
    inst = card_instance("probability/softmax-stability.md")
    ref = inst.references["dsmax"]
    twice = check_answer(inst, "dsmax", _matrix(2 * ref))
    assert twice.variant in (DOUBLE, MISTAKE)
    assert "T = 0.5" in (twice.diagnosis or "") or "1/T" in (twice.diagnosis or "")
    half = check_answer(inst, "dsmax", _matrix(0.5 * ref))
    assert half.variant == HALF
    assert half.diagnosis == (
        "Your answer is half the right value: with T = 0.5, an extra factor T halves it; "
        "the T in front and the 1/T inside cancel."
    )
    assert "½(ŷ" not in (half.diagnosis or "")


def test_without_a_named_cause_it_is_only_a_factor_of_two() -> None:
    inst = new_instance(parse_spec(SOFTMAX_ROWS), seed=2)
    verdict = check_answer(inst, "dS", _matrix(0.5 * inst.references["dS"]))
    assert verdict.diagnosis == "Your answer is off by a factor of 2 (half the right value)."


# ---- shapes -------------------------------------------------------------------------------


def test_a_flat_list_for_a_row_names_the_syntax(sigmoid: ExerciseInstance) -> None:
    ref = sigmoid.references["dW2"]
    text = f"[{ref[0, 0]:.6f}, {ref[0, 1]:.6f}]"
    verdict = check_answer(sigmoid, "dW2", text)
    assert verdict.verdict == "shape_mismatch" and verdict.variant == FLAT_LIST
    assert verdict.diagnosis == (
        f"A bracketed flat list is a column; write `{ref[0, 0]:.6f} {ref[0, 1]:.6f}` for a row."
    )
    assert "transpose" not in (verdict.diagnosis or "")
    assert check_answer(sigmoid, "dW2", f"{ref[0, 0]:.6f} {ref[0, 1]:.6f}").correct


BATCH = """\
given:
  X: normal(3, 4)
  W: normal(2, 3)
  b: normal(2, 1)
  G: normal(2, 4)
compute:
  Z: W @ X + b
  L: sum(Z * G)
ask:
  - {name: dW, answer: "grad(L, W)"}
  - {name: db, answer: "grad(L, b)"}
  - {name: dX, answer: "grad(L, X)"}
"""


@pytest.mark.parametrize(
    ("ask", "answer", "advice"),
    [
        ("db", "G", "Summing over the columns, `sum(…, axis=1)`, gives 2×1"),
        ("dW", "G @ X", "transposing the right factor of the `@` would give 2×3"),
        ("dX", "W @ G", "transposing the left factor of the `@` would give 3×4"),
    ],
)
def test_mini_batch_shape_mistakes_say_what_would_fit(ask: str, answer: str, advice: str) -> None:
    inst = new_instance(parse_spec(BATCH), seed=4)
    verdict = check_answer(inst, ask, answer)
    assert verdict.verdict in ("shape_mismatch", "invalid")
    assert advice.lower() in (verdict.diagnosis or "").lower(), verdict.diagnosis


def test_a_shape_mismatch_names_the_operation(sigmoid: ExerciseInstance) -> None:
    verdict = check_answer(sigmoid, "dW1", "delta1 * x")
    assert verdict.message == "expected 2×2, got 2×1"
    assert verdict.variant == SHAPE_ADVICE
    assert verdict.diagnosis == "An outer product, `a @ b.T`, in place of the `*` would give 2×2."


def test_an_invalid_product_says_which_transpose_fits(sigmoid: ExerciseInstance) -> None:
    verdict = check_answer(sigmoid, "dW1", "delta1 @ x")
    assert verdict.verdict == "invalid"
    assert verdict.message == "shapes 2×1 and 2×1 don't fit for `@`"
    assert verdict.diagnosis == (
        "shapes 2×1 and 2×1 don't fit for `@`. "
        "Transposing the right factor of the `@` would give 2×2."
    )


# ---- two-level hints ----------------------------------------------------------------------


def test_a_hint_has_two_levels_at_most() -> None:
    from quizapp.exercises import ExerciseError

    spec = parse_spec(
        'given: {x: 2}\nask:\n  - name: q\n    answer: x * 2\n    hint: ["Doubling.", "q = 2x."]\n'
    )
    (ask,) = spec.asks
    assert ask.hints == ("Doubling.", "q = 2x.") and ask.hint == "Doubling."
    data = new_instance(spec, 0).to_dict()
    assert data["asks"][0]["hints"] == ["Doubling.", "q = 2x."]  # type: ignore[index]
    one = parse_spec("given: {x: 2}\nask:\n  - {name: q, answer: x, hint: Just x.}\n")
    assert one.asks[0].hints == ("Just x.",)
    with pytest.raises(ExerciseError, match="2 levels at most"):
        parse_spec("given: {x: 2}\nask:\n  - {name: q, answer: x, hint: [a, b, c]}\n")
