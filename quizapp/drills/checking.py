"""Checks one answer to a drill: read it (LaTeX or the exercise language), compare it with
the reference at the drill's points, and name the mistake when a variant matches.

The verdicts are the exercise engine's: ``correct``, ``incorrect``, ``shape_mismatch``
(it computes, with another shape, in the matrix check) and ``invalid`` (it does not read,
uses a symbol the formula does not have, or breaks a limit; it is not counted as a try).
``check_drill_answer`` never raises for anything the learner typed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from quizapp.drills.drill import Drill
from quizapp.drills.equivalence import (
    MATRIX,
    Array,
    Comparison,
    Mode,
    agree,
    compare,
    finite,
    scalarize,
    values_at,
)
from quizapp.drills.variants import variants
from quizapp.exercises.autodiff import shape_text
from quizapp.exercises.checking import CORRECT, INCORRECT, INVALID, SHAPE_MISMATCH
from quizapp.exercises.deadline import Clock, Deadline
from quizapp.exercises.errors import ExerciseError
from quizapp.exercises.expr import ANSWER, Expr
from quizapp.exercises.limits import DIAGNOSIS_DEADLINE
from quizapp.exercises.syntax_latex import compile_latex
from quizapp.exercises.syntax_python import compile_expression
from quizapp.mathtext import render_inline
from quizapp.text import plural

#: Points a variant is compared at before it names the mistake.
VARIANT_POINTS = 4
#: Wall-clock seconds one answer's comparison may take (each evaluation is also bounded
#: by the tape's work budget); the diagnosis then has ``DIAGNOSIS_DEADLINE`` of its own.
CHECK_DEADLINE = 1.0
#: Variants tried at most per wrong answer.
MAX_VARIANTS = 64
LATEX = "latex"
EXPRESSION = "expression"


@dataclass(frozen=True)
class DrillVerdict:
    """The result of checking one answer to a drill."""

    verdict: str
    message: str
    diagnosis: str | None
    variant: str | None
    points_checked: int
    syntax: str | None
    formula: int

    @property
    def correct(self) -> bool:
        """True for the verdict ``correct``."""
        return self.verdict == CORRECT

    @property
    def counts(self) -> bool:
        """Whether this answer counts as a try (an invalid one is a typo)."""
        return self.verdict != INVALID

    def to_dict(self) -> dict[str, object]:
        """``{verdict, diagnosis, formula, points_checked, message, variant, syntax}``."""
        return {
            "verdict": self.verdict,
            "diagnosis": self.diagnosis,
            "formula": self.formula,
            "points_checked": self.points_checked,
            "message": self.message,
            "variant": self.variant,
            "syntax": self.syntax,
        }


def read_answer(text: str, drill: Drill) -> tuple[Expr, str, dict[str, float]]:
    """The answer's tree, the syntax it was read in and the sum bounds it fixes.

    The exercise language is tried first; LaTeX when that does not read, or reads with a
    name the formula lacks. Raises ``ExerciseError`` with the more telling reason.
    """
    known = set(drill.symbols) | set(drill.reference.fixed)
    python_error: ExerciseError | None = None
    python_unknown: list[str] = []
    try:
        compiled = compile_expression(text, ANSWER)
        python_unknown = sorted(compiled.names - known)
        if not python_unknown:
            return compiled.root, EXPRESSION, {}
    except ExerciseError as error:
        python_error = error
    try:
        latex = compile_latex(text, frozenset(n for n in known if len(n) > 1))
    except ExerciseError as error:
        looks_latex = any(c in text for c in "\\{}^") or not text.isascii()
        if python_unknown:
            raise _unknown(python_unknown, drill) from None
        if python_error is None or looks_latex:
            raise error from None
        raise python_error from None
    unknown = sorted(set(latex.symbols) - known - set(latex.fixed))
    if unknown:
        raise _unknown(python_unknown or unknown, drill)
    return latex.expression.root, LATEX, dict(latex.fixed)


def _unknown(names: list[str], drill: Drill) -> ExerciseError:
    listed = ", ".join(f"`{n}`" for n in names)
    symbols = ", ".join(sorted(drill.symbols))
    noun = "is not a symbol" if len(names) == 1 else "are not symbols"
    return ExerciseError(f"{listed} {noun} of this formula (its symbols: {symbols})")


def check_drill_answer(drill: Drill, text: str, clock: Clock | None = None) -> DrillVerdict:
    """Check ``text`` against ``drill``: a verdict, never an exception for what was typed.

    For a chain ``lhs = A = B``, an answer equal to any side is right, and the verdict says
    which it matched; a wrong one gets the verdict of the first side whose variants name
    its mistake, else of the first side it could be compared with."""
    first = _check_form(drill, text, clock)
    if not drill.alternatives:
        return first
    verdicts: list[DrillVerdict] = []
    for form in drill.forms:
        verdict = first if form is drill else _check_form(form, text, clock)
        if verdict.correct:
            matched = render_inline(form.rhs)
            return replace(
                verdict,
                message=f"correct: it equals the side {matched} "
                f"(at {plural(verdict.points_checked, 'point')})",
            )
        verdicts.append(verdict)
    compared = [v for v in verdicts if v.verdict != INVALID]
    diagnosed = [v for v in compared if v.diagnosis]
    return (diagnosed or compared or [first])[0]


def _check_form(drill: Drill, text: str, clock: Clock | None) -> DrillVerdict:
    """The verdict of ``text`` against one right side."""
    number = drill.number
    try:
        answer, syntax, fixed = read_answer(text, drill)
    except ExerciseError as error:
        return DrillVerdict(INVALID, str(error), str(error), None, 0, None, number)
    if any(drill.reference.fixed.get(name, value) != value for name, value in fixed.items()):
        message = "a sum's bound differs from the formula's"
        return DrillVerdict(INVALID, message, message, None, 0, syntax, number)
    deadline = Deadline(CHECK_DEADLINE, clock)
    checked = 0
    for mode in drill.modes:
        expr = _for_mode(answer, mode)
        result = compare(expr, mode, deadline=deadline)
        checked += result.checked
        if result.outcome == "agree":
            continue
        if result.outcome == "deadline":
            message = f"checking took longer than {CHECK_DEADLINE:g} s; write it more simply"
            return DrillVerdict(INVALID, message, message, None, 0, syntax, number)
        deadline = Deadline(DIAGNOSIS_DEADLINE, clock)
        return _wrong(drill, mode, answer, result, checked, syntax, deadline)
    return DrillVerdict(
        CORRECT,
        f"correct (equal at {plural(checked, 'point')})",
        None,
        None,
        checked,
        syntax,
        number,
    )


def _for_mode(expr: Expr, mode: Mode) -> Expr:
    return expr if mode.name == MATRIX else scalarize(expr)


def _wrong(
    drill: Drill,
    mode: Mode,
    answer: Expr,
    result: Comparison,
    checked: int,
    syntax: str,
    deadline: Deadline,
) -> DrillVerdict:
    number = drill.number
    if result.outcome == "error" and mode.name != MATRIX:
        return DrillVerdict(INVALID, result.message, result.message, None, 0, syntax, number)
    found = _diagnose(drill, mode, answer, deadline)
    diagnosis, variant = (found[1], found[0]) if found else (None, None)
    in_matrices = " with the symbols as matrices" if mode.name == MATRIX else ""
    if result.outcome == "shape":
        message = f"expected {shape_text(result.expected)}, got {shape_text(result.got)}"
        return DrillVerdict(
            SHAPE_MISMATCH, message + in_matrices, diagnosis, variant, checked, syntax, number
        )
    if result.outcome == "undefined":
        message = f"incorrect: your answer is undefined at most points{in_matrices}"
    elif result.outcome == "error":
        message = f"incorrect: {result.message}{in_matrices}"
    elif mode.name == MATRIX and drill.modes[0] is not mode:
        message = "incorrect: right as scalars, but not with the symbols as matrices"
    else:
        message = "incorrect"
    return DrillVerdict(INCORRECT, message, diagnosis, variant, checked, syntax, number)


def _diagnose(drill: Drill, mode: Mode, answer: Expr, deadline: Deadline) -> tuple[str, str] | None:
    """The first variant of the reference that the answer matches, in this mode."""
    answer_values = values_at(_for_mode(answer, mode), _first(mode))
    root = drill.reference.expression.root
    small = _first(mode)
    reference_values = values_at(mode.reference, small)
    for tried, variant in enumerate(variants(root)):
        if tried >= MAX_VARIANTS or deadline.expired():
            return None
        expr = _for_mode(variant.expr, mode)
        variant_values = values_at(expr, small)
        if _same(variant_values, reference_values):
            continue
        if _same(answer_values, variant_values):
            return variant.name, variant.message
    return None


def _first(mode: Mode) -> Mode:
    """The mode cut to its first few points (a batched mode keeps its one)."""
    if mode.batched:
        return mode
    return Mode(
        mode.name, mode.reference, mode.points[:VARIANT_POINTS], mode.references[:VARIANT_POINTS]
    )


def _same(a: list[Array] | str, b: list[Array] | str) -> bool:
    if isinstance(a, str) or isinstance(b, str):
        return isinstance(a, str) and isinstance(b, str) and a == b
    pairs = 0
    for x, y in zip(a, b, strict=False):
        x_arr, y_arr = np.asarray(x), np.asarray(y)
        if x_arr.size > 1 and y_arr.size > 1 and x_arr.shape == y_arr.shape:
            ok = np.isfinite(x_arr) & np.isfinite(y_arr)
            if not ok.any():
                continue
            if not agree(x_arr[ok], y_arr[ok]):
                return False
            pairs += 1
            continue
        if not (finite(x_arr) and finite(y_arr)):
            continue
        if not agree(x_arr, y_arr):
            return False
        pairs += 1
    return pairs > 0
