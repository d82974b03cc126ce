"""What cannot be rendered is shown as marked source and reported, never dropped or raised."""

from __future__ import annotations

import pytest

from quizapp.mathtext import math_problems, render_block, render_inline, unknown_commands


def test_unknown_command_is_shown_as_source_with_its_arguments() -> None:
    assert render_inline(r"a + \foo{x}{y} + b") == r"a + `\foo{x}{y}` + b"
    assert unknown_commands(r"a + \foo{x}{y} + \bar{z} + \foo") == [r"\foo"]


def test_unknown_environment_is_shown_as_source() -> None:
    latex = r"x = \begin{weird} a \end{weird}"
    assert render_inline(latex) == r"x = `\begin{weird} a \end{weird}`"
    assert unknown_commands(latex) == [r"\begin{weird}"]


def test_unknown_command_inside_text_is_reported() -> None:
    assert unknown_commands(r"\text{see \cite{x}}") == [r"\cite"]


@pytest.mark.parametrize(
    "latex",
    [
        r"\frac{a",
        r"a}",
        r"\left( x",
        r"x \right)",
        "x^",
        r"\sqrt[3",
        r"\begin{pmatrix} a",
        "a + \\",
    ],
)
def test_malformed_formula_falls_back_to_its_whole_source(latex: str) -> None:
    block = render_block(latex)
    assert block.is_fallback
    assert block.lines == (f"`{latex}`",)
    assert block.error
    assert unknown_commands(latex) == []
    assert math_problems(latex)[0].startswith("cannot parse formula (")


def test_math_problems_name_each_unknown_command() -> None:
    assert math_problems(r"\foo + \bar{x} + \baz") == [
        r"unknown command \foo; shown as source",
        r"unknown command \baz; shown as source",
    ]
    assert math_problems(r"\frac{a}{b}") == []


def test_fallback_source_is_folded_onto_one_line() -> None:
    assert render_inline("\\frac{a\n  + b") == "`\\frac{a + b`"
