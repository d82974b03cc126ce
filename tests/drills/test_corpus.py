"""The equivalence and refusal corpora (``corpus.py``): every rewrite a learner could write
is accepted; every wrong answer is refused, with the mistake named where a variant says it."""

from __future__ import annotations

import pytest

from quizapp.drills.checking import check_drill_answer
from quizapp.drills.equivalence import K

from .conftest import formula_drill
from .corpus import EQUIVALENT, WRONG


def test_the_corpora_are_large_enough() -> None:
    assert len(EQUIVALENT) >= 80
    assert len(WRONG) >= 80
    assert len({variant for *_, variant in WRONG if variant}) >= 9


@pytest.mark.parametrize(("reference", "rewrite"), EQUIVALENT)
def test_every_rewrite_is_accepted(reference: str, rewrite: str) -> None:
    drill = formula_drill("y", reference)
    verdict = check_drill_answer(drill, rewrite)
    assert verdict.verdict == "correct", verdict.message
    assert verdict.points_checked >= K * len(drill.modes)


@pytest.mark.parametrize(("reference", "wrong", "variant"), WRONG)
def test_every_wrong_answer_is_refused(reference: str, wrong: str, variant: str | None) -> None:
    verdict = check_drill_answer(formula_drill("y", reference), wrong)
    assert verdict.verdict in ("incorrect", "shape_mismatch"), verdict.message
    assert verdict.variant == variant
    assert (verdict.diagnosis is not None) == (variant is not None)


def test_matrix_notation_is_checked_with_matrices_too() -> None:
    drill = formula_drill(r"\frac{\partial L}{\partial W}", r"\delta a^T")
    assert [mode.name for mode in drill.modes] == ["scalar", "matrix"]
    assert drill.shapes["delta"] != drill.shapes["a"]
    dropped = check_drill_answer(drill, r"\delta a")
    assert dropped.verdict == "incorrect"
    assert "with the symbols as matrices" in dropped.message
    assert dropped.diagnosis == "A transpose is missing."
