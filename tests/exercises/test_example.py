"""The issue's 2-2-1 sigmoid network end to end, replay by seed, and verify_spec."""

from __future__ import annotations

import numpy as np
import pytest

from quizapp.exercises import (
    ExerciseError,
    check_answer,
    new_instance,
    parse_spec,
    verify_spec,
)
from quizapp.exercises.autodiff import Tape
from quizapp.exercises.instance import build_graph
from quizapp.exercises.spec import ExerciseSpec

from .conftest import FIXTURES, load

# Verbatim from the issue, including the flow mappings `{... answer: grad(L, W2)}` whose
# comma YAML would otherwise split.
ISSUE_EXAMPLE = """\
title: Backprop through a 2-2-1 sigmoid network
given:                        # drawn fresh each time, from a seed that is recorded
  x: normal(2, 1)
  y: uniform(1, 1)
  W1: normal(2, 2)
  b1: normal(2, 1)
  W2: normal(1, 2)
  b2: normal(1, 1)
compute:                      # the forward pass, in order
  z1: W1 @ x + b1
  a1: sigmoid(z1)
  z2: W2 @ a1 + b2
  yhat: sigmoid(z2)
  L: 0.5 * sum((yhat - y)**2)
show: [z1, a1, z2, yhat, L]   # values the learner is given
ask:
  - name: delta2
    prompt: "δ⁽²⁾ = ∂L/∂z⁽²⁾"
    answer: grad(L, z2)
    hint: "δ⁽²⁾ = (ŷ − y) · σ′(z⁽²⁾)"
    mistakes:
      - answer: yhat - y
        says: "You left out σ′(z⁽²⁾), the sigmoid's derivative."
  - {name: dW2, prompt: "∂L/∂W⁽²⁾", answer: grad(L, W2)}
  - {name: delta1, prompt: "δ⁽¹⁾", answer: grad(L, z1)}
  - {name: dW1, prompt: "∂L/∂W⁽¹⁾", answer: grad(L, W1)}
tolerance: {rtol: 1e-2, atol: 1e-3}
"""


@pytest.fixture(scope="module")
def spec() -> ExerciseSpec:
    return parse_spec(ISSUE_EXAMPLE, line=12, source="backprop.md")


def test_issue_example_parses(spec: ExerciseSpec) -> None:
    assert [a.name for a in spec.asks] == ["delta2", "dW2", "delta1", "dW1"]
    assert [a.answer.text for a in spec.asks] == [
        "grad(L, z2)",
        "grad(L, W2)",
        "grad(L, z1)",
        "grad(L, W1)",
    ]
    assert spec.asks[1].prompt == "∂L/∂W⁽²⁾"
    assert spec.show == ("z1", "a1", "z2", "yhat", "L")
    assert spec.tolerance.rtol == 0.01 and spec.tolerance.atol == 0.001
    assert spec.asks[0].line == 12 + 16
    assert spec.id == "backprop"


def test_references_match_the_textbook_formulas(spec: ExerciseSpec) -> None:
    for seed in range(20):
        inst = new_instance(spec, seed)
        g = inst.given
        a1, yhat = inst.shown["a1"], inst.shown["yhat"]
        delta2 = (yhat - g["y"]) * yhat * (1 - yhat)
        delta1 = (g["W2"].T @ delta2) * a1 * (1 - a1)
        np.testing.assert_allclose(inst.references["delta2"], delta2, rtol=1e-12)
        np.testing.assert_allclose(inst.references["dW2"], delta2 @ a1.T, rtol=1e-12)
        np.testing.assert_allclose(inst.references["delta1"], delta1, rtol=1e-12)
        np.testing.assert_allclose(inst.references["dW1"], delta1 @ g["x"].T, rtol=1e-12)


