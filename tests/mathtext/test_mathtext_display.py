"""Exact display (multi-line) renderings, and the rules for width and fallback."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from quizapp.mathtext import render_block, render_display, render_inline

CASES = [
    (
        r"\frac{\partial L}{\partial W^{[2]}} = \delta^{[2]} \cdot (a^{[1]})^T",
        [
            " ∂L                   ",
            "───── = δ⁽²⁾ · (a⁽¹⁾)ᵀ",
            "∂W⁽²⁾                 ",
        ],
    ),
    (r"\sum_{i=1}^{n} x_i", [" n    ", " ∑  xᵢ", "i=1   "]),
    (r"\int_0^1 f(x)\,dx", ["1        ", "∫ f(x) dx", "0        "]),
    (r"\max_{x \in S} f(x)", ["max f(x)", "x∈S     "]),
    (r"\sqrt{x + 1}", [" _____", "√x + 1"]),
    (
        r"x = \frac{-b \pm \sqrt{b^2 - 4ac}}{2a}",
        [
            "          ________",
            "    -b ± √b² - 4ac",
            "x = ──────────────",
            "          2a      ",
        ],
    ),
    (r"\frac{1}{1 + e^{-z}}", ["   1   ", "───────", "1 + e⁻ᶻ"]),
    (r"\left( \frac{a}{b} \right)^2", ["⎛a⎞²", "⎜─⎟ ", "⎝b⎠ "]),
    (r"e^{-\frac{x^2}{2}} + x^{\frac{1}{2}}", [" -x²/2    ½", "e      + x "]),
    (r"\begin{bmatrix} 1 & 0 \\ 0 & 1 \end{bmatrix}", ["⎡ 1  0 ⎤", "⎣ 0  1 ⎦"]),
    (r"\begin{pmatrix} a & b \\ c & d \end{pmatrix}", ["⎛ a  b ⎞", "⎝ c  d ⎠"]),
    (r"\begin{vmatrix} a & b \\ c & d \end{vmatrix}", ["│ a  b │", "│ c  d │"]),
    (
        r"\begin{pmatrix} 1 & 20 \\ 300 & 4 \\ 5 & 6 \end{pmatrix}",
        ["⎛  1   20 ⎞", "⎜ 300  4  ⎟", "⎝  5   6  ⎠"],
    ),
    (
        r"f = \begin{cases} 1 & a \\ 2 & b \\ 3 & c \end{cases}",
        ["    ⎧ 1  a", "f = ⎨ 2  b", "    ⎩ 3  c"],
    ),
    (
        r"\begin{aligned} f(x) &= (a + b)^2 \\ &= a^2 + 2ab + b^2 \end{aligned}",
        ["f(x) = (a + b)²     ", "     = a² + 2ab + b²"],
    ),
    (
        r"\begin{align} a &= 1 & b &= 2 \\ c &= 3 & d &= 4 \end{align}",
        ["a = 1    b = 2", "c = 3    d = 4"],
    ),
    (r"\underbrace{a + b}_{n}", ["a + b", "╰─┬─╯", "  n  "]),
    (r"\binom{n}{k}", ["⎛n⎞", "⎝k⎠"]),
    (r"\operatorname*{arg\,max}_x f(x)", ["arg max f(x)", "   x        "]),
    (r"\left\langle \frac{a}{b}, c \right\rangle", ["╱a   ╲", "⟨─, c⟩", "╲b   ╱"]),
    (r"\nabla_\theta J = \frac{1}{N}", ["        1", "∇_θ J = ─", "        N"]),
    # nothing two-dimensional: the display form is the inline form
    (r"z^{[1]} = W^{[1]}x + b^{[1]}", ["z⁽¹⁾ = W⁽¹⁾x + b⁽¹⁾"]),
]


@pytest.mark.parametrize(("latex", "expected"), CASES)
def test_display_rendering(latex: str, expected: list[str]) -> None:
    assert render_display(latex) == expected


def test_fraction_sits_on_the_baseline_of_the_equation() -> None:
    block = render_block(r"\frac{\partial L}{\partial W^{[2]}} = \delta^{[2]}", display=True)
    assert block.baseline == 1
    assert block.lines[block.baseline].startswith("─────")
    assert "= δ⁽²⁾" in block.lines[block.baseline]


def test_lines_are_padded_to_one_cell_width() -> None:
    lines = render_display(r"\hat{y} = \frac{\bar{x}}{\sqrt{n}} + \sum_{i=1}^{n} x_i")
    assert len({cell_len(line) for line in lines}) == 1


def test_display_falls_back_to_inline_when_too_wide() -> None:
    latex = r"\frac{\partial L}{\partial W^{[2]}} = \delta^{[2]} \cdot (a^{[1]})^T"
    assert render_display(latex, width=21) == [render_inline(latex)]
    assert len(render_display(latex, width=22)) == 3


def test_display_fallback_source_for_broken_formula() -> None:
    block = render_block(r"\left( x", display=True)
    assert block.is_fallback
    assert block.lines == (r"`\left( x`",)
