"""The LaTeX front reads card formulas into the same tree, under the same limits."""

from __future__ import annotations

import numpy as np
import pytest

from quizapp.exercises.autodiff import Tape
from quizapp.exercises.errors import ExerciseError
from quizapp.exercises.evaluator import evaluate
from quizapp.exercises.expr import ANSWER
from quizapp.exercises.syntax_latex import compile_latex
from quizapp.exercises.syntax_python import compile_expression

POINT = {"x": 0.7, "y": -0.4, "z": 1.3, "W": 0.9, "b": 0.2, "p": 0.3}


def value_latex(text: str) -> float:
    tape = Tape()
    expr = compile_latex(text).expression.root
    env = {k: tape.leaf(np.array(v)) for k, v in POINT.items()}
    return float(evaluate(expr, env, tape).value)


def value_python(text: str) -> float:
    tape = Tape()
    expr = compile_expression(text, ANSWER).root
    env = {k: tape.leaf(np.array(v)) for k, v in POINT.items()}
    return float(evaluate(expr, env, tape).value)


@pytest.mark.parametrize(
    ("latex", "python"),
    [
        (r"\frac{e^{-z}}{(1+e^{-z})^2}", "exp(-z) / (1 + exp(-z))**2"),
        (r"\sigma'(z)", "sigmoid(z) * (1 - sigmoid(z))"),
        (r"\tanh'(z)", "1 - tanh(z)**2"),
        (r"\operatorname{ReLU}'(z)", "z > 0"),
        (r"W x + b", "W * x + b"),
        (r"\sqrt{x^2 + y^2}", "sqrt(x**2 + y**2)"),
        (r"\sqrt[3]{z}", "z ** (1/3)"),
        (r"\log_2 z", "log(z) / log(2)"),
        (r"\max(0, y)", "maximum(0, y)"),
        (r"\left| y \right| + |x|", "abs(y) + abs(x)"),
        (r"\ln\left(1 + e^{x}\right)", "softplus(x)"),
        (r"-\left[p \log p + (1 - p)\log(1 - p)\right]", "-(p*log(p) + (1-p)*log(1-p))"),
        (r"2x y", "2 * x * y"),
        (r"sigma(z)(1 - sigma(z))", "sigmoid(z) * (1 - sigmoid(z))"),
        ("\u03c3(z)\u00b7(1 \u2212 \u03c3(z))", "sigmoid(z) * (1 - sigmoid(z))"),
    ],
)
def test_latex_reads_as_the_expression_language(latex: str, python: str) -> None:
    assert value_latex(latex) == pytest.approx(value_python(python), rel=1e-12)


def test_names_take_their_scripts() -> None:
    read = compile_latex(r"\delta^{[2]} (a^{(1)})^\top + \hat{y}_i + \theta_{t-1} + x'")
    assert set(read.symbols) == {"delta2", "a1", "yhat_i", "theta_tm1", "xprime"}
    assert read.matrix_notation
    assert read.symbols["delta2"] == r"\delta^{[2]}"


def test_uppercase_and_bold_are_arrays() -> None:
    read = compile_latex(r"\mathbf{W}\mathbf{x} + B")
    assert read.arrays == {"W", "x", "B"}


def test_sums_expand_with_a_concrete_bound() -> None:
    read = compile_latex(r"\frac{1}{n}\sum_{i=1}^{n} x_i")
    assert set(read.symbols) == {"n", "x_1", "x_2", "x_3"}
    assert read.fixed == {"n": 3.0}


def test_a_derivative_is_a_named_quantity() -> None:
    read = compile_latex(r"\frac{\partial L}{\partial \hat{y}} \cdot 2")
    assert set(read.symbols) == {"dL_dyhat"}


def test_expectation_draws_samples() -> None:
    read = compile_latex(r"\mathbb{E}[x^2] - \mathbb{E}[x]^2 + c")
    assert read.samples == {"x"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (r"\frac{a}{", "cannot read `{` at column 9"),
        ("x^", "cannot read `^` at column 2"),
        ("(a + b", "cannot read `(a + b` at column 1"),
        ("a + )", "cannot read `)` at column 5"),
        (r"\int_0^1 f", "an integral cannot be evaluated at random points"),
        (r"x_1 + \cdots + x_n", "an elided sum (…) cannot be evaluated at random points"),
        (r"\foo{x}", r"`\foo` is not a command quizapp can evaluate"),
        (r"\operatorname{KL}(p)", r"`\operatorname{KL}` is not a function"),
    ],
)
def test_what_cannot_be_read_says_where(text: str, message: str) -> None:
    with pytest.raises(ExerciseError) as caught:
        compile_latex(text)
    assert str(caught.value).startswith(message)


def test_the_same_limits_as_the_python_front() -> None:
    with pytest.raises(ExerciseError, match="the limit is 1000"):
        compile_latex("x+" * 600 + "x")
    with pytest.raises(ExerciseError, match="nested too deeply"):
        compile_latex("(" * 80 + "x" + ")" * 80)
    with pytest.raises(ExerciseError, match="nested too deeply"):
        compile_latex("{" * 80 + "x" + "}" * 80)
    with pytest.raises(ExerciseError, match="exponents are limited"):
        compile_latex("2^{5000}")
    with pytest.raises(ExerciseError, match="exponent towers"):
        compile_latex("2^{2^{2^{30}}}")
    with pytest.raises(ExerciseError, match="names cannot start with _"):
        compile_latex(r"\text{_x}")
