"""Tolerances are capped at import, and follow the ask's scale (issue 12).

``tolerance: {rtol: 1e300, atol: 1e300}`` used to be accepted and marked anything correct;
an absolute default atol accepted an all-zero answer whenever the reference was small (14
of 1,500 ask/seed cases of the built-in sigmoid network).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from quizapp.exercises.checking import check_answer
from quizapp.exercises.errors import ExerciseError
from quizapp.exercises.instance import new_instance
from quizapp.exercises.limits import ATOL_SCALE, MAX_ATOL, MAX_RTOL, ZERO_SCALE
from quizapp.exercises.parsing import parse_spec
from quizapp.exercises.spec import Tolerance

BUILTIN = Path(__file__).resolve().parents[2] / "content" / "exercises" / "sigmoid-network.yaml"

_SPEC = "id: tol\ngiven: {{x: 2}}\nask: [{{name: q, answer: x}}]\ntolerance: {tolerance}\n"


@pytest.mark.parametrize(
    ("tolerance", "key", "limit"),
    [
        ("{rtol: 1e300, atol: 1e300}", "rtol", MAX_RTOL),
        ("{atol: 1e300}", "atol", MAX_ATOL),
        ("{rtol: 0.2}", "rtol", MAX_RTOL),
        ("{rtol: 1e-2, atol: 0.05}", "atol", MAX_ATOL),
    ],
)
def test_a_loose_tolerance_is_an_error_naming_the_exercise(
    tolerance: str, key: str, limit: float
) -> None:
    with pytest.raises(ExerciseError) as info:
        parse_spec(_SPEC.format(tolerance=tolerance), line=10)
    message = str(info.value)
    assert message.startswith("line 13: exercise `tol`: ")
    assert f"tolerance.{key}" in message and f"the limit is {limit:g}" in message
    assert "\n" not in message


def test_the_largest_allowed_tolerance_is_accepted() -> None:
    spec = parse_spec(_SPEC.format(tolerance=f"{{rtol: {MAX_RTOL}, atol: {MAX_ATOL}}}"))
    assert (spec.tolerance.rtol, spec.tolerance.atol) == (MAX_RTOL, MAX_ATOL)


def test_atol_follows_the_scale_of_the_reference() -> None:
    tolerance = Tolerance(rtol=0.01, atol=1e-4)
    assert tolerance.atol_at(1.0) == 1e-4  # large references: the atol as written
    assert tolerance.atol_at(1e-4) == pytest.approx(ATOL_SCALE * 1e-4)
    assert tolerance.atol_at(0.0) == pytest.approx(ATOL_SCALE * ZERO_SCALE)
    assert Tolerance(atol=0.0).atol_at(1.0) == 0.0


def test_zero_is_wrong_for_a_reference_below_the_default_atol() -> None:
    spec = parse_spec("given:\n  x: 0.00005\nask: [{name: q, answer: x}]\n")
    assert spec.tolerance.atol == 1e-4  # larger than the reference itself
    inst = new_instance(spec, 0)
    assert check_answer(inst, "q", "0").verdict == "incorrect"
    assert check_answer(inst, "q", "0.0000501").correct
    assert check_answer(inst, "q", "0.000025").verdict == "incorrect"  # half of it, too


def test_a_reference_that_is_round_off_of_zero_takes_zero() -> None:
    spec = parse_spec("given:\n  x: 1e-17\nask: [{name: q, answer: x}]\n")
    assert check_answer(new_instance(spec, 0), "q", "0").correct


def _zeros(reference: np.ndarray) -> str:
    if reference.ndim == 0:
        return "0"
    return "; ".join(" ".join("0" for _ in row) for row in np.atleast_2d(reference))


def _typed(reference: np.ndarray) -> str:
    if reference.ndim == 0:
        return f"{float(reference):.6g}"
    return "; ".join(" ".join(f"{v:.6g}" for v in row) for row in np.atleast_2d(reference))


def test_an_all_zero_answer_is_never_correct_for_the_builtin_network() -> None:
    spec = parse_spec(BUILTIN.read_text(encoding="utf-8"), source=str(BUILTIN))
    cases = accepted_zero = 0
    for seed in range(300):
        inst = new_instance(spec, seed)
        for ask in inst.asks:
            reference = inst.references[ask.name]
            cases += 1
            if check_answer(inst, ask.name, _zeros(reference)).correct:
                accepted_zero += 1
            assert check_answer(inst, ask.name, _typed(reference)).correct, (seed, ask.name)
    assert cases == 1_500
    assert accepted_zero == 0  # was 14
