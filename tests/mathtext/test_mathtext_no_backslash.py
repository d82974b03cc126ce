"""Every formula in this folder's fixtures renders fully: no backslash, no unknown command."""

from __future__ import annotations

from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin

from quizapp.mathtext import render_block, unknown_commands

from .test_mathtext_display import CASES as DISPLAY_CASES
from .test_mathtext_inline import CONSTRUCTS, REFERENCE_CARD

FIXTURES = Path(__file__).parent / "fixtures"


def _fixture_formulas() -> list[str]:
    md = MarkdownIt("commonmark").use(dollarmath_plugin, allow_space=False, allow_digits=False)
    found: list[str] = []
    for path in sorted(FIXTURES.glob("*.md")):
        for token in md.parse(path.read_text(encoding="utf-8")):
            if token.type.startswith("math_block"):
                found.append(token.content)
            found.extend(
                child.content
                for child in token.children or []
                if child.type in ("math_inline", "math_inline_double")
            )
    return found


FORMULAS = [
    latex
    for latex, expected in REFERENCE_CARD + CONSTRUCTS + DISPLAY_CASES
    if "`" not in "".join(expected)  # the cases that test the fallback marker on purpose
] + _fixture_formulas()


def test_fixture_card_has_its_formulas() -> None:
    assert len(_fixture_formulas()) == 16


@pytest.mark.parametrize("latex", FORMULAS)
@pytest.mark.parametrize("display", [False, True])
def test_formula_renders_without_backslash(latex: str, display: bool) -> None:
    block = render_block(latex, display, 80)
    assert not block.is_fallback
    assert unknown_commands(latex) == []
    assert not any("\\" in line for line in block.lines), block.lines
