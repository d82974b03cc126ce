"""The gameability audit (issue 16): the exercises the issue found gameable, as they were,
are refused with the seed, the ask and the variant.

That every exercise of the bundled deck passes it is tested with the deck
(``tests/content/test_deck_audit.py``), where one check of the deck serves every test.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from quizapp.exercises import ExerciseError, parse_spec
from quizapp.exercises.gameability import (
    COINCIDES,
    DEGENERATE,
    DISPLAY,
    FROM_GIVENS,
    NOT_A_MISTAKE,
    Finding,
    audit_spec,
    check_gameability,
)
from quizapp.exercises.instance import Graph, build_graph


def _only(findings: list[Finding], kind: str, ask: str) -> list[Finding]:
    return [f for f in findings if f.kind == kind and f.ask == ask]


# The ReLU + dropout exercise as the issue found it: random biases, so in 23 seeds of 200
# every kept unit is dead, and the mask's unit is as often dead as alive.
OLD_RELU_DROPOUT = """\
id: relu-mlp-dropout
given:
  x: normal(3, 1)
  y: normal(1, 1)
  W1: normal(4, 3)
  b1: normal(4, 1)
  W2: normal(1, 4)
  b2: normal(1, 1)
  mask: [[1], [0], [1], [1]]
  q: 0.75
compute:
  z1: W1 @ x + b1
  a1: relu(z1)
  h: mask * a1 / q
  yhat: W2 @ h + b2
  L: 0.5 * sum((yhat - y)**2)
show: [z1, a1, h, yhat, L]
ask:
  - name: delta1
    answer: grad(L, z1)
    mistakes:
      - answer: (W2.T @ (yhat - y)) * (z1 > 0) / q
        says: "A dropped unit passes no gradient: multiply by the mask too."
"""


def test_the_old_relu_dropout_exercise_is_refused() -> None:
    findings = audit_spec(parse_spec(OLD_RELU_DROPOUT, line=40))
    (zero,) = _only(findings, DEGENERATE, "delta1")
    assert zero.seed == 7 and zero.count == 23
    assert "is all zero at seed 7 (23 of 200 seeds)" in zero.message
    mask = [f for f in _only(findings, COINCIDES, "delta1") if "(z1 > 0) / q" in str(f.variant)]
    assert mask and mask[0].count > 90  # the issue measured 51 %
    assert mask[0].line == 40 + 21  # the mistake's line in the card (0-based 21 in the YAML)


OLD_HUBER = """\
given:
  yhat: normal(4, 1)
  y: normal(4, 1)
  delta: 1.0
compute:
  r: yhat - y
  l: where(abs(r) <= delta, 0.5 * r**2, delta * (abs(r) - 0.5 * delta))
  L: mean(l)
show: [r, l, L]
ask:
  - name: dyhat
    answer: grad(L, yhat)
    mistakes:
      - answer: r / 4
        says: "That is the MSE gradient."
tolerance: {rtol: 1e-2, atol: 1e-3}
"""


def test_the_old_huber_exercise_accepts_the_mse_gradient() -> None:
    (finding,) = _only(audit_spec(parse_spec(OLD_HUBER)), COINCIDES, "dyhat")
    assert finding.variant == "mistake `r / 4` (line 14)"
    assert finding.seed == 0 and finding.count == 16  # 8 % of seeds, as the issue says
    error = finding.error()
    assert str(error).startswith("line 14: ask `dyhat`: exercise `")
    assert "at seed 0 (16 of 200 seeds; at most 1% may be)" in str(error)


# Clipping as it was: ‖g‖ ≤ c almost never, so rescaling always is marked correct.
OLD_CLIPPING = """\
given:
  g1: normal(2, 2, std=2)
  g2: normal(2, 1, std=2)
  c: 1.5
compute:
  total: sqrt(sum(g1**2) + sum(g2**2))
  c1: g1 * where(total > c, c / total, 1)
ask:
  - name: g1c
    answer: c1
    mistakes:
      - answer: g1 * c / total
        says: "min(1, c/‖g‖): a gradient below c is left alone."
"""


def test_a_regime_that_is_never_drawn_makes_its_mistake_right() -> None:
    (finding,) = _only(audit_spec(parse_spec(OLD_CLIPPING)), COINCIDES, "g1c")
    assert finding.count >= 198


OLD_ADAM_V = """\
given:
  g: normal(3, 1)
  v: uniform(3, 1, low=0.001, high=0.005)
  beta2: 0.999
ask:
  - name: v1
    answer: beta2 * v + (1 - beta2) * g**2
