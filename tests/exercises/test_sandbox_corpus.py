"""The exercise sandbox corpus (issue 9): escape and denial-of-service attempts.

Every attempt must be refused with the engine's own error — an ``invalid`` verdict for a
typed answer, an ``ExerciseError`` for a spec — within 1 second (a SIGALRM guard that
fails the test, not a measured benchmark) and 256 MB (tracemalloc's peak, which NumPy
allocations report to).

Issue 12 adds specs that are legal but expensive to *verify* or to *diagnose*, kept in
``fixtures/hostile/``. They go through ``verify_spec`` as the importer does, not only
``parse_spec``, and which bound stopped them is asserted deterministically: the budget that
refused them, or the deadline reached on a clock that advances a fixed step per reading.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from sandbox_guard import within_limits

from quizapp.exercises.checking import check_answer
from quizapp.exercises.diagnosis import BUDGET, DEADLINE, MAX_VARIANTS, search
from quizapp.exercises.errors import ExerciseError
from quizapp.exercises.instance import ExerciseInstance, new_instance
from quizapp.exercises.parsing import parse_spec
from quizapp.exercises.verification import verify_spec

from .conftest import SteppingClock, frozen_clock, load_hostile

TIME_LIMIT = 1.0

#: (kind, typed answer). Each is checked as the answer to ``dW2`` of the sigmoid network.
ANSWERS: list[tuple[str, str]] = [
    # dunder walks
    ("dunder", "__import__('os').system('echo pwned')"),
    ("dunder", "().__class__.__bases__[0].__subclasses__()"),
    ("dunder", "x.__class__.__mro__"),
    ("dunder", "sum.__globals__"),
    ("dunder", "sigmoid.__code__.co_consts"),
    ("dunder", "[c for c in ().__class__.__base__.__subclasses__()]"),
    ("dunder", "getattr(x, '__class__')"),
    ("dunder", "x.T.__class__"),
    ("dunder", "__builtins__"),
    ("builtin", "eval('1 + 1')"),
    ("builtin", "exec('import os')"),
    ("builtin", "open('/etc/passwd')"),
    ("builtin", "globals()"),
    ("builtin", "breakpoint()"),
    ("statement", "import os"),
    ("statement", "(y := 1)"),
    ("statement", "lambda: 0"),
    ("keyword", "sum(x, axis=__import__('os'))"),
    # format-string tricks
    ("format", "'{0.__class__}'.format(x)"),
    ("format", "f'{x.__class__}'"),
    ("format", "'%s' % x"),
    ("format", "'{.__globals__}'.format(sigmoid)"),
    # huge allocations
    ("allocation", "ones(1024, 1024)"),
    ("allocation", "outer(ones(1000, 1), ones(1000, 1))"),
    ("allocation", "ones(1000, 65) @ ones(65, 1000)"),
    ("allocation", "ones(1, 1000) + ones(1000, 1)"),
    ("allocation", "reshape(ones(64, 64), 1, 4096)"),
    ("allocation", "eye(1024)"),
    ("allocation", "ones(256, 256) @ ones(256, 256) @ ones(256, 256)"),
    ("allocation", " + ".join(["ones(256, 256)"] * 40)),
    # exponent towers
    ("exponent", "2**2**2**30"),
    ("exponent", "9**9**9"),
    ("exponent", "x ** 1e6"),
    ("exponent", "(x ** 2) ** (2 ** 10)"),
    ("exponent", "10 ** 400"),
    ("exponent", "exp(exp(exp(1000)))"),
    # deep recursion
    ("depth", "-(" * 10_000 + "1" + ")" * 10_000),
    ("depth", "(" * 10_000 + "1" + ")" * 10_000),
    ("depth", "sigmoid(" * 120 + "x" + ")" * 120),
    ("depth", "1" + "+1" * 400),
    ("depth", "x" + ".T" * 400),
    ("depth", "-" * 900 + "1"),
    # unicode look-alike identifiers
    ("unicode", "\uff58.__class__"),  # fullwidth x
    ("unicode", "__\uff49\uff4d\uff50\uff4f\uff52\uff54__('os')"),  # fullwidth import
    ("unicode", "\u0435xp(x)"),  # Cyrillic е
    ("unicode", "x\u200b + 1"),  # zero-width space
    ("unicode", "\U0001d431 @ a1.T"),  # mathematical bold x
    ("unicode", "x\x00"),
    # very long inputs
    ("long", "x+" * 100_000 + "x"),
    ("long", "1" * 1_000_000),
    ("long", "[[" + "1," * 100_000 + "1]]"),
    ("long", "1 " * 200_000),
    ("long", "1;" * 20_000),
    # regular-expression backtracking in the matrix reader
    ("regex", "1" * 19_990 + "x"),
    ("regex", "1 2; " * 100 + "1" * 19_000 + "e"),
    ("regex", "1." + "1" * 19_000 + "e+"),
]

#: (kind, spec YAML). Each must raise ExerciseError from ``parse_spec``.
SPECS: list[tuple[str, str]] = [
    (
        "yaml bomb",
        "given:\n  a: &a [1,1,1,1,1,1,1,1,1]\n  b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
        "  c: [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nask: [{name: q, answer: a}]\n",
    ),
    ("yaml tag", "given:\n  x: !!python/object/apply:os.system ['echo pwned']\nask: []\n"),
    ("yaml depth", "given: " + "[" * 10_000 + "]" * 10_000 + "\n"),
    ("yaml size", "given: {x: 1}\nask: [{name: q, answer: x}]\n# " + "a" * 1_000_000),
    ("allocation", "given:\n  x: normal(100000, 100000)\nask: [{name: q, answer: x}]\n"),
    ("allocation", "given:\n  x: onehot(1000, 1000)\nask: [{name: q, answer: x}]\n"),
    ("exponent", "given:\n  x: 2\ncompute:\n  y: 2**2**2**30\nask: [{name: q, answer: y}]\n"),
    (
        "dunder",
        'given:\n  x: 1\nask:\n  - {name: q, answer: "x.__class__.__subclasses__()"}\n',
    ),
    ("dunder name", "given:\n  __class__: 1\nask: [{name: q, answer: 1}]\n"),
    (
        "regex",
        "given: {x: 1}\nask: [{name: q, answer: x}]\ntags: a" + " " * 60_000 + "b\ntitle: [1]\n",
    ),
    ("huge literal", "given:\n  x: 1" + "0" * 5000 + "\nask: [{name: q, answer: x}]\n"),
    ("huge literal", "given:\n  x: [1" + "0" * 5000 + "]\nask: [{name: q, answer: x}]\n"),
    (
        "grad misuse",
        "given:\n  x: normal(2, 1)\ncompute:\n  y: grad(x, x)\nask: [{name: q, answer: y}]\n",
    ),
]


def _run(attempt: Callable[[], None]) -> None:
    with within_limits(TIME_LIMIT):
        attempt()


def test_corpus_is_large_enough() -> None:
    assert len(ANSWERS) + len(SPECS) >= 30
    kinds = {k for k, _ in ANSWERS}
    assert {
        "dunder",
        "format",
        "allocation",
        "exponent",
        "depth",
        "unicode",
        "long",
        "regex",
    } <= kinds


@pytest.mark.parametrize(
    ("kind", "text"), ANSWERS, ids=[f"{k}-{i}" for i, (k, _) in enumerate(ANSWERS)]
)
def test_answer_attempt_is_refused(sigmoid: ExerciseInstance, kind: str, text: str) -> None:
    result: list[str] = []
    _run(lambda: result.append(check_answer(sigmoid, "dW2", text).verdict))
    assert result == ["invalid"], kind


@pytest.mark.parametrize(
    ("kind", "text"), SPECS, ids=[f"{k}-{i}" for i, (k, _) in enumerate(SPECS)]
)
def test_spec_attempt_is_refused(kind: str, text: str) -> None:
    def attempt() -> None:
        with pytest.raises(ExerciseError) as info:
            parse_spec(text)
        assert "\n" not in str(info.value)

    _run(attempt)


def _big_chain() -> str:
    """The issue's 57 KB card: a chain of scalar products sixty times larger (it took hours
    to diagnose one wrong answer)."""
    lines = ["id: scalar-chain-57k", "given: {a: 1}", "compute:"]
    previous = "a"
    for i in range(100):
        group = "(" + "*".join([previous] * 30) + ")"
        lines.append(f"  p{i}: " + "*".join([group] * 5))  # 150 factors, 35 levels deep
        previous = f"p{i}"
    lines.append(f"ask: [{{name: q, answer: {previous} * a}}]")
    return "\n".join(lines) + "\n"


#: (name, YAML, what stops it). Each must be refused by ``parse_spec`` + ``verify_spec``.
HOSTILE_SPECS: list[tuple[str, str, str]] = [
    ("sigmoid-tower-25", load_hostile("sigmoid-tower-25"), "evaluation budget is spent"),
    ("sigmoid-tower-10", load_hostile("sigmoid-tower-10"), "too large to verify"),
    ("scalar-chain-57k", _big_chain(), "evaluation budget is spent"),
]


def test_the_57k_chain_is_as_large_as_the_issue_says() -> None:
    assert 55_000 < len(_big_chain()) < 65_536


@pytest.mark.parametrize(
    ("name", "text", "bound"), HOSTILE_SPECS, ids=[n for n, _, _ in HOSTILE_SPECS]
)
def test_hostile_spec_is_refused_at_import(name: str, text: str, bound: str) -> None:
    """Refused by a counted budget, which is the same on every machine: no time guard here
    (the clock is frozen, so no deadline can be what stopped it)."""
    with pytest.raises(ExerciseError) as info:
        verify_spec(parse_spec(text, source=f"{name}.yaml"), clock=frozen_clock)
    assert bound in str(info.value)
    assert "\n" not in str(info.value)


def test_hostile_spec_verification_stops_at_the_deadline() -> None:
    """The same tower, given a second per clock reading: the deadline (1 s) is reached
    before even the first instance is drawn, whatever the budget would have said."""
    spec = parse_spec(load_hostile("sigmoid-tower-10"))
    with pytest.raises(ExerciseError, match="of `sigmoid-tower-10` took longer than 1 s"):
        verify_spec(spec, clock=SteppingClock(1.0))


def test_scalar_chain_diagnosis_is_bounded() -> None:
    """800 operations whose ``*`` → ``@`` swap fails; one wrong answer tried all of them."""
    instance = new_instance(parse_spec(load_hostile("scalar-chain")), 0)
    (ask,) = instance.asks
    wrong = np.array(123.0)
    by_budget = search(instance, ask, wrong, clock=frozen_clock)
    assert (by_budget.variant, by_budget.stopped) == (None, BUDGET)
    assert by_budget.attempts <= MAX_VARIANTS
    by_deadline = search(instance, ask, wrong, clock=SteppingClock(0.1))
    assert (by_deadline.variant, by_deadline.stopped, by_deadline.attempts) == (
        None,
        DEADLINE,
        4,
    )
    verdict = check_answer(instance, "q", "123", clock=SteppingClock(0.1))
    assert (verdict.verdict, verdict.diagnosis) == ("incorrect", None)
