"""render_markdown_math: math replaced, everything else (code above all) left as written."""

from __future__ import annotations

from pathlib import Path

from quizapp.mathtext import render_line_math, render_markdown_math

FIXTURE = Path(__file__).parent / "fixtures" / "backprop-card.md"


def test_inline_math_is_replaced_in_place() -> None:
    assert render_markdown_math("The loss $L = \\frac{1}{2}(\\hat{y} - y)^2$.\n") == (
        "The loss L = ½(ŷ - y)².\n"
    )


def test_code_spans_and_fences_are_untouched() -> None:
    source = "Use `$x^2$` here.\n\n```\n$\\alpha$ and $$\\beta$$\n```\n\n    $\\gamma$\n"
    assert render_markdown_math(source) == source


def test_dollars_that_are_not_math_stay() -> None:
    source = "It costs $5 and $10, or \\$x\\$.\n"
    assert render_markdown_math(source) == source


def test_display_block_becomes_lines() -> None:
    source = "Before\n\n$$\n\\frac{a}{b} = c\n$$\n\nAfter\n"
    assert render_markdown_math(source) == "Before\n\na\n─ = c\nb\n\nAfter\n"


def test_display_block_keeps_list_indentation_and_falls_back_when_narrow() -> None:
    source = "- item\n\n  $$\\frac{a}{b} = c$$\n"
    assert render_markdown_math(source) == "- item\n\n  a\n  ─ = c\n  b\n"
    assert render_markdown_math(source, width=6) == "- item\n\n  a/b = c\n"


def test_equation_label_is_kept_on_the_baseline() -> None:
    assert render_markdown_math("$$\\frac{a}{b}$$ (eq1)\n") == "a\n─    (eq1)\nb\n"


def test_fixture_card_renders_with_code_intact() -> None:
    text = FIXTURE.read_text(encoding="utf-8")
    out = render_markdown_math(text)
    assert "z⁽¹⁾ = W⁽¹⁾x + b⁽¹⁾" in out
    assert "δ⁽ˡ⁾ = (W⁽ˡ⁺¹⁾)ᵀ δ⁽ˡ⁺¹⁾ ⊙ σ′(z⁽ˡ⁾)" in out
    assert "`delta = (W2.T @ delta2) * s * (1 - s)`" in out
    assert "`$x$` in code" in out
    assert 'cost = "$5"  # $x^2$ stays as typed' in out
    assert "\\$5" in out
    assert "─────" in out


def test_a_line_draws_its_formulas_inline_and_keeps_the_rest_as_written() -> None:
    """Titles and headings: every formula on the line, ``$$…$$`` alone too, one line."""
    assert render_line_math("What is $\\sigma(x)$?") == "What is σ(x)?"
    assert render_line_math("$$\\frac{1}{2}$$") == "½"
    assert render_line_math("Why $$\\frac{a}{b}$$ here") == "Why a/b here"
    assert render_line_math("**Bold $\\alpha$** and `$x$`") == "**Bold α** and `$x$`"
    assert render_line_math("Costs $5 and $10") == "Costs $5 and $10"  # prices, not math
    assert render_line_math("Plain title") == "Plain title"


def test_a_display_formula_right_under_a_sentence_is_drawn_as_one() -> None:
    """Obsidian notes put ``$$`` lines right under the sentence that introduces them; the
    formula is drawn as a display block there, while ``$$…$$`` further along a line stays
    inline and what counts as a formula does not change."""
    from quizapp.cards.formulas import formulas

    source = "Scaled by $1/p$:\n$$\n\\frac{a}{b}\n$$\nthen more.\n"
    assert render_markdown_math(source) == "Scaled by 1/p:\na\n─\nb\nthen more.\n"
    assert render_markdown_math("Its square:\n$$x^2$$\n") == "Its square:\nx²\n"
    assert render_markdown_math("The cost\n$$x$$ is small\n") == "The cost\nx is small\n"
    assert [f.strip() for f in formulas(source)] == ["1/p", "\\frac{a}{b}"]
