"""Random expressions never escape the whitelist, raise only ExerciseError, stay in budget.

Expressions are generated from a grammar that mixes allowed pieces (names, functions,
operators, literals) with hostile ones (dunders, attribute access, subscripts, lambdas,
strings, huge numbers and sizes), and also as raw text. Whatever comes out, evaluation
either gives a finite array within the size limits or is refused with ExerciseError.
"""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp.exercises.answers import parse_answer
from quizapp.exercises.autodiff import Tape
from quizapp.exercises.errors import ExerciseError
from quizapp.exercises.evaluator import evaluate
from quizapp.exercises.language import ANSWER, ASK, COMPUTE, GIVEN, compile_expression
from quizapp.exercises.limits import MAX_DIM, MAX_ELEMENTS

SCOPE = {
    "x": np.array([[0.5], [-1.0]]),
    "W": np.array([[1.0, 2.0], [-0.5, 0.25]]),
    "s": np.array(0.75),
    "r": np.array([[1.0, 2.0, 3.0]]),
}

NAMES = ["x", "W", "s", "r", "q", "__class__", "_x", "sum", "grad", "os", "T"]
FUNCTIONS = [
    "sigmoid",
    "tanh",
    "relu",
    "exp",
    "log",
    "sqrt",
    "abs",
    "sum",
    "mean",
    "max",
    "softmax",
    "log_softmax",
    "maximum",
    "where",
    "transpose",
    "reshape",
    "outer",
    "eye",
    "ones",
    "zeros",
    "normal",
    "onehot",
    "grad",
    "eval",
    "__import__",
    "getattr",
    "print",
    "open",
]
NUMBERS = [
    "0",
    "1",
    "2",
    "0.5",
    "-3",
    "1e308",
    "1e-308",
    "10**400",
    "99999999999",
    "1024",
    "1025",
    "100000",
    "True",
    "None",
    "1j",
    "'a'",
]
BINARY = [
    "+",
    "-",
    "*",
    "/",
    "@",
    "**",
    ">",
    "<",
    ">=",
    "<=",
    "==",
    "//",
    "%",
    "&",
    "|",
    "^",
    "and",
    "or",
    "if 1 else",
]
KEYWORDS = [
    "axis=0",
    "axis=1",
    "axis=2",
    "keepdims=True",
    "keepdims=False",
    "mean=1",
    "x=1",
    "**{}",
]
SUFFIXES = [".T", ".__class__", ".shape", "[0]", "[::-1]", "()", ".T.T"]

atoms = st.one_of(st.sampled_from(NAMES), st.sampled_from(NUMBERS))


def _extend(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    call = st.builds(
        lambda f, args, kws: f"{f}({', '.join(args + kws)})",
        st.sampled_from(FUNCTIONS),
        st.lists(children, max_size=3),
        st.lists(st.sampled_from(KEYWORDS), max_size=2),
    )
    return st.one_of(
        st.builds(lambda a, op, b: f"{a} {op} {b}", children, st.sampled_from(BINARY), children),
        st.builds(lambda a: f"-{a}", children),
        st.builds(lambda a: f"({a})", children),
        st.builds(lambda a, sfx: f"{a}{sfx}", children, st.sampled_from(SUFFIXES)),
        st.builds(lambda rows: "[" + ", ".join(rows) + "]", st.lists(children, max_size=3)),
        st.builds(lambda a: f"lambda: {a}", children),
        st.builds(lambda a: f"[v for v in {a}]", children),
        call,
    )


expressions = st.recursive(atoms, _extend, max_leaves=25)
texts = st.one_of(expressions, st.text(max_size=60))


def _check(value: np.ndarray) -> None:
    assert isinstance(value, np.ndarray)
    assert value.dtype == np.float64
    assert value.ndim in (0, 2)
    assert all(d <= MAX_DIM for d in value.shape) and value.size <= MAX_ELEMENTS
    assert np.all(np.isfinite(value))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_random_answers_are_contained(text: str) -> None:
    try:
        value = parse_answer(text, SCOPE)
    except ExerciseError as exc:
        assert "\n" not in str(exc)
        return
    _check(value)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expressions, st.sampled_from([GIVEN, COMPUTE, ASK, ANSWER]))
def test_random_spec_expressions_are_contained(text: str, context: str) -> None:
    try:
        expression = compile_expression(text, context)
        tape = Tape()
        env = {name: tape.leaf(SCOPE[name]) for name in SCOPE}

        def grad(of: str, wrt: str) -> np.ndarray:
            result = Tape.backward(env[of], env[wrt])
            assert result is not None
            return result

        with np.errstate(all="ignore"):
            value = evaluate(
                expression.root, env, tape, rng=np.random.default_rng(0), grad=grad
            ).value
    except ExerciseError:
        return
    assert expression.names <= set(SCOPE)
    assert isinstance(value, np.ndarray)
    assert all(d <= MAX_DIM for d in value.shape) and value.size <= MAX_ELEMENTS


YAML_PIECES = [
    "given:\n",
    "compute:\n",
    "ask:\n",
    "show: [x]\n",
    "tags: [a]\n",
    "tolerance: {rtol: 1}\n",
    "  x: normal(2, 1)\n",
    "  y: x @ x.T\n",
    "  L: sum(x)\n",
    "  - {name: q, answer: grad(L, x)}\n",
    "  - name: r\n    answer: x\n",
    "  z: &a [1]\n",
    "  w: *a\n",
    "  v: !!python/none\n",
    "  u: [[1, 2], [3]]\n",
    "  t: '1 2; 3 4'\n",
    "  s: 1e999\n",
    "  x: 1\n",
    "- 1\n",
    "{",
    "}",
    "[",
    "]",
    ": ",
    "\t",
    "'",
    '"',
    "#",
    "\n",
    "? ",
    "---\n",
    "...\n",
    "%YAML 1.1\n",
]

yaml_texts = st.one_of(
    st.lists(st.sampled_from(YAML_PIECES), max_size=12).map("".join),
    st.text(max_size=80),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(yaml_texts)
def test_random_specs_raise_only_exercise_errors(text: str) -> None:
    from quizapp.exercises.parsing import parse_spec

    try:
        parse_spec(text, line=3)
    except ExerciseError as exc:
        assert "\n" not in str(exc)
        assert exc.line is None or exc.line >= 3
