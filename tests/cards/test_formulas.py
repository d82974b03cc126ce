"""One definition of what is math: the check, the parser and the renderer agree on it."""

from __future__ import annotations

import pytest

from quizapp.cards.formulas import formulas, math_tokens, normalise_math_delimiters
from quizapp.cards.markdown_parser import parse
from quizapp.mathtext import render_inline, render_markdown_math

TRICKY = (
    "Cost $5 and $6. Math $a+b$ and $$\\int x$$ and `$code$` and \\$ escaped.\n\n"
    "Spaced $ x $ is prose.\n\n"
    "```\n$not math$\n```\n\n"
    "$$\ny^2\n$$\n"
)


def test_formulas_in_document_order_outside_code_and_prices() -> None:
    assert [formula.strip() for formula in formulas(TRICKY)] == ["a+b", "\\int x", "y^2"]
    assert formulas("no dollars at all") == []


def test_the_card_parser_sees_the_same_formulas() -> None:
    contents = [token.content.strip() for token in math_tokens(parse(TRICKY))]
    assert contents == ["a+b", "\\int x", "y^2"]


def test_the_renderer_draws_exactly_the_formulas_the_check_finds() -> None:
    drawn = render_markdown_math(TRICKY)
    assert render_inline("a+b") in drawn and "$a+b$" not in drawn
    assert "$$\\int x$$" not in drawn
    for prose in ("$5 and $6.", "`$code$`", "\\$ escaped", "$ x $", "$not math$"):
        assert prose in drawn


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("so \\(x^2\\) holds", "so $x^2$ holds"),
        ("so \\( x^2 \\) holds", "so $x^2$ holds"),
        ("display \\[\\frac{a}{b}\\] here", "display $$\\frac{a}{b}$$ here"),
        ("\\[\na + b\n\\]\n", "$$a + b$$\n"),
        ("both \\(a\\) and \\[b\\]", "both $a$ and $$b$$"),
        ("code `\\(x\\)` stays", "code `\\(x\\)` stays"),
        ("```\n\\(x\\)\n```\n", "```\n\\(x\\)\n```\n"),
        ("    \\(indented code\\)\n", "    \\(indented code\\)\n"),
        ("escaped \\\\(x\\\\) stays", "escaped \\\\(x\\\\) stays"),
        ("empty \\(\\) stays", "empty \\(\\) stays"),
        ("no math (at all)", "no math (at all)"),
        ("a \\(x\n\ny\\) spans a paragraph break", "a \\(x\n\ny\\) spans a paragraph break"),
        ("already $x$ and \\(y\\)", "already $x$ and $y$"),
    ],
)
def test_mathjax_delimiters_become_dollar_math(source: str, expected: str) -> None:
    assert normalise_math_delimiters(source) == expected


def test_normalised_math_is_math_to_the_check() -> None:
    source = "Anki wrote \\(\\sigma(x)\\) and \\[\\int_0^1 f\\]."
    assert formulas(normalise_math_delimiters(source)) == ["\\sigma(x)", "\\int_0^1 f"]
