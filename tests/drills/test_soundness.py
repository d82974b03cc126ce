"""Soundness of the equivalence check, by property: pairs equal by construction (reordered,
expanded, factored, rewritten with an identity) are never refused, and pairs that differ by
a random perturbation are never accepted.

With K points drawn from continuous domains, a wrong answer passes only if it agrees with
the reference at all K of them; that has probability zero for analytic functions that
differ, so any acceptance here would be a bug, not bad luck. Every example is seeded
(``derandomize``), so a failure replays.
"""

from __future__ import annotations

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from quizapp.drills.checking import check_drill_answer
from quizapp.exercises.errors import ExerciseError

from .conftest import formula_drill

SYMBOLS = ["x", "y", "z"]


def _expr(depth: int) -> st.SearchStrategy[str]:
    leaf = st.sampled_from(SYMBOLS) | st.integers(1, 5).map(str)
    if depth == 0:
        return leaf
    inner = _expr(depth - 1)
    return st.one_of(
        leaf,
        st.tuples(inner, inner).map(lambda p: f"({p[0]} + {p[1]})"),
        st.tuples(inner, inner).map(lambda p: f"({p[0]} - {p[1]})"),
        st.tuples(inner, inner).map(lambda p: f"({p[0]})({p[1]})"),
        st.tuples(inner, inner).map(lambda p: rf"\frac{{{p[0]}}}{{1 + ({p[1]})^2}}"),
        inner.map(lambda a: rf"\sigma({a})"),
        inner.map(lambda a: rf"\tanh({a})"),
        inner.map(lambda a: rf"\sqrt{{1 + ({a})^2}}"),
    )


EXPR = _expr(2)

#: Rewrites that keep the value: (reference, rewrite) from subexpressions a, b, c.
REWRITES = [
    lambda a, b, c: (f"{a} + {b}", f"{b} + {a}"),
    lambda a, b, c: (f"({a})({b})", f"({b})({a})"),
    lambda a, b, c: (f"({a})(({b}) + ({c}))", f"({a})({b}) + ({a})({c})"),
    lambda a, b, c: (f"({a})^2 - ({b})^2", f"(({a}) - ({b}))(({a}) + ({b}))"),
    lambda a, b, c: (f"(({a}) + ({b}))^2", f"({a})^2 + 2({a})({b}) + ({b})^2"),
    lambda a, b, c: (rf"e^{{\sigma({a}) + \sigma({b})}}", rf"e^{{\sigma({a})}} e^{{\sigma({b})}}"),
    lambda a, b, c: (
        rf"\log\left((1 + ({a})^2)(1 + ({b})^2)\right)",
        rf"\log(1 + ({a})^2) + \log(1 + ({b})^2)",
    ),
    lambda a, b, c: (rf"\sigma({a})", rf"\frac{{1}}{{1 + e^{{-({a})}}}}"),
    lambda a, b, c: (rf"\tanh({a})", rf"2\sigma(2({a})) - 1"),
    lambda a, b, c: (f"{a} - ({b} - {c})", f"{a} - {b} + {c}"),
]


def _drill_or_none(reference: str):  # type: ignore[no-untyped-def]
    try:
        return formula_drill("f", reference)
    except ExerciseError:
        return None


@settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(EXPR, EXPR, EXPR, st.integers(0, len(REWRITES) - 1))
def test_equal_by_construction_is_never_refused(a: str, b: str, c: str, which: int) -> None:
    reference, rewrite = REWRITES[which](a, b, c)
    drill = _drill_or_none(reference)
    assume(drill is not None)
    assert drill is not None
    verdict = check_drill_answer(drill, rewrite)
    assert verdict.verdict == "correct", (reference, rewrite, verdict.message)


@settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(
    EXPR,
    st.floats(0.001, 100.0, allow_nan=False),
    st.sampled_from(SYMBOLS),
    st.booleans(),
)
def test_a_perturbation_is_never_accepted(a: str, c: float, symbol: str, additive: bool) -> None:
    drill = _drill_or_none(a)
    assume(drill is not None)
    assert drill is not None
    perturbed = f"{a} + {c!r}" if additive else f"{a} + {c!r} {symbol}"
    verdict = check_drill_answer(drill, perturbed)
    assume(verdict.verdict != "invalid")  # a symbol the reference lacks
    assert verdict.verdict == "incorrect", (a, perturbed)
