"""Each kind of bad spec gets one clear ExerciseError naming the card line (and the ask)."""

from __future__ import annotations

import pytest

from quizapp.exercises.errors import ExerciseError
from quizapp.exercises.parsing import parse_spec

FIRST = 20  # the card line of the YAML's first line

BASE_GIVEN = """given:
  x: normal(2, 1)
  W: normal(2, 2)
"""


def _error(text: str) -> ExerciseError:
    with pytest.raises(ExerciseError) as info:
        parse_spec(text, line=FIRST)
    error = info.value
    assert "\n" not in str(error)
    return error


def _spec(compute: str, ask: str = "  - {name: q, answer: x}\n") -> str:
    return BASE_GIVEN + "compute:\n" + compute + "ask:\n" + ask


def test_unknown_function_with_line() -> None:
    error = _error(_spec("  z: W @ x\n  h: foo(z)\n"))
    assert error.line == FIRST + 5
    assert "unknown function `foo`" in str(error)


def test_unknown_variable_with_line() -> None:
    error = _error(_spec("  z: W @ q\n"))
    assert error.line == FIRST + 4
    assert "unknown variable `q`" in str(error)


def test_misordered_computations() -> None:
    error = _error(_spec("  a: b + 1\n  b: W @ x\n"))
    assert error.line == FIRST + 4
    assert "uses `b` before it is defined on line 25" in str(error)


def test_cyclic_computations() -> None:
    error = _error(_spec("  a: b + 1\n  b: a * 2\n"))
    assert "cyclic computation: a → b → a" in str(error)
    error = _error(_spec("  a: a + 1\n"))
    assert "cyclic computation: a → a" in str(error)


def test_grad_of_non_scalar_names_the_ask() -> None:
    error = _error(_spec("  z: W @ x\n", "  - {name: dz, answer: grad(z, W)}\n"))
    assert error.ask == "dz"
    assert error.line == FIRST + 6
    assert "needs a scalar `z`, but `z` is 2×1" in str(error)


def test_grad_must_name_variables() -> None:
    error = _error(_spec("  L: sum(W @ x)\n", "  - {name: d, answer: grad(L, 2 * W)}\n"))
    assert "grad(L, v)" in str(error)


def test_shapes_that_do_not_fit_with_line() -> None:
    error = _error(_spec("  z: W @ x\n  h: x @ W\n"))
    assert error.line == FIRST + 5
    assert "`h`: shapes 2×1 and 2×2 don't fit for `@`" in str(error)
    error = _error(_spec("  h: x + normal(3, 1)\n").replace("compute", "compute"))
    assert "normal(...)` draws are only allowed in `given`" in str(error)


def test_broadcast_shapes_that_do_not_fit() -> None:
    error = _error(
        BASE_GIVEN + "  v: normal(3, 1)\ncompute:\n  h: x + v\nask:\n  - {name: q, answer: h}\n"
    )
    assert "shapes 2×1 and 3×1 don't fit for `+`" in str(error)
    assert error.line == FIRST + 5


def test_nan_or_inf_in_a_reference() -> None:
    error = _error(_spec("  bad: log(x - 100)\n"))
    assert "`bad` is NaN or infinite" in str(error)
    assert error.line == FIRST + 4
    error = _error(_spec("  z: sum(x)\n", "  - {name: q, answer: z / 0}\n"))
    assert error.ask == "q" and "NaN or infinite" in str(error)


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("__import__('os')", "`__import__`"),
        ("x.__class__", "attribute access `.__class__` is not allowed"),
        ("().__class__", "attribute access `.__class__` is not allowed"),
        ("(lambda: 1)()", "only calls of the listed functions"),
        ("lambda: 1", "lambda is not allowed"),
        ("x[W]", "indices must be whole-number literals"),
        ("[v for v in x]", "comprehensions"),
        ("'abc'", "strings are not allowed"),
        ("x if x else W", "`if ... else`"),
        ("x and W", "`and`/`or`"),
    ],
)
def test_non_whitelisted_syntax(expression: str, message: str) -> None:
    error = _error(_spec(f'  z: "{expression}"\n'))
    assert message in str(error)
    assert error.line == FIRST + 4


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("normal(100000, 100000)", "limited to 1024"),
        ("normal(1000, 1000)", "the limit is 65536 elements"),
        ("2**2**2**30", "exponent towers"),
        ("x ** 100000", "exponents are limited"),
        ("(" * 10_000 + "1" + ")" * 10_000, "characters long"),
        ("(" * 300 + "1" + ")" * 300, "too many nested parentheses"),
        ("sigmoid(" * 80 + "x" + ")" * 80, "nested too deeply"),
        ("-" * 500 + "1", "nested too deeply"),
    ],
)
def test_resource_bombs(expression: str, message: str) -> None:
    error = _error(BASE_GIVEN + f'  z: "{expression}"\nask:\n  - {{name: q, answer: z}}\n')
    assert message in str(error)