def test_issue_example_end_to_end(spec: ExerciseSpec) -> None:
    inst = new_instance(spec, seed=2026)
    ref = inst.references
    # numeric
    number = check_answer(inst, "delta2", f"{float(ref['delta2'].reshape(())):.4g}")
    assert number.verdict == "correct"
    # matrix, both spellings
    dw2 = ref["dW2"]
    assert check_answer(inst, "dW2", f"{dw2[0, 0]:.5f} {dw2[0, 1]:.5f}").correct
    assert check_answer(inst, "dW2", f"[[{dw2[0, 0]:.5f}, {dw2[0, 1]:.5f}]]").correct
    # expressions over shown names and earlier answers
    assert check_answer(inst, "dW2", "delta2 @ a1.T").correct
    assert check_answer(inst, "delta1", "W2.T @ delta2 * a1 * (1 - a1)").correct
    assert check_answer(inst, "dW1", "delta1 @ x.T").correct
    # the spec's own mistake, with its message
    wrong = check_answer(inst, "delta2", "yhat - y")
    assert wrong.to_dict()["verdict"] == "incorrect"
    assert wrong.to_dict()["diagnosis"] == "You left out σ′(z⁽²⁾), the sigmoid's derivative."
    # a transposed ∂L/∂W²
    transposed = check_answer(inst, "dW2", "a1 @ delta2.T")
    assert transposed.verdict == "shape_mismatch"
    assert transposed.message == "expected 1×2, got 2×1"
    assert transposed.variant == "transposed"


def test_seed_replays_the_instance(spec: ExerciseSpec) -> None:
    fresh = new_instance(spec)
    replay = new_instance(spec, fresh.seed)
    for name, value in fresh.given.items():
        np.testing.assert_array_equal(replay.given[name], value)
    for name, value in fresh.references.items():
        np.testing.assert_array_equal(replay.references[name], value)
    other = new_instance(spec, fresh.seed + 1)
    assert not np.array_equal(other.given["x"], fresh.given["x"])


def test_verify_spec_accepts_the_fixtures() -> None:
    for path in sorted(FIXTURES.glob("*.yaml")):
        verify_spec(load(path.stem), seeds=3)


ALL_FUNCTIONS = """\
given:
  A: normal(3, 2)
  B: uniform(3, 2, low=0.5, high=2)
  c: normal(1, 2)
  v: normal(3, 1)
  k: onehot(3, 2)
  n: randint(2, 2, low=1, high=5)
  M: "1 0; 0 1"
  lr: 0.1
compute:
  h: tanh(A) * sigmoid(B) + relu(A) - abs(c) + exp(A / 4) / sqrt(B) + log(B) * maximum(A, c)
  s: softmax(h) + log_softmax(h, axis=1) * k + where(A > 0, A, B ** 2)
  r: reshape(s, 2, 3) @ outer(v, c.T) @ transpose(M) * n / 10
  m: sum(r, axis=0) + mean(r, axis=1).T @ ones(2, 2) + max(h, axis=0) @ eye(2) + zeros(1, 2)
  L: sum(m * m) + max(s) + mean(h) - lr * sum(A.T @ A)
ask:
  - {name: dA, answer: grad(L, A)}
  - {name: dB, answer: grad(L, B)}
  - {name: dc, answer: grad(L, c)}
  - {name: dv, answer: grad(L, v)}
  - {name: dh, answer: grad(L, h)}
  - {name: ds, answer: grad(L, s)}
  - {name: step, answer: A - lr * grad(L, A)}
"""


def test_verify_spec_on_every_function() -> None:
    verify_spec(parse_spec(ALL_FUNCTIONS), seeds=3)


