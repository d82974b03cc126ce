"""Drill answers under the exercise sandbox's limits: length, depth, expansion, element
count, work and the deadline. Every hostile answer gets an ``invalid`` (or ``incorrect``)
verdict, never an exception, within a generous SIGALRM guard (a guard that fails the test,
not a measured figure) and 256 MB."""

from __future__ import annotations

import pytest
from sandbox_guard import within_limits

from quizapp.drills.checking import check_drill_answer
from quizapp.drills.drill import Drill

from .conftest import SteppingClock, formula_drill

GUARD_SECONDS = 5.0

#: (kind, typed answer) to the drill ``y = W x + b``.
ATTEMPTS: list[tuple[str, str]] = [
    ("length", "x + " * 400 + "x"),
    ("length", "\\frac{1}{" * 300 + "x" + "}" * 300),
    ("depth", "(" * 100 + "x" + ")" * 100),
    ("depth", "{" * 100 + "x" + "}" * 100),
    ("depth", "\\sqrt{" * 80 + "x" + "}" * 80),
    ("depth", "-" * 200 + "x"),
    ("depth", "\\left(" * 70 + "x" + "\\right)" * 70),
    ("exponent", "x^{5000}"),
    ("exponent", "x^{x^{x^{x}}}"),
    ("exponent", "2^{2^{2^{30}}}"),
    ("expansion", "\\sum_{i=1}^{16} \\sum_{j=1}^{16} \\sum_{k=1}^{16} x_{ijk}"),
    ("expansion", "\\sum_{i=1}^{100000} x_i"),
    ("expansion", "\\prod_{i=1}^{16}\\prod_{j=1}^{16}\\prod_{k=1}^{16} (1 + x)"),
    ("elements", "ones(1024, 1024) @ ones(1024, 1024)"),
    ("elements", "ones(1000, 1000) + x"),
    ("elements", "eye(1024) @ eye(1024) @ eye(1024)"),
    ("work", "sum(exp(ones(256, 256) @ ones(256, 256)) @ ones(256, 256))"),
    ("escape", "__import__('os').system('echo pwned')"),
    ("escape", "x.__class__"),
    ("escape", "\\input{/etc/passwd}"),
    ("escape", "\\include{x}"),
    ("escape", "\\def\\x{\\x}\\x"),
    ("escape", "\\newcommand{\\f}{\\f}\\f"),
    ("escape", "\\csname x\\endcsname"),
    ("unbalanced", "\\frac{x}{"),
    ("unbalanced", "\\left( x"),
    ("unbalanced", "x}"),
    ("unbalanced", "\\begin{cases} x"),
    ("unbalanced", "x \\\\"),
    ("unknown", "\\foo(x)"),
    ("unknown", "\\operatorname{eval}(x)"),
    ("unknown", "open(x)"),
    ("unicode", "x\u202e + b"),
    ("unicode", "W\u200bx + b"),
    ("numbers", "10^{400} x"),
    ("numbers", "1" + "0" * 400),
    ("numbers", "\\frac{x}{0}"),
    ("symbols", "W x + b + q"),
]


@pytest.fixture(scope="module")
def drill() -> Drill:
    made = formula_drill("y", r"W x + b")
    assert made.modes  # points drawn before any guard starts
    return made


@pytest.mark.parametrize(
    ("kind", "answer"), ATTEMPTS, ids=[f"{k}-{i}" for i, (k, _) in enumerate(ATTEMPTS)]
)
def test_hostile_answers_are_refused_within_limits(drill: Drill, kind: str, answer: str) -> None:
    with within_limits(GUARD_SECONDS):
        verdict = check_drill_answer(drill, answer)
    assert verdict.verdict in ("invalid", "incorrect"), (kind, verdict.message)
    assert "\n" not in verdict.message
    if verdict.verdict == "invalid":
        assert not verdict.counts


def test_unreadable_latex_names_its_column_and_is_not_a_try(drill: Drill) -> None:
    verdict = check_drill_answer(drill, r"W x + \frac{b}{")
    assert verdict.verdict == "invalid"
    assert verdict.message == "cannot read `{` at column 15"
    assert not verdict.counts


def test_the_deadline_stops_a_slow_check(drill: Drill) -> None:
    clock = SteppingClock(0.4)
    verdict = check_drill_answer(drill, "W @ x + b", clock=clock)
    assert verdict.verdict == "invalid"
    assert verdict.message.startswith("checking took longer than 1 s")
