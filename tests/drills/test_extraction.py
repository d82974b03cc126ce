"""Which parts of a card's formulas become drills: aligned blocks, chains, several
equations side by side, updates, `% no-drill`, and authors' domains."""

from __future__ import annotations

import pytest

from quizapp.drills.checking import check_drill_answer
from quizapp.drills.domains import POSITIVE, REAL, SMALL, UNIT
from quizapp.drills.drill import card_drills
from quizapp.exercises.errors import ExerciseError

from .conftest import card_from, formula_drill


def _card(body: str) -> str:
    return f"# Formulas\n\n## Question\nWrite them.\n\n## Answer\n\n### Step\n\n{body}\n"


def test_aligned_lines_are_drills_and_continue_their_left_side() -> None:
    card = card_from(
        _card(
            "Adam keeps two moments:\n\n$$\\begin{aligned}\n"
            "m_t &= \\beta_1 m_{t-1} + (1 - \\beta_1) g_t \\\\\n"
            "&= m_{t-1} + (1 - \\beta_1)(g_t - m_{t-1}) \\\\\n"
            "v_t &= \\beta_2 v_{t-1} + (1 - \\beta_2) g_t^2\n"
            "\\end{aligned}$$"
        )
    )
    drills = card_drills(card).drills
    assert [d.lhs for d in drills] == ["m_t", "m_t", "v_t"]
    assert {d.formula for d in drills} == {1}
    assert drills[0].sentence == "Adam keeps two moments:"
    assert drills[0].heading == "Step"


def test_equations_side_by_side_and_updates() -> None:
    card = card_from(
        _card(
            "$$a = x + y, \\qquad b = x y$$\n\n"
            "$$\\theta \\leftarrow \\theta - \\eta g$$\n\n"
            "$$c = \\frac{x}{y} = x y^{-1}$$\n\n"
            "$$p \\le 1$$\n\n"
            "$$d = 2 x % no-drill$$"
        )
    )
    found = card_drills(card)
    assert [(d.lhs, d.rhs) for d in found.drills] == [
        ("a", "x + y"),
        ("b", "x y"),
        ("\\theta", "\\theta - \\eta g"),
        ("c", "\\frac{x}{y}"),
    ]
    assert [s.reason for s in found.skipped] == [
        "not an equation (it states a relation other than =)",
        "marked % no-drill",
    ]
    assert found.formulas == 5


def test_domains_are_inferred_from_use() -> None:
    drill = formula_drill("f", r"\log x + \sqrt{y} + \frac{1}{w} - \log(1 - p) + \eta + \epsilon z")
    assert drill.domains == {
        "x": POSITIVE,
        "y": POSITIVE,
        "w": POSITIVE,
        "p": UNIT,
        "eta": POSITIVE,
        "epsilon": SMALL,
        "z": REAL,
    }


def test_an_author_sets_domains_in_a_comment() -> None:
    drill = formula_drill("f", r"\sqrt{x^2}", comments=("% domain: x > 0",))
    assert drill.domains == {"x": POSITIVE}
    assert check_drill_answer(drill, "x").correct
    plain = formula_drill("f", r"\sqrt{x^2}")
    assert plain.domains == {"x": REAL}
    assert not check_drill_answer(plain, "x").correct


def test_an_unreadable_domain_says_so() -> None:
    with pytest.raises(ExerciseError, match="cannot read the domain `p < 0`"):
        formula_drill("f", r"\log p", comments=("% domain: p < 0",))