def test_verify_spec_rejects_a_wrong_gradient(
    spec: ExerciseSpec, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = Tape.sigmoid

    def wrong_sigmoid(self: Tape, a: object) -> object:
        var = real(self, a)  # type: ignore[arg-type]
        good = var.vjp
        assert good is not None
        var.vjp = lambda g, mode: tuple(
            None if x is None else 1.01 * x for x in (good(g, mode) or ())
        )
        return var

    monkeypatch.setattr(Tape, "sigmoid", wrong_sigmoid)
    with pytest.raises(ExerciseError) as info:
        verify_spec(spec)
    assert info.value.ask == "delta2"
    assert "disagrees with finite differences" in str(info.value)


def test_docs_example_is_valid() -> None:
    """The example in docs/exercises.md parses, verifies and diagnoses as documented."""
    import re
    from pathlib import Path

    docs = Path(__file__).resolve().parents[2] / "docs" / "exercises.md"
    match = re.search(r"```exercise\n(.*?)```", docs.read_text(encoding="utf-8"), re.S)
    assert match is not None
    spec = parse_spec(match.group(1))
    verify_spec(spec)
    inst = new_instance(spec, seed=4)
    assert check_answer(inst, "dz", "p - y").correct
    assert check_answer(inst, "dz", "y - p").diagnosis == "Sign: the gradient is p − y, not y − p."
    assert check_answer(inst, "lr_step", "z - 0.1 * dz").correct


LARGE = """\
given:
  W: normal(100, 100, std=0.1)
  x: normal(100, 1)
compute:
  L: sum(tanh(W @ x))
ask:
  - {name: dW, answer: "grad(L, W)"}
"""


def test_verify_samples_entries_of_a_large_gradient(monkeypatch: pytest.MonkeyPatch) -> None:
    from quizapp.exercises import verification

    calls: list[int] = []
    real = build_graph

    def counting(*args: object, **kwargs: object) -> object:
        calls.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(verification, "build_graph", counting)
    verify_spec(parse_spec(LARGE), seeds=2)
    # 64 sampled entries and one direction, two evaluations each, per seed
    assert len(calls) == 2 * (2 * verification.MAX_ENTRIES + 2)


def test_verify_refuses_an_exercise_too_large_to_check() -> None:
    steps = "\n".join(f"  c{i}: tanh(c{i - 1} @ W)" for i in range(1, 40))
    asks = "\n".join(f"  - {{name: d{i}, answer: 'grad(L, c{i})'}}" for i in range(1, 40))
    text = (
        "given:\n  W: normal(64, 64, std=0.1)\n  c0: normal(1, 64)\ncompute:\n"
        + steps
        + "\n  L: sum(c39)\nask:\n"
        + asks
        + "\n"
    )
    spec = parse_spec(text)
    with pytest.raises(ExerciseError, match="too large to verify"):
        verify_spec(spec)


def test_instance_to_dict(spec: ExerciseSpec) -> None:
    import json

    inst = new_instance(spec, seed=1)
    data = json.loads(json.dumps(inst.to_dict()))
    assert data["seed"] == 1 and set(data["given"]) == {"x", "y", "W1", "b1", "W2", "b2"}
    assert list(data["shown"]) == ["z1", "a1", "z2", "yhat", "L"]
    assert isinstance(data["shown"]["L"], float)
    assert data["asks"][1] == {
        "name": "dW2",
        "prompt": "∂L/∂W⁽²⁾",
        "hint": None,
        "hints": [],
        "step": None,
        "expected_shape": [1, 2],
    }
    revealed = inst.to_dict(reveal=True)["asks"]
    assert isinstance(revealed, list)
    assert np.allclose(revealed[1]["reference"], inst.references["dW2"])


def test_a_typed_scalar_answer_can_be_used_as_a_matrix_later(spec: ExerciseSpec) -> None:
    """A correct "0.1167" for a 1×1 ask feeds later expressions as the 1×1 reference."""
    from quizapp.exercises import ExerciseSession

    instance = new_instance(spec, seed=1)
    session = ExerciseSession(instance)
    delta2 = float(instance.references["delta2"].item())
    assert session.answer("delta2", f"{delta2:.6g}").verdict == "correct"
    verdict = session.answer("delta1", "(W2.T @ delta2) * a1 * (1 - a1)")
    assert verdict.verdict == "correct"