def test_outer_and_broadcast_results_are_limited_before_allocation() -> None:
    text = BASE_GIVEN + "  a: normal(1000, 1)\n  b: normal(1, 1000)\ncompute:\n  c: a + b\n"
    error = _error(text + "ask:\n  - {name: q, answer: c}\n")
    assert "1000×1000" in str(error)
    text = BASE_GIVEN + "  a: normal(1000, 1)\ncompute:\n  c: outer(a, a)\n"
    assert "1000×1000" in str(_error(text + "ask:\n  - {name: q, answer: c}\n"))


BILLION_LAUGHS = """given:
  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
  b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
  c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
ask: [{name: q, answer: a}]
"""


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        (BILLION_LAUGHS, "anchors", FIRST + 1),
        ("given: *x\n", "aliases", FIRST),
        ("given:\n  x: !!python/object/apply:os.system ['ls']\nask: []\n", "tags", FIRST + 1),
        ("given: " + "[" * 50 + "]" * 50 + "\n", "nested more than", FIRST),
        ("- just\n- a list\n", "must be a YAML mapping", FIRST),
        (
            "given: {x: 1}\nask: [{name: q, answer: x}]\ncolour: red\n",
            "unknown key `colour`",
            FIRST + 2,
        ),
        ("given: {x: 1}\n", "needs `ask:`", FIRST),
        ("given: {x: 1, x: 2}\nask: [{name: q, answer: x}]\n", "appears twice", FIRST),
        ("given: {x: 1}\nask: [{name: x, answer: x}]\n", "already used", FIRST + 1),
        ("given: {normal: 1}\nask: [{name: q, answer: 1}]\n", "reserved name", FIRST),
        ("given: {x: 1}\nask: [{name: q}]\n", "needs an `answer`", FIRST + 1),
        (
            "given: {x: 1}\nask: [{name: q, answer: x}]\ntolerance: {rtol: -1}\n",
            "non-negative",
            FIRST + 2,
        ),
        (
            "given: {x: 1}\nshow: [nope]\nask: [{name: q, answer: x}]\n",
            "unknown variable `nope`",
            FIRST + 1,
        ),
        ("given: {x: 1}\nask: [{name: q, answer: 'x +'}]\n", "not a valid expression", FIRST + 1),
        (
            "given: {x: 1}\nask: [{name: q, answer: x, mistakes: [{answer: y, says: no}]}]\n",
            "unknown variable `y`",
            FIRST + 1,
        ),
        (
            "given:\n  x: [[1, 2], [3]]\nask: [{name: q, answer: x}]\n",
            "different lengths",
            FIRST + 1,
        ),
        ("given: {x: 1}\nask: [{name: q, answer: x}]\n" + "#" * 70_000, "the limit is", FIRST),
    ],
)
def test_bad_yaml_and_structure(text: str, message: str, line: int | None) -> None:
    error = _error(text)
    assert message in str(error)
    if line is not None:
        assert error.line == line


def test_error_str_is_one_line_with_line_and_ask() -> None:
    error = ExerciseError("shapes\n 2×1 and 2×2 don't fit", line=12, ask="dW2")
    assert str(error) == "line 12: ask `dW2`: shapes 2×1 and 2×2 don't fit"