tolerance: {rtol: 1e-3, atol: 1e-7}
"""


def test_small_values_are_shown_with_enough_digits_to_work_from() -> None:
    """v ≈ 0.003 was shown as 0.0031 (two significant digits), and v₁ worked from it was
    rejected in 200 of 200 seeds; now it is shown as 0.003141."""
    assert _only(audit_spec(parse_spec(OLD_ADAM_V)), DISPLAY, "v1") == []


def test_a_tolerance_finer_than_the_display_is_refused() -> None:
    text = (
        "given:\n  x: normal(3, 1)\nask:\n  - {name: q, answer: 1000 * x}\n"
        "tolerance: {rtol: 1e-6, atol: 1e-7}\n"
    )
    findings = _only(audit_spec(parse_spec(text)), DISPLAY, "q")
    assert findings and findings[0].variant == FROM_GIVENS and findings[0].seed == 0
    assert "worked from the displayed givens" in findings[0].message


def test_a_mistake_that_is_always_right_is_not_a_mistake() -> None:
    text = (
        "given:\n  x: normal(3, 1)\ncompute:\n  y: 2 * x\nask:\n"
        "  - name: q\n    answer: y\n    mistakes:\n"
        '      - {answer: x + x, says: "not a mistake"}\n'
    )
    (finding,) = audit_spec(parse_spec(text))
    assert finding.kind == NOT_A_MISTAKE and "in every seed" in finding.message


def test_a_builtin_variant_identical_in_every_seed_is_skipped() -> None:
    # a symmetric reference: its transpose is itself, which is no mistake
    text = "given:\n  A: normal(3, 3)\nask:\n  - {name: S, answer: A + A.T}\n"
    assert audit_spec(parse_spec(text)) == []


def test_check_gameability_raises_the_first_finding() -> None:
    with pytest.raises(ExerciseError) as info:
        check_gameability(parse_spec(OLD_HUBER, line=5))
    assert info.value.ask == "dyhat" and info.value.line == 5 + 13
    assert "seed 0" in str(info.value) and "`r / 4`" in str(info.value)


def test_a_given_drawn_from_another_is_an_input_of_its_own() -> None:
    """Finite differences once moved ``b`` along with ``a`` when ``b`` was drawn from ``a``,
    and refused the right gradient."""
    from quizapp.exercises import verify_spec

    spec = parse_spec(
        'given:\n  a: normal(3, 1)\n  b: "a / 2 + normal(3, 1)"\n'
        'compute:\n  s: sum(a * b)\nask:\n  - {name: da, answer: "grad(s, a)"}\n'
    )
    verify_spec(spec)


_CARD = """# Huber Drill

## Question
What is the gradient of the mean Huber loss?

## Answer

### Gradient
The residual, capped at ±δ, over n.

```exercise
{yaml}```

## Tags
#Test
"""


def test_check_refuses_a_gameable_exercise_and_import_does_not_audit(tmp_path: Path) -> None:
    from quizapp.services.importer import check_paths, import_paths
    from quizapp.store.db import open_database

    path = tmp_path / "huber.md"
    path.write_text(_CARD.format(yaml=OLD_HUBER), encoding="utf-8")
    first = path.read_text(encoding="utf-8").splitlines().index("```exercise") + 2
    (error,) = check_paths([path]).errors
    assert error.line == first + 13  # the mistake's line
    assert "ask `dyhat`" in error.message and "seed 0" in error.message
    assert "mistake `r / 4`" in error.message and "\n" not in str(error)
    db = open_database(tmp_path / "q.db")
    try:
        report = import_paths(db, [path])
    finally:
        db.close()
    assert report.ok and report.new == 1  # import runs the gradient checks, not the audit


# Two asks that depend on the same compute steps: each forward variant of `z` (a `*` for
# the `@`, tanh left out) is one rebuilt pass, whichever ask it is tried for.
SHARED_STEPS = """\
given:
  W: normal(2, 2)
  x: normal(2, 1)
compute:
  z: W @ x
  h: tanh(z)
ask:
  - name: a
    answer: 2 * h
  - name: b
    answer: 3 * h
"""


def test_asks_that_depend_on_one_step_share_its_rebuilt_passes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from quizapp.exercises import diagnosis, new_instance

    spec = parse_spec(SHARED_STEPS)
    instance = new_instance(spec, 4)
    built: list[object] = []

    def counting(*args: Any, **kwargs: Any) -> Graph:
        built.append(kwargs.get("swaps"))
        return build_graph(*args, **kwargs)

    monkeypatch.setattr("quizapp.exercises.diagnosis.build_graph", counting)
    graphs: diagnosis.SwappedGraphs = {}
    first = [v for v in diagnosis.attempts(instance, spec.asks[0], graphs) if v is not None]
    once = len(built)
    second = [v for v in diagnosis.attempts(instance, spec.asks[1], graphs) if v is not None]
    assert once >= 2 and len(built) == once  # the second ask rebuilt nothing
    assert [v.key for v in first] == [v.key for v in second]
    # and the values are the second ask's own, not the first's
    alone = [v for v in diagnosis.attempts(instance, spec.asks[1]) if v is not None]
    for shared, own in zip(second, alone, strict=True):
        np.testing.assert_array_equal(shared.value, own.value)


def test_givens_shown_exactly_are_not_worked_again_but_the_typed_rounding_is_checked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Whole-number givens are displayed as they are, so the answer worked from them is
    the reference itself; what is left is the rounding of the answer as typed, which a
    tolerance finer than the display still fails."""
    text = (
        "given:\n  n: randint(3, 1, low=1, high=9)\nask:\n  - {name: q, answer: n / 7}\n"
        "tolerance: {rtol: 1e-7, atol: 1e-9}\n"
    )
    built: list[object] = []

    def counting(*args: Any, **kwargs: Any) -> Graph:
        built.append(kwargs)
        return build_graph(*args, **kwargs)

    monkeypatch.setattr("quizapp.exercises.gameability.build_graph", counting)
    findings = _only(audit_spec(parse_spec(text)), DISPLAY, "q")
    assert built == []
    assert findings and findings[0].variant == FROM_GIVENS and findings[0].count == 200
